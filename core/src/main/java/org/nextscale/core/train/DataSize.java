package org.nextscale.core.train;

import java.util.Locale;
import org.nextscale.core.api.TrainListener;
import org.nextscale.core.data.TrainingData;

/** Warns, in one message, when the training data are small for the model: a run that will memorise rather than learn. */
final class DataSize {
    /** Fewer distinct training samples than this for every 1,000 trainable parameters draws the warning. */
    static final double SAMPLES_PER_THOUSAND_PARAMETERS = 1.0;

    private DataSize() {}

    static void warn(TrainingData data, long parameters, TrainListener listener) {
        long samples = data.size();
        if (samples >= parameters / 1000.0 * SAMPLES_PER_THOUSAND_PARAMETERS) return;
        listener.onMessage(String.format(Locale.ROOT, "warning: the training data hold about %d %s for a model of %.2fM trainable parameters: "
                        + "it can memorise them; watch the validation loss (val_loss in the log), give more images, or train a smaller model",
                samples, data.isPatches() ? "non-overlapping patches" + (data.flips() ? " (8 times that with flips and rotations)" : "") : "images",
                parameters / 1e6));
    }
}
