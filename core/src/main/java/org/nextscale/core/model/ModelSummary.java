package org.nextscale.core.model;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.config.VarConfig;
import org.nextscale.core.config.VqVaeConfig;
import org.nextscale.core.io.HostTensor;

/** A few lines describing a model: image geometry, tokenizer, transformer, scales, classes, storage. */
public final class ModelSummary {
    private ModelSummary() {}

    /** weights may be null (only the config is known). */
    public static String describe(ModelConfig c, Map<String, HostTensor> weights) {
        StringBuilder s = new StringBuilder();
        int ch = c.channels();
        s.append(String.format(Locale.ROOT, "image:       %dx%d px, %d channel%s (%s)%n", c.imageSize(), c.imageSize(), ch,
                ch == 1 ? "" : "s", ch == 1 ? "gray" : ch == 3 ? "RGB" : "multi-channel"));
        VqVaeConfig v = c.vqvae();
        s.append(String.format(Locale.ROOT, "tokenizer:   %s parameters; vocab %d, z %d, ch %d, ch_mult %s, %d res blocks, downsample %d; phi %s, ratio %s%n",
                count(WeightSpec.parameterCount(c, "vae.")), v.vocabSize(), v.zChannels(), v.ch(), join(v.chMult()),
                v.numResBlocks(), v.downsample(), WeightSpec.phiVariant(v), trim(Math.abs(v.quantResi()))));
        VarConfig t = c.var();
        if (t == null) s.append("transformer: none (tokenizer-only model)\n");
        else s.append(String.format(Locale.ROOT, "transformer: %s parameters; depth %d, width %d, %d heads, mlp %s, %s AdaLN, %s attention, order %s%n",
                count(WeightSpec.parameterCount(c, "var.")), t.depth(), t.embedDim(), t.numHeads(), trim(t.mlpRatio()),
                t.sharedAln() ? "shared" : "per-block", t.attnL2Norm() ? "L2-normalised" : "scaled dot-product", c.order()));
        s.append(String.format(Locale.ROOT, "scales:      %d (%s), %d tokens per image%n", c.numScales(), join(c.patchNums()), c.totalTokens()));
        if (t != null) s.append(String.format(Locale.ROOT, "classes:     %d (%s)%n", c.classNames().size(), preview(c.classNames())));
        if (weights != null) {
            long bytes = 0;
            java.util.TreeSet<String> dtypes = new java.util.TreeSet<>();
            for (HostTensor w : weights.values()) {
                bytes += w.data().length;
                dtypes.add(w.dtype());
            }
            s.append(String.format(Locale.ROOT, "weights:     %d tensors, %s parameters in total, %s in memory (%s)%n",
                    weights.size(), count(WeightSpec.parameterCount(c, "")), megabytes(bytes), String.join("/", dtypes)));
        }
        return s.toString();
    }

    static String count(long n) {
        if (n >= 1_000_000_000L) return String.format(Locale.ROOT, "%.2f B", n / 1e9);
        if (n >= 1_000_000L) return String.format(Locale.ROOT, "%.2f M", n / 1e6);
        if (n >= 1_000L) return String.format(Locale.ROOT, "%.1f k", n / 1e3);
        return Long.toString(n);
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static String join(List<Integer> l) {
        StringBuilder b = new StringBuilder();
        for (int x : l) b.append(b.length() == 0 ? "" : ",").append(x);
        return b.toString();
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static String preview(List<String> names) {
        int n = Math.min(names.size(), 10);
        String s = String.join(", ", names.subList(0, n));
        return names.size() > n ? s + ", ..." : s;
    }
}
