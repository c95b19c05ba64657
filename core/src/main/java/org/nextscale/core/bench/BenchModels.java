package org.nextscale.core.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.config.VarConfig;
import org.nextscale.core.config.VqVaeConfig;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.model.WeightSpec;

/**
 * The configurations the benchmark measures, with random weights (speed does not depend on the values).
 * Config B: 32x32 gray images; VQ-VAE ch 64, ch_mult 1,2,2, 2 res blocks, z 32, vocabulary 512 (the
 * reference's other defaults: self-attention at the lowest level and in the middle, partially shared
 * phi with 4 convolutions, quant_resi 0.5); VAR depth 6, width 384, 6 heads, scales 1,2,3,4,5,6,8,
 * attention L2 norm, 10 classes.
 */
public final class BenchModels {
    private BenchModels() {}

    public static final List<Integer> SCALES_B = List.of(1, 2, 3, 4, 5, 6, 8);
    public static final List<Integer> SCALES_16 = List.of(1, 2, 3, 4, 5, 6, 8, 10, 13, 16);

    public static VqVaeConfig tokenizerB() {
        return new VqVaeConfig(512, 32, 64, List.of(1, 2, 2), 2, 1, true, true, 0.25, 0.5, 4, 3);
    }

    public static VarConfig transformerB() {
        return new VarConfig(10, 6, 384, 6, 4.0, 1e-6, false, true, 0.1);
    }

    /** Config B with the given scales and order ("var" or "raster"); image side = last scale x 4. */
    public static ModelConfig configB(List<Integer> scales, String order) {
        VqVaeConfig vq = tokenizerB();
        int size = scales.get(scales.size() - 1) * vq.downsample();
        return new ModelConfig(ModelConfig.FORMAT_VERSION, size, scales, vq, transformerB(), ModelConfig.defaultClassNames(10), order)
                .validate();
    }

    /**
     * Every tensor of the spec: weights ~ N(0, 0.02), biases 0, norm gains 1, the attention scale log 4 as in
     * the reference's init, buffers as a fresh model has them. Seeded, so runs are repeatable.
     */
    public static Map<String, HostTensor> randomWeights(ModelConfig cfg, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, HostTensor> buffers = WeightSpec.buffers(cfg);
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (WeightSpec.Entry e : WeightSpec.of(cfg)) {
            if (!e.trainable()) {
                out.put(e.name(), buffers.get(e.name()));
                continue;
            }
            float[] v = new float[(int) e.numel()];
            String n = e.name();
            boolean norm = n.contains("norm") && !n.contains("head_nm");
            if (n.endsWith("scale_mul_1H11")) java.util.Arrays.fill(v, (float) Math.log(4));
            else if (norm && n.endsWith(".weight")) java.util.Arrays.fill(v, 1f);
            else if (!n.endsWith("bias"))
                for (int i = 0; i < v.length; i++) v[i] = (float) (nextGaussian(rng) * 0.02);
            out.put(n, HostTensor.ofFloats(v, e.shape()));
        }
        return out;
    }

    private static double nextGaussian(SplittableRandom rng) {
        double u = 1.0 - rng.nextDouble(), w = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w);
    }
}
