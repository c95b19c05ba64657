package org.nextscale.core.train;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nextscale.core.io.HostTensor;

/** Transformer loss and accuracy per scale, averaged over the steps since the last report. */
final class ScaleStats {
    private final List<Integer> patchNums;
    private final boolean raster;
    private final double[] loss, acc;
    private int steps;

    ScaleStats(List<Integer> patchNums, boolean raster) {
        this.patchNums = patchNums;
        this.raster = raster;
        loss = new double[patchNums.size()];
        acc = new double[patchNums.size()];
    }

    /** perPos = (2, L): mean loss per position, then mean accuracy per position. Returns the step's accuracy. */
    double add(float[] perPos, int len) {
        int b = 0;
        double total = 0;
        for (int k = 0; k < patchNums.size(); k++) {
            int n = patchNums.get(k) * patchNums.get(k);
            double l = 0, a = 0;
            for (int j = b; j < b + n; j++) { l += perPos[j]; a += perPos[len + j]; }
            loss[k] += l / n;
            acc[k] += a / n;
            total += a;
            b += n;
        }
        steps++;
        return total / len;
    }

    /** Mean loss per scale of one (2, L) per-position result (see {@link #add}). */
    double[] lossPerScale(float[] perPos) {
        double[] out = new double[patchNums.size()];
        int b = 0;
        for (int k = 0; k < patchNums.size(); k++) {
            int n = patchNums.get(k) * patchNums.get(k);
            for (int j = b; j < b + n; j++) out[k] += perPos[j];
            out[k] /= n;
            b += n;
        }
        return out;
    }

    /** Mean accuracy over all positions of one (2, L) per-position result. */
    static double accuracy(float[] perPos, int len) {
        double a = 0;
        for (int j = 0; j < len; j++) a += perPos[len + j];
        return a / len;
    }

    /** "1x1", "2x2", ... (raster: the last scale's side). */
    java.util.List<String> names() {
        return patchNums.stream().map(p -> p + "x" + p).toList();
    }

    String describe() {
        if (steps == 0) return "";
        StringBuilder s = new StringBuilder(raster ? "raster tokens: " : "per scale (loss/acc): ");
        for (int k = 0; k < patchNums.size(); k++)
            s.append(String.format(Locale.ROOT, "%s%dx%d %.3f/%.3f", k == 0 ? "" : ", ", patchNums.get(k), patchNums.get(k),
                    loss[k] / steps, acc[k] / steps));
        return s.toString();
    }

    void reset() {
        java.util.Arrays.fill(loss, 0);
        java.util.Arrays.fill(acc, 0);
        steps = 0;
    }

    /** Only a log: not needed to resume bit for bit, so nothing is saved. */
    Map<String, HostTensor> state() {
        return Map.of();
    }

    void load(Map<String, HostTensor> state) {}
}
