package org.nextscale.imagej;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.nextscale.core.api.TrainListener;
import org.nextscale.core.train.TrainOptions;
import org.nextscale.core.train.Training;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** VAR Train (for scripts; the menu entry is the ImageJ 1.x bridge, ij1.Var*): trains the VAR transformer on a trained tokenizer; writes a complete model. */
@Plugin(type = Command.class, headless = true, label = "VAR Train",
        description = "Trains the transformer that predicts each scale's tokens from the coarser ones, on a trained tokenizer")
public class TrainVarCommand extends TrainCommand {

    @Parameter(persist = false, label = "Tokenizer model", required = false, style = "open",
            description = "The model file written by Train Tokenizer")
    private File tokenizer;

    /** For scripts and macros (tokens=[table]): the tokens of the data, made by the Spark jobs with this tokenizer, instead of the images. */
    @Parameter(persist = false, label = "Token table", required = false, style = "directory", visibility = org.scijava.ItemVisibility.INVISIBLE,
            description = "The data's tokens, made with this tokenizer, used instead of tokenizing the images")
    private File tokens;

    @Override
    public String label() {
        return "VAR Train";
    }

    @Override
    protected void addOptions(Map<String, String> kv) {
        if (tokenizer != null && !tokenizer.getPath().isBlank()) kv.put("tokenizer", tokenizer.getPath());
        if (tokens != null && !tokens.getPath().isBlank()) kv.put("tokens", tokens.getPath());
    }

    @Override
    protected String howToUse(Path written) {
        return "it is loaded: use it with model=[" + written + "]";
    }

    @Override
    protected Path train(TrainOptions opts, TrainListener listener) throws IOException {
        return Training.trainVar(opts, listener, token);
    }
}
