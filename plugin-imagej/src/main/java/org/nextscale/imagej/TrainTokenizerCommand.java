package org.nextscale.imagej;

import java.io.IOException;
import java.nio.file.Path;
import org.nextscale.core.api.TrainListener;
import org.nextscale.core.train.TrainOptions;
import org.nextscale.core.train.Training;
import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/** VAR Train Tokenizer (for scripts; the menu entry is the ImageJ 1.x bridge, ij1.Var*): trains the multi-scale VQ-VAE that turns images into tokens. */
@Plugin(type = Command.class, headless = true, label = "VAR Train Tokenizer",
        description = "Trains the tokenizer (a multi-scale VQ-VAE) that turns your images into tokens")
public class TrainTokenizerCommand extends TrainCommand {

    @Override
    public String label() {
        return "VAR Train Tokenizer";
    }

    @Override
    protected String howToUse(Path written) {
        return "train the transformer on it with VAR Train tokenizer=[" + written + "], or view its tokens with VAR Tokenize model=[" + written + "]";
    }

    @Override
    protected Path train(TrainOptions opts, TrainListener listener) throws IOException {
        return Training.trainTokenizer(opts, listener, token);
    }
}
