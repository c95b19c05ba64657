package org.nextscale.jupyter;

import java.util.Locale;

/**
 * A power law loss = a * N^b fitted by least squares on log(loss) against log(N), as in the scaling
 * plots of the VAR paper (there b is about -0.1 to -0.2 for test loss against parameters).
 *
 * @param a  the loss at N = 1
 * @param b  the exponent (negative when loss falls with size)
 * @param r2 coefficient of determination of the fit in log space
 */
public record PowerLaw(double a, double b, double r2) {

    /** Fits the law to (n[i], loss[i]); needs two or more distinct positive n and positive losses. */
    public static PowerLaw fit(double[] n, double[] loss) {
        if (n.length != loss.length) throw new IllegalArgumentException("need as many losses as sizes, got " + n.length + " and " + loss.length);
        if (n.length < 2) throw new IllegalArgumentException("a power law needs at least two points, got " + n.length);
        double mx = 0, my = 0;
        for (int i = 0; i < n.length; i++) {
            if (!(n[i] > 0) || !(loss[i] > 0))
                throw new IllegalArgumentException("sizes and losses must be positive, got N=" + n[i] + " loss=" + loss[i]);
            mx += Math.log(n[i]) / n.length;
            my += Math.log(loss[i]) / n.length;
        }
        double sxx = 0, sxy = 0, syy = 0;
        for (int i = 0; i < n.length; i++) {
            double dx = Math.log(n[i]) - mx, dy = Math.log(loss[i]) - my;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        if (sxx == 0) throw new IllegalArgumentException("a power law needs at least two different sizes");
        double b = sxy / sxx;
        double r2 = syy == 0 ? 1 : (sxy * sxy) / (sxx * syy);
        return new PowerLaw(Math.exp(my - b * mx), b, r2);
    }

    /**
     * Pearson's correlation coefficient of log(loss) against log(N): -1 when the points lie exactly on a
     * falling law, near 0 when size does not predict loss. For a least-squares line it is the slope's sign
     * times the square root of R^2.
     */
    public double pearson() {
        return b == 0 ? 0 : Math.copySign(Math.sqrt(r2), b);
    }

    public double predict(double n) {
        return a * Math.pow(n, b);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "loss = %.3g * N^%.3f  (R^2 = %.3f)", a, b, r2);
    }
}
