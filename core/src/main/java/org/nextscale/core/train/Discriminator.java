package org.nextscale.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nextscale.core.data.SeededRandom;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.nn.Ops;
import org.nextscale.core.nn.Params;

/**
 * A PatchGAN discriminator (pix2pix's NLayerDiscriminator, as taming-transformers' VQGAN and VAR's tokenizer
 * recipe use it): one logit per overlapping patch, saying "real" (high) or "reconstructed" (low).
 * <pre>
 *   disc.conv0           4x4 stride 2, C_in -> ch, bias                  LeakyReLU 0.2
 *   disc.conv{n}, n=1..L-1   4x4 stride 2, ch*m(n-1) -> ch*m(n), no bias, GroupNorm, LeakyReLU 0.2
 *   disc.conv{L}         4x4 stride 1, ch*m(L-1) -> ch*m(L),   no bias, GroupNorm, LeakyReLU 0.2
 *   disc.out             4x4 stride 1, -> 1 logit, bias
 * </pre>
 * with m(n) = min(2^n, 8) and padding 1 everywhere: (B, C, H, W) -> (B, 1, H/2^L - 2, W/2^L - 2). The
 * reference normalises with BatchNorm; GroupNorm (gcd(C, 32) groups) is used here so a logit depends on
 * its own image only, which keeps micro-batches and bit-exact resume exact. Initialisation as taming's
 * weights_init: convolutions N(0, 0.02), norm gains N(1, 0.02), biases 0. Only the training checkpoint
 * holds these weights; the model file never does.
 */
public final class Discriminator {
    private final Params params;
    private final int layers;

    /** The weights (names "disc.*") must be in {@code params}, e.g. from {@link #init}. */
    public Discriminator(Params params, int layers) {
        this.params = params;
        this.layers = layers;
    }

    /** Seeded initial weights for images of {@code channels} channels, base width {@code ch}, {@code layers} strided layers. */
    public static Map<String, HostTensor> init(int channels, int ch, int layers, long seed) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        int in = channels;
        for (int n = 0; n <= layers; n++) {
            int width = ch * Math.min(1 << n, 8);
            String name = "disc.conv" + n;
            out.put(name + ".weight", normal(seed, name + ".weight", 0f, 0.02f, width, in, 4, 4));
            if (n == 0) out.put(name + ".bias", HostTensor.ofFloats(new float[width], width));
            else {
                out.put("disc.norm" + n + ".weight", normal(seed, "disc.norm" + n + ".weight", 1f, 0.02f, width));
                out.put("disc.norm" + n + ".bias", HostTensor.ofFloats(new float[width], width));
            }
            in = width;
        }
        out.put("disc.out.weight", normal(seed, "disc.out.weight", 0f, 0.02f, 1, in, 4, 4));
        out.put("disc.out.bias", HostTensor.ofFloats(new float[1], 1));
        return out;
    }

    /** Side of the logit map for images of side {@code size}; at least 1 or the configuration is refused. */
    public static int logitSide(int size, int layers) {
        return (size >> layers) - 2;
    }

    private static HostTensor normal(long seed, String name, float mean, float std, long... shape) {
        SeededRandom r = SeededRandom.of(seed, name.hashCode(), name.length(), 0xD15C);
        float[] v = new float[(int) HostTensor.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = mean + std * (float) r.nextGaussian();
        return HostTensor.ofFloats(v, shape);
    }

    public List<String> names() {
        return new ArrayList<>(params.names());
    }

    public Params params() {
        return params;
    }

    /** x (B, C, H, W) in [-1, 1] -> logits (B, 1, H/2^L - 2, W/2^L - 2). Results belong to x's manager. */
    public NDArray forward(NDArray x) {
        NDArray h = x;
        for (int n = 0; n <= layers; n++) {
            String name = "disc.conv" + n;
            h = Ops.conv2d(h, params.get(name + ".weight"), n == 0 ? params.get(name + ".bias") : null, n < layers ? 2 : 1, 1);
            if (n > 0) h = groupNorm(h, params.get("disc.norm" + n + ".weight"), params.get("disc.norm" + n + ".bias"));
            h = Activation.leakyRelu(h, 0.2f);
        }
        return Ops.conv2d(h, params.get("disc.out.weight"), params.get("disc.out.bias"), 1, 1);
    }

    private static NDArray groupNorm(NDArray x, NDArray gamma, NDArray beta) {
        Shape s = x.getShape();
        int c = (int) s.get(1), groups = gcd(c, 32);
        long n = s.size() / (s.get(0) * groups);
        NDManager m = x.getManager();
        return Ops.groupNorm(x, groups, gamma, beta, 1e-5f, m.ones(new Shape(n)), m.zeros(new Shape(n)));
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** Drops the gradients a generator pass left in the discriminator's weights. */
    public void zeroGradients() {
        for (NDArray w : params.asMap().values()) if (w.hasGradient()) JniUtils.zeroGrad((PtNDArray) w);
    }
}
