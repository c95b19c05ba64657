package org.nextscale.imagej;

import ij.ImagePlus;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.api.ScaleFrames;
import org.nextscale.core.api.ScaleListener;
import org.scijava.ItemIO;
import org.scijava.ItemVisibility;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** VAR Generate (for scripts; the menu entry is the ImageJ 1.x bridge, ij1.Var*): a stack of new images of one class (or unconditional). */
@Plugin(type = Command.class, headless = true, label = "VAR Generate",
        description = "Makes new images of a class with the model, coarse to fine (next-scale prediction)")
public class GenerateCommand extends VarCommand {

    @Parameter(visibility = ItemVisibility.MESSAGE, persist = false, required = false)
    private String about = "";

    @Parameter(persist = false, label = "Model file", required = false, style = "open", callback = "modelChosen",
            description = "A nextscale model (.zip); leave empty for the shipped model")
    private File model;

    @Parameter(persist = false, label = "Class", initializer = "modelChosen",
            description = "What to make: one of the model's classes, or unconditional (scripts may give the class number; -1 = unconditional)")
    private String classId = Integer.toString(SampleOptions.defaults().classId());

    @Parameter(persist = false, label = "Number of images", min = "1")
    private int count = 4;

    @Parameter(persist = false, label = "Guidance strength (cfg)", min = "0",
            description = "Classifier-free guidance: higher follows the class more closely, 0 = off")
    private double cfg = SampleOptions.defaults().cfg();

    @Parameter(persist = false, label = "Top-k", min = "0", description = "Sample only among the k most likely tokens; 0 = off")
    private int topK = SampleOptions.defaults().topK();

    @Parameter(persist = false, label = "Top-p", min = "0", max = "1", description = "Sample only among the most likely tokens covering this probability; 0 or 1 = off")
    private double topP = SampleOptions.defaults().topP();

    @Parameter(persist = false, label = "Random seed", description = "The same seed gives the same images")
    private long seed = SampleOptions.defaults().seed();

    @Parameter(persist = false, label = "Smooth", description = "Smoother images (Gumbel smoothing of the token embeddings)")
    private boolean smooth = SampleOptions.defaults().smooth();

    @Parameter(persist = false, label = "Show scales", choices = {"auto", "yes", "no"},
            description = "Watch the images form coarse to fine (one decoder pass per scale); auto = yes unless the model's decoder is costly")
    private String showScales = "auto";

    @Parameter(persist = false, label = "Images per model call", min = "1",
            description = "Lower it when a GPU runs out of memory (the images depend on it: each call has its own seed stream)")
    private int batch = SampleOptions.DEFAULT_BATCH;

    @Parameter(type = ItemIO.OUTPUT, label = "Generated images")
    private ImagePlus images;

    @Parameter(type = ItemIO.OUTPUT, label = "Coarse to fine")
    private ImagePlus scales;

    /** The samples, the name of the class they were drawn for, and the coarse-to-fine views (null when not asked for). */
    private record Generated(String className, List<Image> images, ImagePlus scales) {}

    /** The dialog's model line and class list follow the model file. */
    protected void modelChosen() {
        ModelChoices shown = ModelChoices.of(model);
        about = about(shown);
        classId = offerClasses("classId", shown, false, classId);
    }

    @Override
    public String label() {
        return "VAR Generate";
    }

    @Override
    protected void execute() throws IOException {
        if (count < 1) throw new IllegalArgumentException("count must be at least 1, got " + count);
        Generated g = onModel(model, m -> {
            int cls = m.classIndex(classId);
            SampleOptions opts = new SampleOptions(cls, count, cfg, topK, topP, seed, smooth, batch);
            String name = cls < 0 ? "unconditional" : m.config().classNames().get(cls);
            ScaleViews views = ScaleFrames.wanted(showScales, m) ? new ScaleViews(ResultInfo.safe("VAR " + name + " coarse to fine")) : null;
            List<Image> made = m.generate(opts, progress(), token, views == null ? ScaleListener.NONE : views.frames);
            return new Generated(name, made, views == null ? null : views.finish());
        });
        scales = g.scales();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < g.images().size(); i++) labels.add(g.className() + " #" + (i + 1) + " seed " + seed);
        images = ImageConversion.stack(g.images(), ResultInfo.safe("VAR " + g.className() + " (seed " + seed + ")"), labels);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("model", modelName(model));
        settings.put("class", g.className());
        settings.put("count", Integer.toString(count));
        settings.put("cfg", Double.toString(cfg));
        settings.put("top_k", Integer.toString(topK));
        settings.put("top_p", Double.toString(topP));
        settings.put("seed", Long.toString(seed));
        settings.put("smooth", Boolean.toString(smooth));
        ResultInfo.attach(images, label(), settings);
    }

    public ImagePlus images() {
        return images;
    }

    /** One slice per scale (a hyperstack over the images when there are several); null when not shown. */
    public ImagePlus scales() {
        return scales;
    }
}
