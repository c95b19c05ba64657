package org.nextscale.core.bench;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.function.Consumer;

/** Wall-clock timing of a piece of work: warm-up runs, then the median of several runs, each in its own sub-manager. */
public final class Timing {
    private Timing() {}

    /** Seconds of every timed run and their median. */
    public record Runs(double[] seconds) {
        public double median() {
            double[] s = seconds.clone();
            Arrays.sort(s);
            int n = s.length;
            return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        }

        public double min() {
            return Arrays.stream(seconds).min().orElse(Double.NaN);
        }
    }

    /** Runs {@code work} warmup + reps times, each with a fresh sub-manager of {@code parent} closed afterwards. */
    public static Runs measure(NDManager parent, int warmup, int reps, Consumer<NDManager> work) {
        for (int i = 0; i < warmup; i++)
            try (NDManager m = parent.newSubManager()) {
                work.accept(m);
            }
        double[] s = new double[reps];
        for (int i = 0; i < reps; i++)
            try (NDManager m = parent.newSubManager()) {
                long t0 = System.nanoTime();
                work.accept(m);
                s[i] = (System.nanoTime() - t0) / 1e9;
            }
        return new Runs(s);
    }
}
