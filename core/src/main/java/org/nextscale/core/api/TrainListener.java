package org.nextscale.core.api;

/** Receives training progress on the training thread; keep it fast. */
public interface TrainListener {
    void onStep(TrainEvent event);

    /** Free-form lines: codebook usage, checkpoints written, per-scale accuracy. */
    default void onMessage(String message) {}

    TrainListener NONE = e -> {};
}
