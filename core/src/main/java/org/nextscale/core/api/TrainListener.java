package org.nextscale.core.api;

/** Receives training progress on the training thread; keep it fast. */
public interface TrainListener {
    void onStep(TrainEvent event);

    /** Free-form lines: codebook usage, checkpoints written, per-scale accuracy. */
    default void onMessage(String message) {}

    /** Every eval_every steps: the validation figures (only when the run has a validation split). */
    default void onValidation(ValidationEvent event) {}

    /** Every preview_every steps: the loss plot and the trainer's picture, also written beside the model file. */
    default void onPreview(TrainPreview preview) {}

    TrainListener NONE = e -> {};
}
