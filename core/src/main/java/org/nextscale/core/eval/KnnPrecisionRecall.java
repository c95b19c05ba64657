package org.nextscale.core.eval;

/**
 * Improved precision and recall (Kynkaanniemi et al. 2019) in a feature space. Each set's manifold is
 * the union of balls around its samples, a ball's radius being the distance to the sample's k-th nearest
 * neighbour within its own set (the sample itself not counted).
 * <ul>
 *   <li>precision = fraction of generated samples inside the real manifold (are samples realistic?)</li>
 *   <li>recall = fraction of real samples inside the generated manifold (is the variety covered?)</li>
 * </ul>
 * Exact brute force in Java (squared Euclidean distances), O(n^2 d): ~10 s for 10,000 samples of 128 dims.
 */
public final class KnnPrecisionRecall {
    public static final int DEFAULT_K = 3;

    private KnnPrecisionRecall() {}

    public record Result(double precision, double recall) {}

    public static Result compute(float[][] real, float[][] fake, int k) {
        if (real.length <= k || fake.length <= k)
            throw new IllegalArgumentException("k-NN precision/recall with k=" + k + " needs more than " + k + " samples per set");
        double[] realRadii = kthNeighbourRadii(real, k);
        double[] fakeRadii = kthNeighbourRadii(fake, k);
        return new Result(coverage(fake, real, realRadii), coverage(real, fake, fakeRadii));
    }

    /** Squared distance from each sample to its k-th nearest other sample of the same set. */
    static double[] kthNeighbourRadii(float[][] x, int k) {
        int n = x.length;
        double[][] nearest = new double[n][k]; // ascending, the k smallest squared distances seen so far
        for (double[] row : nearest) java.util.Arrays.fill(row, Double.POSITIVE_INFINITY);
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) {
                double d = squaredDistance(x[i], x[j]);
                insert(nearest[i], d);
                insert(nearest[j], d);
            }
        double[] r = new double[n];
        for (int i = 0; i < n; i++) r[i] = nearest[i][k - 1];
        return r;
    }

    /** Fraction of queries within radius of at least one centre. */
    static double coverage(float[][] queries, float[][] centres, double[] radii) {
        int inside = 0;
        for (float[] q : queries)
            for (int c = 0; c < centres.length; c++)
                if (squaredDistance(q, centres[c]) <= radii[c]) {
                    inside++;
                    break;
                }
        return (double) inside / queries.length;
    }

    private static void insert(double[] sorted, double d) {
        int last = sorted.length - 1;
        if (d >= sorted[last]) return;
        int i = last;
        while (i > 0 && sorted[i - 1] > d) {
            sorted[i] = sorted[i - 1];
            i--;
        }
        sorted[i] = d;
    }

    /** Sum of squared differences with four independent accumulators (lets the JIT pipeline the loop). */
    static double squaredDistance(float[] a, float[] b) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int n = a.length, i = 0;
        for (; i + 3 < n; i += 4) {
            float d0 = a[i] - b[i], d1 = a[i + 1] - b[i + 1], d2 = a[i + 2] - b[i + 2], d3 = a[i + 3] - b[i + 3];
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; i < n; i++) {
            float d = a[i] - b[i];
            s0 += d * d;
        }
        return (double) s0 + s1 + s2 + s3;
    }
}
