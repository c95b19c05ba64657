package org.nextscale.imagej;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.nextscale.core.api.TrainEvent;
import org.nextscale.core.api.TrainListener;
import org.nextscale.core.api.TrainPreview;
import org.nextscale.core.api.ValidationEvent;
import org.nextscale.core.train.TrainOptions;
import org.scijava.ItemIO;
import org.scijava.ItemVisibility;
import org.scijava.plugin.Parameter;

/**
 * Training from Fiji: the main options as fields, every other training option as "key=value" text (the
 * same keys as the command line and the notebooks). Progress shows step, loss and time left; the
 * written model is loaded at once so the next command can use it.
 */
public abstract class TrainCommand extends VarCommand {

    @Parameter(visibility = ItemVisibility.MESSAGE, persist = false, required = false, initializer = "describe")
    protected String about = "";

    @Parameter(persist = false, label = "Training images", style = "both",
            description = "A folder of your images (any size, 8 or 16 bit; one sub-folder per class), an image file, or fashion-mnist")
    protected File data = new File("fashion-mnist");

    @Parameter(persist = false, label = "Model file to write", required = false, style = "save",
            description = "Where the trained model goes (.zip); empty = the trainer's default name")
    protected File output;

    @Parameter(persist = false, label = "Steps", min = "1")
    protected int steps = 2000;

    @Parameter(persist = false, label = "Images per step (batch)", min = "1")
    protected int batch = 64;

    @Parameter(persist = false, label = "Learning rate", required = false, description = "Empty = the default: 5e-4 for the tokenizer, 1e-3 for the transformer")
    protected String lr = "";

    @Parameter(persist = false, label = "More options", required = false,
            description = "Other training options as key=value pairs separated by spaces, e.g. val=0.2 scale=2 patience=5 seed=1")
    protected String options = "";

    @Parameter(type = ItemIO.OUTPUT, label = "Trained model")
    protected File modelFile;

    /** The dialog's first lines: what the trainer makes (the command's description), then how a run goes. */
    protected void describe() {
        about = "<html>" + getInfo().getDescription() + ".<br>Large images train as random patches; 10% is held out for validation (val= under More options); Esc or the progress window's Cancel stops it, keeping a checkpoint.</html>";
    }

    /** Runs the trainer. */
    protected abstract Path train(TrainOptions opts, TrainListener listener) throws IOException;

    /** What to do next with the written model, one short sentence for the Log. */
    protected abstract String howToUse(Path written);

    /** Options only this trainer has (e.g. the tokenizer for the transformer). */
    protected void addOptions(Map<String, String> kv) {}

    @Override
    protected void execute() throws IOException {
        Map<String, String> kv = new LinkedHashMap<>(KeyValues.parse(options));
        kv.put("data", data == null ? "" : data.getPath());
        kv.put("steps", Integer.toString(steps));
        kv.put("batch", Integer.toString(batch));
        if (lr != null && !lr.isBlank()) kv.put("lr", lr.trim());
        if (output != null && !output.getPath().isBlank()) kv.put("out", output.getPath());
        addOptions(kv);
        TrainOptions opts = TrainOptions.parse(kv);
        TrainingWindows windows = TrainingWindows.wanted() ? new TrainingWindows(label(), token) : null;
        Path written;
        try {
            written = train(opts, listener(windows));
        } finally {
            if (windows != null) windows.finished();
        }
        modelFile = written.toFile();
        tell("model written to " + written + "; " + howToUse(written));
        models.preload(written);
    }

    private TrainListener listener(TrainingWindows windows) {
        var progress = progress();
        return new TrainListener() {
            @Override
            public void onStep(TrainEvent e) {
                if (windows != null) windows.onStep(e);
                String acc = Double.isNaN(e.accuracy()) ? "" : String.format(Locale.ROOT, ", accuracy %.3f", e.accuracy());
                progress.progress(String.format(Locale.ROOT, "%s step %d/%d, loss %.4f%s, %.0f s left",
                        e.phase(), e.step(), e.totalSteps(), e.loss(), acc, e.etaSeconds()), e.step(), e.totalSteps());
            }

            @Override
            public void onMessage(String message) {
                tell(message);
            }

            @Override
            public void onValidation(ValidationEvent e) {
                tell(e.describe());
                if (windows != null) windows.onValidation(e);
            }

            @Override
            public void onPreview(TrainPreview p) {
                if (windows != null) windows.onPreview(p);
            }
        };
    }

    /** The model file written, null until training finished. */
    public File modelFile() {
        return modelFile;
    }
}
