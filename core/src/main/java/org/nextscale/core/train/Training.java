package org.nextscale.core.train;

import java.io.IOException;
import java.nio.file.Path;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.TrainListener;

/**
 * Entry points of the two trainers used by every front end. Each returns the model file it wrote, keeps a
 * checkpoint next to it (NAME.ckpt.zip) and stops within one step when {@code cancel} is cancelled, throwing
 * {@link org.nextscale.core.api.CancelledException} after saving the state of the last finished step.
 */
public final class Training {
    private Training() {}

    /** Trains the VQ-VAE tokenizer; writes a tokenizer-only model file. */
    public static Path trainTokenizer(TrainOptions options, TrainListener listener, CancelToken cancel) throws IOException {
        options.requireFor(TrainOptions.Phase.TOKENIZER);
        return TokenizerTrainer.run(options, listener == null ? TrainListener.NONE : listener, cancel == null ? CancelToken.none() : cancel);
    }

    /** Trains the VAR (or, with order=raster, the raster baseline) transformer on a tokenizer; writes a full model file. */
    public static Path trainVar(TrainOptions options, TrainListener listener, CancelToken cancel) throws IOException {
        options.requireFor(TrainOptions.Phase.VAR);
        return VarTrainer.run(options, listener == null ? TrainListener.NONE : listener, cancel == null ? CancelToken.none() : cancel);
    }
}
