package org.nextscale.core.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.config.VarConfig;
import org.nextscale.core.data.SeededRandom;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.model.WeightSpec;

/**
 * Initial weights of a new model, for every tensor {@link WeightSpec} lists, drawn on the host from the
 * seed (one stream per tensor name, so the result does not depend on the device or on the order).
 * <ul>
 *   <li>Tokenizer: PyTorch's defaults (convolutions and their biases uniform in +-1/sqrt(fan_in), norms 1/0);
 *       the codebook uniform in +-1/vocab (the trainer re-draws it from encoder features at step 0).</li>
 *   <li>Transformer: the reference's VAR.__init__ + init_weights(init_adaln=0.5, init_adaln_gamma=1e-5,
 *       init_head=0.02, init_std=-1): linear and embedding weights truncated-normal with std
 *       sqrt(1/(3C)), biases 0, head scaled by 0.02, attention/MLP output projections divided by
 *       sqrt(2 depth), AdaLN scale/shift rows by 0.5 and gamma rows by 1e-5, scale_mul = ln 4.</li>
 * </ul>
 * Buffers get their computed values ({@link WeightSpec#buffers}).
 */
public final class WeightInit {
    static final double INIT_ADALN = 0.5, INIT_ADALN_GAMMA = 1e-5, INIT_HEAD = 0.02;

    private WeightInit() {}

    /** Every tensor of {@code config} (tokenizer and transformer), initialised. */
    public static Map<String, HostTensor> all(ModelConfig config, long seed) {
        return init(config, seed, "");
    }

    /** Only the tensors whose names start with {@code prefix} ("vae." or "var."). */
    public static Map<String, HostTensor> init(ModelConfig config, long seed, String prefix) {
        Map<String, HostTensor> buffers = WeightSpec.buffers(config);
        Map<String, WeightSpec.Entry> spec = WeightSpec.byName(config);
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (WeightSpec.Entry e : spec.values()) {
            if (!e.name().startsWith(prefix)) continue;
            if (!e.trainable()) {
                out.put(e.name(), buffers.get(e.name()));
                continue;
            }
            SeededRandom r = SeededRandom.of(seed, e.name().hashCode(), e.name().length());
            float[] v = e.name().startsWith("vae.") ? vae(e, spec, config, r) : var(e, config, r);
            out.put(e.name(), HostTensor.ofFloats(v, e.shape()));
        }
        return out;
    }

    private static float[] vae(WeightSpec.Entry e, Map<String, WeightSpec.Entry> spec, ModelConfig c, SeededRandom r) {
        String n = e.name();
        long[] s = e.shape();
        float[] v = new float[(int) e.numel()];
        if (n.endsWith("quantize.embedding.weight")) return uniform(v, 1.0 / c.vqvae().vocabSize(), r);
        String module = n.substring(0, n.lastIndexOf('.'));
        WeightSpec.Entry weight = spec.get(module + ".weight");
        if (weight != null && weight.shape().length == 4) {          // convolution weight or bias
            long[] ws = weight.shape();
            double fanIn = ws[1] * ws[2] * ws[3];
            return uniform(v, 1 / Math.sqrt(fanIn), r);
        }
        if (weight != null && weight.shape().length == 2) {          // linear (none in the reference VQ-VAE)
            return uniform(v, 1 / Math.sqrt(weight.shape()[1]), r);
        }
        if (n.endsWith(".weight") && s.length == 1) java.util.Arrays.fill(v, 1f); // GroupNorm gain
        return v;                                                     // norm bias: 0
    }

    private static float[] var(WeightSpec.Entry e, ModelConfig c, SeededRandom r) {
        VarConfig t = c.var();
        int cdim = t.embedDim();
        double std = Math.sqrt(1.0 / cdim / 3);
        String n = e.name().substring("var.".length());
        float[] v = new float[(int) e.numel()];
        if (n.endsWith("bias")) return v;                             // every bias (and q_bias, v_bias) starts at 0
        if (n.endsWith("scale_mul_1H11")) {
            java.util.Arrays.fill(v, (float) Math.log(4));
            return v;
        }
        if (n.endsWith("ada_gss")) {                                  // (1, 1, 6, C): randn / sqrt(C), gammas tiny
            for (int i = 0; i < v.length; i++) {
                int chunk = i / cdim;
                v[i] = (float) (r.nextGaussian() / Math.sqrt(cdim) * (chunk < 2 ? INIT_ADALN_GAMMA : INIT_ADALN));
            }
            return v;
        }
        truncNormal(v, std, r);
        double sqrt2d = Math.sqrt(2.0 * t.depth());
        if (n.equals("head.weight")) scale(v, 0, v.length, INIT_HEAD);
        else if (n.equals("head_nm.ada_lin.1.weight")) scale(v, 0, v.length, INIT_ADALN);
        else if (n.endsWith("attn.proj.weight") || n.endsWith("ffn.fc2.weight")) scale(v, 0, v.length, 1 / sqrt2d);
        else if (n.startsWith("blocks.") && n.endsWith("ada_lin.1.weight")) {
            // rows [0, 2C) are gamma1, gamma2; rows [2C, 6C) scales and shifts; each row has C inputs
            scale(v, 0, 2 * cdim * cdim, INIT_ADALN_GAMMA);
            scale(v, 2 * cdim * cdim, v.length, INIT_ADALN);
        }
        return v;
    }

    private static float[] uniform(float[] v, double bound, SeededRandom r) {
        for (int i = 0; i < v.length; i++) v[i] = (float) ((2 * r.nextDouble() - 1) * bound);
        return v;
    }

    /** torch.nn.init.trunc_normal_(std) with its default bounds [-2, 2] (absolute, as the reference). */
    private static void truncNormal(float[] v, double std, SeededRandom r) {
        for (int i = 0; i < v.length; i++) {
            double x;
            do x = r.nextGaussian() * std; while (x < -2 || x > 2);
            v[i] = (float) x;
        }
    }

    private static void scale(float[] v, int from, int to, double f) {
        for (int i = from; i < to; i++) v[i] = (float) (v[i] * f);
    }
}
