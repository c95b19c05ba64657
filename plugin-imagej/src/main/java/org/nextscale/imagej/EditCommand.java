package org.nextscale.imagej;

import ij.ImagePlus;
import java.io.File;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nextscale.core.api.EditMask;
import org.nextscale.core.api.EditMode;
import org.nextscale.core.api.Extension;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.PixelScale;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.api.ScaleFrames;
import org.nextscale.core.api.ScaleListener;
import org.nextscale.core.api.SeamMode;
import org.nextscale.core.tiling.EditWindows;
import org.scijava.ItemIO;
import org.scijava.ItemVisibility;
import org.scijava.plugin.Parameter;

/**
 * The three zero-shot edits: the area is the image's ROI (or the non-zero pixels of a mask image); the
 * result is a new image of the input's size and type.
 */
public abstract class EditCommand extends VarCommand {

    @Parameter(persist = false, label = "Image")
    protected ImagePlus image;

    /**
     * Optional: its non-zero pixels are the area instead of the selection. Not shown in Fiji's dialog,
     * which would offer no "none" choice for an image input; scripts set it, macros give mask=[title].
     */
    @Parameter(persist = false, label = "Mask image", required = false, visibility = ItemVisibility.INVISIBLE,
            description = "Its non-zero pixels are the area (instead of the image's selection)")
    protected ImagePlus mask;

    @Parameter(visibility = ItemVisibility.MESSAGE, persist = false, required = false)
    protected String about = "";

    @Parameter(persist = false, label = "Model file", required = false, style = "open", callback = "modelChosen",
            description = "A nextscale model (.zip); leave empty for the shipped model")
    protected File model;

    @Parameter(persist = false, label = "Class", initializer = "modelChosen",
            description = "What the area becomes: one of the model's classes (scripts may give the class number; -1 = unconditional)")
    protected String classId = "-1";

    @Parameter(persist = false, label = "Guidance strength (cfg)", min = "0", description = "Classifier-free guidance, 0 = off")
    protected double cfg = SampleOptions.defaults().cfg();

    @Parameter(persist = false, label = "Random seed")
    protected long seed = SampleOptions.defaults().seed();

    @Parameter(persist = false, label = "Pixel scale", choices = {"auto", "1", "2", "4", "8", "fit"},
            description = "Image pixels per model pixel: auto = the image's own resolution "
            + "(large images in model-sized windows), a number (2 = half resolution, for selections larger than a window), or fit "
            + "(the whole image fitted to the model)")
    protected String scale = "auto";

    @Parameter(persist = false, label = "Show scales", choices = {"auto", "yes", "no"},
            description = "Watch the edit form coarse to fine (one decoder pass per scale); auto = yes unless the model's decoder is costly")
    protected String showScales = "auto";

    @Parameter(type = ItemIO.OUTPUT, label = "Edited image")
    protected ImagePlus result;

    @Parameter(type = ItemIO.OUTPUT, label = "Coarse to fine")
    protected ImagePlus scales;

    protected abstract EditMode mode();

    /** The dialog's model line and class list follow the model file. */
    protected void modelChosen() {
        ModelChoices shown = ModelChoices.of(model);
        about = about(shown);
        classId = offerClasses("classId", shown, mode() == EditMode.CLASS_EDIT, classId);
    }

    /** The title suffix of the result, e.g. "inpainted". */
    protected abstract String done();

    /** How far to grow the canvas (out-paint only); none for the other edits. */
    protected Extension extension() {
        return Extension.NONE;
    }

    @Override
    protected void execute() throws IOException {
        PixelScale pixelScale = PixelScale.parse(scale);
        Extension grow = extension();
        EditMask area = grow.isNone() ? ImageConversion.mask(image, mask) : null;
        Image in = ImageConversion.toImage(image);
        Image out = onModel(model, m -> {
            int cls = m.classIndex(classId);
            if (mode() == EditMode.CLASS_EDIT && cls < 0)
                throw new IllegalArgumentException("Class Edit needs a class to turn the area into: choose one under Class (class=), e.g. "
                        + m.config().classNames().get(0));
            if (area != null) warnIfUnfamiliar(m, in, area, pixelScale);
            SampleOptions opts = SampleOptions.defaults().withClass(cls).withCount(1).withCfg(cfg).withSeed(seed);
            if (area == null) return EditWindows.extend(m, in, grow, opts, SeamMode.BLEND, pixelScale, progress(), token);
            ScaleViews views = ScaleFrames.wanted(showScales, m) ? new ScaleViews(image.getTitle() + " " + done() + " coarse to fine") : null;
            Image edited = EditWindows.edit(m, in, area, mode(), opts, SeamMode.BLEND, pixelScale, progress(), token,
                    views == null ? ScaleListener.NONE : views.frames);
            scales = views == null ? null : views.finish();
            return edited;
        });
        result = ImageConversion.like(out, image, ResultInfo.safe(image.getTitle() + " " + done()));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("model", modelName(model));
        settings.put("edit", done());
        settings.put("source", image.getTitle() + (image.getStackSize() > 1 ? " (slice " + image.getCurrentSlice() + " of " + image.getStackSize() + ")" : ""));
        settings.put("class", classId);
        settings.put("cfg", Double.toString(cfg));
        settings.put("seed", Long.toString(seed));
        settings.put("scale", scale);
        ResultInfo.attach(result, label(), settings);
    }

    /** One line in the Log, without stopping, when the image is far from what the model was trained on. */
    private void warnIfUnfamiliar(org.nextscale.core.api.VarModel m, Image in, EditMask area, PixelScale pixelScale) {
        try {
            String w = org.nextscale.core.model.Familiarity.warning(card(model),
                    org.nextscale.core.model.Familiarity.contextPsnr(m, in, area, pixelScale, token));
            if (w != null) tell(w);
        } catch (IOException e) {
            // the card cannot be read: no warning, the edit goes on
        }
    }

    public ImagePlus result() {
        return result;
    }

    /** One slice per scale of the edit forming; null when not shown. */
    public ImagePlus scales() {
        return scales;
    }
}
