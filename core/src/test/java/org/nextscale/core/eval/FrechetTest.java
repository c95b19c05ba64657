package org.nextscale.core.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FrechetTest {

    static float[][] gaussianSamples(int n, int d, long seed) {
        Random rnd = new Random(seed);
        float[][] x = new float[n][d];
        for (float[] row : x)
            for (int j = 0; j < d; j++) row[j] = (float) (rnd.nextGaussian() * (1 + j % 3)); // anisotropic
        return x;
    }

    @Test
    void distanceOfASetToItselfIsZero() {
        float[][] x = gaussianSamples(2000, 128, 1);
        double fd = Frechet.distance(x, x);
        assertEquals(0, fd, 1e-6, "FD(x, x)");
    }

    @Test
    void shiftedSetIsTheSquaredShift() {
        // same covariance, means differ by delta: FD = |delta|^2 exactly
        float[][] x = gaussianSamples(3000, 64, 2);
        float[][] y = new float[x.length][64];
        double shift2 = 0;
        float[] delta = new float[64];
        for (int j = 0; j < 64; j++) {
            delta[j] = 0.25f * (j % 5 - 2);
            shift2 += (double) delta[j] * delta[j];
        }
        for (int i = 0; i < x.length; i++)
            for (int j = 0; j < 64; j++) y[i][j] = x[i][j] + delta[j];
        // float32 rounding of the shifted samples changes the covariance by ~1e-7 relative
        assertEquals(shift2, Frechet.distance(x, y), 1e-3 * shift2);
    }

    @Test
    void commutingCovariancesFollowTheClosedForm() {
        // S1 = Q diag(a) Q^T, S2 = Q diag(b) Q^T: FD = |mu1-mu2|^2 + sum (sqrt a - sqrt b)^2
        int d = 128;
        Random rnd = new Random(3);
        double[][] q = randomRotation(d, rnd);
        double[] a = new double[d], b = new double[d], mu1 = new double[d], mu2 = new double[d];
        double expected = 0;
        for (int i = 0; i < d; i++) {
            a[i] = 0.1 + rnd.nextDouble() * 4;
            b[i] = i % 7 == 0 ? 0 : 0.1 + rnd.nextDouble() * 4; // singular S2, as dead ReLU features give
            mu1[i] = rnd.nextGaussian();
            mu2[i] = rnd.nextGaussian();
            expected += Math.pow(mu1[i] - mu2[i], 2) + Math.pow(Math.sqrt(a[i]) - Math.sqrt(b[i]), 2);
        }
        double fd = Frechet.distance(new Frechet.Gaussian(mu1, conjugate(q, a)), new Frechet.Gaussian(mu2, conjugate(q, b)));
        assertEquals(expected, fd, 1e-7 * expected); // clamped round-off of the zero eigenvalues is ~sqrt(1e-14) each
    }

    @Test
    void nonCommuting2x2FollowsTheClosedForm() {
        // for 2x2 M with nonnegative eigenvalues, tr sqrt(M) = sqrt(tr M + 2 sqrt(det M)); M = S1 S2
        double[][] s1 = {{2.0, 0.7}, {0.7, 1.0}}, s2 = {{0.5, -0.2}, {-0.2, 3.0}};
        double[][] m = Frechet.multiply(s1, s2);
        double trSqrt = Math.sqrt(m[0][0] + m[1][1] + 2 * Math.sqrt(m[0][0] * m[1][1] - m[0][1] * m[1][0]));
        double expected = 1 * 1 + 2 * 2 + 3.0 + 3.5 - 2 * trSqrt;
        double fd = Frechet.distance(new Frechet.Gaussian(new double[] {0, 0}, s1), new Frechet.Gaussian(new double[] {1, -2}, s2));
        assertEquals(expected, fd, 1e-12);
    }

    @Test
    void sampleCovarianceUsesNMinusOne() {
        float[][] x = {{1, 2}, {3, 6}, {5, 4}};
        Frechet.Gaussian g = Frechet.fit(x);
        assertArrayEquals(new double[] {3, 4}, g.mean(), 1e-12);
        assertEquals(4.0, g.cov()[0][0], 1e-12); // ((-2)^2 + 0 + 2^2) / 2
        assertEquals(2.0, g.cov()[0][1], 1e-12); // ((-2)(-2) + 0 + 2*0) / 2
        assertEquals(4.0, g.cov()[1][1], 1e-12);
    }

    @Test
    void eigendecompositionReconstructsTheMatrix() {
        int d = 40;
        Random rnd = new Random(4);
        double[][] a = new double[d][d];
        for (int i = 0; i < d; i++)
            for (int j = i; j < d; j++) a[i][j] = a[j][i] = rnd.nextGaussian();
        SymmetricEigen e = new SymmetricEigen(a);
        double[][] v = e.vectors();
        double[] w = e.values();
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) {
                double r = 0, dot = 0;
                for (int k = 0; k < d; k++) {
                    r += v[i][k] * w[k] * v[j][k];
                    dot += v[k][i] * v[k][j];
                }
                assertEquals(a[i][j], r, 1e-10, "A = V diag V^T at " + i + "," + j);
                assertEquals(i == j ? 1 : 0, dot, 1e-10, "V^T V = I at " + i + "," + j);
            }
    }

    static double[][] randomRotation(int d, Random rnd) {
        double[][] g = new double[d][d];
        for (int i = 0; i < d; i++)
            for (int j = i; j < d; j++) g[i][j] = g[j][i] = rnd.nextGaussian();
        return new SymmetricEigen(g).vectors(); // eigenvectors of a random symmetric matrix: orthonormal
    }

    static double[][] conjugate(double[][] q, double[] diag) {
        int d = diag.length;
        double[][] out = new double[d][d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) s += q[i][k] * diag[k] * q[j][k];
                out[i][j] = s;
            }
        return out;
    }
}
