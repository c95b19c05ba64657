package org.nextscale.core.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Host-side views of the per-scale codebook hit counts (S, V) the training passes return. */
final class Usage {
    private Usage() {}

    static int[][] counts(NDArray hits) {
        int s = (int) hits.getShape().get(0), v = (int) hits.getShape().get(1);
        int[] flat = hits.toType(DataType.INT32, false).toIntArray();
        int[][] out = new int[s][v];
        for (int i = 0; i < s; i++) System.arraycopy(flat, i * v, out[i], 0, v);
        return out;
    }

    /** Per scale, the fraction of codebook entries used at least once. */
    static double[] usedFraction(NDArray hits) {
        int[][] c = counts(hits);
        double[] f = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            int used = 0;
            for (int n : c[i]) if (n > 0) used++;
            f[i] = (double) used / c[i].length;
        }
        return f;
    }
}
