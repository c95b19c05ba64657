package org.nextscale.core.train;

import java.io.IOException;
import java.nio.file.Path;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.TrainListener;

/**
 * Entry points of the two trainers used by every front end. Each returns the model file it wrote.
 * (Placeholder: the training issue fills this in.)
 */
public final class Training {
    private Training() {}

    /** Trains the VQ-VAE tokenizer; writes a tokenizer-only model file. */
    public static Path trainTokenizer(TrainOptions options, TrainListener listener, CancelToken cancel) throws IOException {
        throw new UnsupportedOperationException("tokenizer training is not implemented yet");
    }

    /** Trains the VAR (or raster) transformer on a tokenizer; writes a full model file. */
    public static Path trainVar(TrainOptions options, TrainListener listener, CancelToken cancel) throws IOException {
        throw new UnsupportedOperationException("VAR training is not implemented yet");
    }
}
