package org.nextscale.core.tokenizer;

import ai.djl.ndarray.NDArray;
import org.nextscale.core.config.VqVaeConfig;
import org.nextscale.core.nn.Ops;

/**
 * The quantizer's residual refinement phi(h) = (1-r) h + r conv3x3(h), r = |quant_resi| (reference
 * models/quant.py Phi). Which convolution a scale uses depends on share_quant_resi:
 * <ul>
 *   <li>0, non-shared: one per scale, weights "vae.quantize.quant_resi.{k}.*" (PhiNonShared; K is the
 *       number of such weights present, the reference's default_qresi_counts or the number of scales);</li>
 *   <li>1, shared: one for all, "vae.quantize.quant_resi.qresi.*" (PhiShared);</li>
 *   <li>K >= 2, partially shared: K of them, "vae.quantize.quant_resi.qresi_ls.{k}.*" (PhiPartiallyShared).</li>
 * </ul>
 * For 0 and K >= 2, scale si of S uses index argmin_k |tick_k - si/(S-1)| (first on ties, float64), with
 * ticks linspace(1/(3K), 1-1/(3K), K) when K == 4, else linspace(1/(2K), 1-1/(2K), K).
 * |quant_resi| <= 1e-6 makes phi the identity (no weights).
 */
final class Phi {
    private final float ratio;
    private final Conv[] convs;          // null when phi is the identity
    private final int[] indexPerScale;

    Phi(Weights w, VqVaeConfig c, int numScales) {
        int cvae = c.zChannels();
        ratio = (float) Math.abs(c.quantResi());
        boolean identity = Math.abs(c.quantResi()) <= 1e-6;
        String p = "vae.quantize.quant_resi.";
        int share = c.shareQuantResi();
        if (share < 0) throw new IllegalArgumentException("tokenizer: share_quant_resi must be >= 0, got " + share);
        int k;
        String[] names;
        if (share == 1) {
            k = 1;
            names = new String[] {p + "qresi"};
        } else if (share == 0) {
            int present = 0;
            while (w.has(p + present + ".weight")) present++;
            k = identity || present == 0 ? numScales : present;
            names = new String[k];
            for (int i = 0; i < k; i++) names[i] = p + i;
        } else {
            k = share;
            names = new String[k];
            for (int i = 0; i < k; i++) names[i] = p + "qresi_ls." + i;
        }
        convs = new Conv[k];
        if (!identity) for (int i = 0; i < k; i++) convs[i] = Conv.same(w, names[i], cvae, cvae, 3);
        indexPerScale = new int[numScales];
        double[] ticks = ticks(k);
        for (int si = 0; si < numScales; si++) indexPerScale[si] = share == 1 ? 0 : nearestTick(ticks, at(si, numScales));
    }

    /** h (B, Cvae, H, W) -> phi_{index(si)}(h), same shape. */
    NDArray apply(int si, NDArray h) {
        Conv conv = convs[indexPerScale[si]];
        if (conv == null) return h;
        return Ops.scale(h, 1f - ratio).add(Ops.scale(conv.forward(h), ratio));
    }

    int index(int si) {
        return indexPerScale[si];
    }

    /** The reference's position of scale si in [0, 1]: si / (S-1) (0 for a single scale). */
    static double at(int si, int numScales) {
        return numScales > 1 ? (double) si / (numScales - 1) : 0.0;
    }

    /** numpy.linspace(a, b, K) with a = 1/(3K) when K == 4, else 1/(2K), and b = 1 - a. */
    static double[] ticks(int k) {
        double a = k == 4 ? 1.0 / 3 / k : 1.0 / 2 / k;
        double b = k == 4 ? 1 - 1.0 / 3 / k : 1 - 1.0 / 2 / k;
        double[] t = new double[k];
        if (k == 1) {
            t[0] = a;
            return t;
        }
        double step = (b - a) / (k - 1);
        for (int i = 0; i < k; i++) t[i] = i * step + a;
        t[k - 1] = b;
        return t;
    }

    static int nearestTick(double[] ticks, double at) {
        int best = 0;
        for (int i = 1; i < ticks.length; i++) if (Math.abs(ticks[i] - at) < Math.abs(ticks[best] - at)) best = i;
        return best;
    }
}
