package org.nextscale.core.train;

import org.nextscale.core.api.TrainEvent;
import org.nextscale.core.api.TrainListener;

/** Turns step timings into {@link TrainEvent}s: images/s over recent steps (smoothed) and time left. */
final class Progress {
    private final String phase;
    private final long total;
    private final int batch;
    private final TrainListener listener;
    private long last = System.nanoTime();
    private double secondsPerStep = Double.NaN;

    Progress(String phase, long total, int batch, TrainListener listener) {
        this.phase = phase;
        this.total = total;
        this.batch = batch;
        this.listener = listener;
    }

    /** Reports step {@code done} (1-based count of steps done). */
    TrainEvent step(long done, double loss, double accuracy) {
        long now = System.nanoTime();
        double dt = (now - last) / 1e9;
        last = now;
        // the first step of a run includes warm-up work (engine start, allocation): keep it out of the average
        secondsPerStep = Double.isNaN(secondsPerStep) ? dt : 0.9 * secondsPerStep + 0.1 * dt;
        TrainEvent e = new TrainEvent(phase, done, total, loss, accuracy, batch / secondsPerStep, (total - done) * secondsPerStep);
        listener.onStep(e);
        return e;
    }

    /** Restarts the clock (after a checkpoint or evaluation, which is not training time). */
    void resetClock() {
        last = System.nanoTime();
    }

    void message(String m) {
        listener.onMessage(m);
    }
}
