package org.nextscale.core.tokenizer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The two image resizes VAR's quantizer uses, with PyTorch's exact semantics (F.interpolate):
 * <ul>
 *   <li>{@link #area}: mode='area' = adaptive average pooling. Output cell i averages input cells
 *       [floor(i*In/Out), ceil((i+1)*In/Out)); the windows overlap when Out does not divide In.</li>
 *   <li>{@link #bicubic}: mode='bicubic', align_corners=False, A=-0.75, no antialiasing. The source
 *       coordinate src = (In/Out)*(dst+0.5) - 0.5 is not clamped; the four taps floor(src)-1..floor(src)+2 are
 *       clamped to the border; separable; no output clamp.</li>
 * </ul>
 * Both are linear maps along each axis, so each is applied as two interpolation matrices,
 * {@code y = Mh x Mw^T}: differentiable, engine independent, and on whatever device x lives. The matrices
 * are computed once per (in, out) size and device and kept there for the JVM's life (a few KB each, one per size
 * the models use), so a call copies nothing from the host: on a GPU each upload would be a blocking copy, four
 * per scale in sampling, tokenizing and training.
 */
public final class Resize {
    private static final float A = -0.75f;
    /** "kind in>out@device" -> the (out, in) matrix on that device, owned by {@link #OWNERS}. */
    private static final Map<String, NDArray> KEPT = new ConcurrentHashMap<>();
    /** One manager per device for the kept matrices; never closed. */
    private static final Map<Device, NDManager> OWNERS = new ConcurrentHashMap<>();

    private Resize() {}

    /** How many matrices are kept for the JVM's life (not a leak: one per size and device, made on first use). */
    public static int keptMatrices() {
        return KEPT.size();
    }

    /** PyTorch F.interpolate(x, (outH, outW), mode='area'); x (B, C, H, W) -> (B, C, outH, outW). */
    public static NDArray area(NDArray x, int outH, int outW) {
        return apply(x, outH, outW, "area", Resize::areaMatrix);
    }

    /** PyTorch F.interpolate(x, (outH, outW), mode='bicubic'); x (B, C, H, W) -> (B, C, outH, outW). */
    public static NDArray bicubic(NDArray x, int outH, int outW) {
        return apply(x, outH, outW, "bicubic", Resize::bicubicMatrix);
    }

    private interface MatrixMaker {
        float[] make(int in, int out);
    }

    private static NDArray apply(NDArray x, int outH, int outW, String kind, MatrixMaker maker) {
        Shape s = x.getShape();
        if (s.dimension() != 4) throw new IllegalArgumentException("resize expects (B, C, H, W), got " + s);
        int inH = (int) s.get(2), inW = (int) s.get(3);
        if (outH < 1 || outW < 1) throw new IllegalArgumentException("resize target must be positive, got " + outH + "x" + outW);
        NDArray y = x;
        // what the kept matrices make (a transposed view, a product) is moved at once to x's manager
        if (inW != outW) {
            NDArray mwT = matrix(x, kind, maker, inW, outW).transpose();    // (inW, outW) view
            mwT.attach(x.getManager());
            y = y.matMul(mwT);                                                // (B, C, inH, outW)
        }
        if (inH != outH) {
            NDArray mh = matrix(x, kind, maker, inH, outH);                  // (outH, inH)
            y = mh.matMul(y);                                                 // (B, C, outH, outW)
            y.attach(x.getManager());
        }
        return y == x ? x.duplicate() : y;
    }

    /** The (out, in) matrix on x's device, made there once and kept. */
    private static NDArray matrix(NDArray x, String kind, MatrixMaker maker, int in, int out) {
        Device device = x.getDevice();
        return KEPT.computeIfAbsent(kind + " " + in + ">" + out + "@" + device,
                k -> OWNERS.computeIfAbsent(device, NDManager::newBaseManager).create(maker.make(in, out), new Shape(out, in)));
    }

    /** Row i averages inputs [floor(i*in/out), ceil((i+1)*in/out)), as PyTorch's adaptive_avg_pool. */
    static float[] areaMatrix(int in, int out) {
        float[] m = new float[out * in];
        for (int i = 0; i < out; i++) {
            int start = (int) Math.floorDiv((long) i * in, out);
            int end = (int) -Math.floorDiv(-(long) (i + 1) * in, out);        // ceil
            float w = 1f / (end - start);
            for (int j = start; j < end; j++) m[i * in + j] = w;
        }
        return m;
    }

    /** Row i holds the four cubic-convolution weights of output i, computed in float32 like PyTorch. */
    static float[] bicubicMatrix(int in, int out) {
        float[] m = new float[out * in];
        float scale = (float) in / out;
        for (int i = 0; i < out; i++) {
            float src = scale * (i + 0.5f) - 0.5f;                             // not clamped (unlike bilinear)
            int x0 = (int) Math.floor(src);
            float t = src - x0;
            float[] w = {cubic2(t + 1f), cubic1(t), cubic1(1f - t), cubic2(2f - t)};
            for (int k = 0; k < 4; k++) {
                int j = Math.min(Math.max(x0 - 1 + k, 0), in - 1);            // taps clamped to the border
                m[i * in + j] += w[k];
            }
        }
        return m;
    }

    /** Cubic convolution weight for |d| <= 1. */
    private static float cubic1(float d) {
        return ((A + 2) * d - (A + 3)) * d * d + 1;
    }

    /** Cubic convolution weight for 1 < |d| < 2. */
    private static float cubic2(float d) {
        return ((A * d - 5 * A) * d + 8 * A) * d - 4 * A;
    }
}
