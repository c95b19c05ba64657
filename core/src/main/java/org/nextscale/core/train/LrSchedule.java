package org.nextscale.core.train;

/**
 * Learning rate per step, as the reference's lr_wd_annealing: linear warm-up from 0.5% of the peak, then
 * cosine or linear decay to 1% of the peak ("lin" holds the peak for the first 5% of the decay, like the
 * reference's lin0).
 */
public record LrSchedule(double peak, int warmup, int total, String kind) {
    private static final double WP0 = 0.005, WPE = 0.01;

    /** The learning rate of step {@code it} (0-based). */
    public double at(long it) {
        double f;
        if (it < warmup) {
            f = WP0 + (1 - WP0) * it / warmup;
        } else {
            double span = Math.max(1, total - 1 - warmup);
            double passed = Math.min(1, (it - warmup) / span);
            if (kind.equals("lin")) {
                double t = 0.05;
                f = passed < t ? 1 : WPE + (1 - WPE) * (1 - passed) / (1 - t);
            } else {
                f = WPE + (1 - WPE) * (0.5 + 0.5 * Math.cos(Math.PI * passed));
            }
        }
        return peak * f;
    }
}
