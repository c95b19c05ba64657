package org.nextscale.core.eval;

/**
 * Eigendecomposition of a real symmetric matrix by the cyclic Jacobi method, in double precision:
 * A = V diag(values) V^T with orthonormal columns in V. Accurate to a few ulps of the largest
 * eigenvalue; O(n^3) per sweep, about 6-10 sweeps, so ~0.1 s for the 128x128 covariances used here.
 */
public final class SymmetricEigen {
    private final double[] values;
    private final double[][] vectors;

    /** Decomposes {@code a} (n x n, symmetric; only read, not changed). */
    public SymmetricEigen(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) throw new IllegalArgumentException("matrix is not square");
            m[i] = a[i].clone();
        }
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) v[i][i] = 1;
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0, diag = 0;
            for (int i = 0; i < n; i++) {
                diag += m[i][i] * m[i][i];
                for (int j = i + 1; j < n; j++) off += m[i][j] * m[i][j];
            }
            if (off <= 1e-30 * diag || off == 0) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) {
                    double apq = m[p][q];
                    if (apq == 0) continue;
                    // rotation angle that zeroes m[p][q] (Golub & Van Loan, symmetric Schur)
                    double theta = (m[q][q] - m[p][p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++) { // columns p, q
                        double mkp = m[k][p], mkq = m[k][q];
                        m[k][p] = c * mkp - s * mkq;
                        m[k][q] = s * mkp + c * mkq;
                    }
                    for (int k = 0; k < n; k++) { // rows p, q
                        double mpk = m[p][k], mqk = m[q][k];
                        m[p][k] = c * mpk - s * mqk;
                        m[q][k] = s * mpk + c * mqk;
                    }
                    m[p][q] = m[q][p] = 0;
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k][p], vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
        }
        values = new double[n];
        for (int i = 0; i < n; i++) values[i] = m[i][i];
        vectors = v;
    }

    public double[] values() {
        return values.clone();
    }

    /** Column i is the eigenvector of {@code values()[i]}. */
    public double[][] vectors() {
        double[][] out = new double[vectors.length][];
        for (int i = 0; i < out.length; i++) out[i] = vectors[i].clone();
        return out;
    }

    /** V f(diag) V^T with f = sqrt of the eigenvalues clamped at 0: the PSD square root. */
    public double[][] sqrtPsd() {
        int n = values.length;
        double[] s = new double[n];
        for (int i = 0; i < n; i++) s[i] = Math.sqrt(Math.max(0, values[i]));
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++) {
                double acc = 0;
                for (int k = 0; k < n; k++) acc += vectors[i][k] * s[k] * vectors[j][k];
                out[i][j] = out[j][i] = acc;
            }
        return out;
    }
}
