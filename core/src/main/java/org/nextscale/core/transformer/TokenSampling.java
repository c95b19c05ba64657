package org.nextscale.core.transformer;

import org.nextscale.core.nn.Ops;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Drawing tokens from logits (reference models/helpers.py sample_with_top_k_top_p_ and
 * gumbel_softmax_with_rng). Filters run on the engine; the random numbers come from a Java
 * {@link SplittableRandom}, so a seed gives the same tokens on every device and engine build.
 * Logits are (..., V); results belong to the logits' manager.
 */
public final class TokenSampling {
    private TokenSampling() {}

    /** Keeps every logit >= the k-th largest of its row (ties kept), the rest become -inf. k <= 0: off. */
    public static NDArray topK(NDArray logits, int k) {
        long v = logits.getShape().getLastDimension();
        if (k <= 0 || k >= v) return logits;
        NDArray kth = logits.topK(k, -1, true, false).get(0).min(new int[] {-1}, true);      // (..., 1)
        return minusInfWhere(logits, logits.lt(kth));
    }

    /**
     * Nucleus filter: sort each row ascending, drop entries whose cumulative softmax is <= 1 - p, always
     * keep the largest. p <= 0 or p >= 1: off.
     */
    public static NDArray topP(NDArray logits, double p) {
        if (p <= 0 || p >= 1) return logits;
        long v = logits.getShape().getLastDimension();
        NDArray order = logits.argSort(-1, true);                                              // (..., V) ascending
        NDArray cumulative = logits.gather(order, -1).softmax(-1).cumSum(-1);
        NDArray drop = cumulative.lte(Ops.constant(cumulative, (float) (1 - p))).toType(DataType.FLOAT32, false);         // 1 = drop, sorted order
        NDArray position = logits.getManager().arange(0f, (float) v, 1f, DataType.FLOAT32, logits.getDevice());   // (V) 0..V-1, made on the device
        NDArray notLast = position.lt(Ops.constant(position, v - 1f)).toType(DataType.FLOAT32, false);             // 1 but the last
        drop = drop.mul(notLast);                                                              // never drop the largest
        NDArray dropInPlace = drop.gather(order.argSort(-1, true), -1);                        // back to vocabulary order
        return minusInfWhere(logits, dropInPlace.gt(Ops.constant(dropInPlace, 0.5f)));
    }

    /**
     * top-k then top-p, as the reference applies them. Their intermediates (a dozen arrays of the logits' size:
     * sort orders, cumulative sums, masks) are freed on return, not when the caller's step ends.
     */
    public static NDArray filter(NDArray logits, int topK, double topP) {
        NDManager outer = logits.getManager();
        try (NDManager scope = outer.newSubManager()) {
            logits.tempAttach(scope);
            NDArray out = topP(topK(logits, topK), topP);
            out.attach(outer);
            return out;
        }
    }

    /**
     * One token per row drawn from softmax(logits) by inverse CDF with one uniform per row from {@code rng}: on the
     * host for arrays on the CPU (the exact mode, bit for bit the reference's parity tokens), on the device otherwise,
     * where reading the whole (B, l, V) probabilities back every scale would cost a copy and a synchronisation (d16 at
     * batch 32: about 356 MB a batch). Both draw with the same uniforms; they can differ only where float32 and double
     * sums round a boundary differently.
     */
    public static NDArray multinomial(NDArray logits, SplittableRandom rng) {
        return logits.getDevice().isGpu() ? multinomialOnDevice(logits, rng) : multinomialOnHost(logits, rng);
    }

    /**
     * The device's draw: the row's cumulative softmax, and the first entry whose cumulative sum exceeds u times the row's
     * total (entries of probability 0 never raise the sum, so they are never the first). Only the B*l uniforms go up
     * and the (B, l) tokens stay on the device.
     * @param logits (B, l, V)
     * @return (B, l) int64
     */
    public static NDArray multinomialOnDevice(NDArray logits, SplittableRandom rng) {
        Shape s = logits.getShape();
        int rows = (int) (s.get(0) * s.get(1)), v = (int) s.getLastDimension();
        float[] u = new float[rows];
        for (int r = 0; r < rows; r++) u[r] = (float) (rng.nextDouble() * (1 - 1e-6));   // strictly below the row's total
        NDManager outer = logits.getManager();
        try (NDManager scope = outer.newSubManager()) {
            NDArray cum = logits.softmax(-1).cumSum(-1);                                     // (B, l, V)
            cum.attach(scope);
            NDArray target = cum.get("..., -1:").mul(scope.create(u, new Shape(s.get(0), s.get(1), 1)));   // (B, l, 1)
            NDArray picked = cum.lte(target).toType(DataType.INT64, false).sum(new int[] {-1});           // (B, l)
            NDArray out = picked.minimum(v - 1);
            out.attach(outer);
            return out;
        }
    }

    /**
     * The host's draw (the exact mode): the probabilities read to Java and summed in double, rows in row-major order.
     * Entries with probability 0 (filtered) are never drawn.
     * @param logits (B, l, V)
     * @return (B, l) int64
     */
    public static NDArray multinomialOnHost(NDArray logits, SplittableRandom rng) {
        Shape s = logits.getShape();
        int v = (int) s.getLastDimension();
        float[] probs;
        try (NDArray p = logits.softmax(-1)) {
            probs = p.toFloatArray();
        }
        int rows = probs.length / v;
        long[] out = new long[rows];
        for (int r = 0; r < rows; r++) {
            int off = r * v;
            double total = 0;
            for (int i = 0; i < v; i++) total += probs[off + i];
            double target = rng.nextDouble() * total, cum = 0;
            int pick = -1;
            for (int i = 0; i < v; i++) {
                if (probs[off + i] <= 0) continue;
                pick = i;
                cum += probs[off + i];
                if (cum > target) break;
            }
            out[r] = pick;
        }
        return logits.getManager().create(out, new Shape(s.get(0), s.get(1)));
    }

    /**
     * Gumbel-softmax relaxation (reference gumbel_softmax_with_rng, hard=False): softmax((logits + g) / tau)
     * with g = -log(E), E ~ Exp(1) drawn from {@code rng}. Same shape as the logits.
     */
    public static NDArray gumbelSoftmax(NDArray logits, double tau, SplittableRandom rng) {
        NDManager m = logits.getManager();
        int n = (int) logits.getShape().size();
        float[] g = new float[n];
        for (int i = 0; i < n; i++) g[i] = (float) -Math.log(exponential(rng));
        return logits.add(m.create(g, logits.getShape())).div((float) tau).softmax(-1);
    }

    /** Exp(1) from a uniform in (0, 1], kept above 0 so that -log stays finite. */
    private static double exponential(SplittableRandom rng) {
        return Math.max(-Math.log(1.0 - rng.nextDouble()), Double.MIN_NORMAL);
    }

    private static NDArray minusInfWhere(NDArray logits, NDArray condition) {
        NDArray minusInf = logits.getManager().full(logits.getShape(), Float.NEGATIVE_INFINITY);
        return NDArrays.where(condition, minusInf, logits);
    }
}
