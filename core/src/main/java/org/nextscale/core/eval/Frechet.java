package org.nextscale.core.eval;

/**
 * Frechet distance between Gaussians fitted to two feature sets (the FID formula, here in the
 * Fashion-MNIST classifier's feature space):
 * <pre>
 * FD = |mu1 - mu2|^2 + tr(S1) + tr(S2) - 2 tr((S1 S2)^(1/2)),
 * tr((S1 S2)^(1/2)) = tr((S1^(1/2) S2 S1^(1/2))^(1/2))
 * </pre>
 * The second form is a symmetric PSD matrix, so both square roots come from {@link SymmetricEigen}
 * (double precision, negative round-off eigenvalues clamped at 0). Covariances use 1/(n-1), like numpy.cov.
 */
public final class Frechet {
    private Frechet() {}

    /** Mean and covariance of a set of feature vectors (one row per sample). */
    public record Gaussian(double[] mean, double[][] cov) {}

    public static Gaussian fit(float[][] x) {
        int n = x.length;
        if (n < 2) throw new IllegalArgumentException("a covariance needs at least 2 samples, got " + n);
        int d = x[0].length;
        double[] mu = new double[d];
        for (float[] row : x) for (int j = 0; j < d; j++) mu[j] += row[j];
        for (int j = 0; j < d; j++) mu[j] /= n;
        double[][] cov = new double[d][d];
        double[] c = new double[d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) c[j] = row[j] - mu[j];
            for (int i = 0; i < d; i++) {
                double ci = c[i];
                if (ci == 0) continue;
                double[] ri = cov[i];
                for (int j = i; j < d; j++) ri[j] += ci * c[j];
            }
        }
        for (int i = 0; i < d; i++)
            for (int j = i; j < d; j++) cov[j][i] = cov[i][j] = cov[i][j] / (n - 1);
        return new Gaussian(mu, cov);
    }

    public static double distance(float[][] a, float[][] b) {
        return distance(fit(a), fit(b));
    }

    public static double distance(Gaussian g1, Gaussian g2) {
        int d = g1.mean().length;
        if (g2.mean().length != d) throw new IllegalArgumentException("feature sizes differ: " + d + " vs " + g2.mean().length);
        double meanTerm = 0, traces = 0;
        for (int i = 0; i < d; i++) {
            double diff = g1.mean()[i] - g2.mean()[i];
            meanTerm += diff * diff;
            traces += g1.cov()[i][i] + g2.cov()[i][i];
        }
        double[][] r = new SymmetricEigen(g1.cov()).sqrtPsd();
        double[][] m = multiply(multiply(r, g2.cov()), r);
        for (int i = 0; i < d; i++) // symmetrize away round-off
            for (int j = i + 1; j < d; j++) m[i][j] = m[j][i] = 0.5 * (m[i][j] + m[j][i]);
        double trSqrt = 0;
        for (double ev : new SymmetricEigen(m).values()) trSqrt += Math.sqrt(Math.max(0, ev));
        return Math.max(0, meanTerm + traces - 2 * trSqrt);
    }

    static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length, k = b.length, m = b[0].length;
        double[][] out = new double[n][m];
        for (int i = 0; i < n; i++)
            for (int p = 0; p < k; p++) {
                double aip = a[i][p];
                if (aip == 0) continue;
                double[] bp = b[p], oi = out[i];
                for (int j = 0; j < m; j++) oi[j] += aip * bp[j];
            }
        return out;
    }
}
