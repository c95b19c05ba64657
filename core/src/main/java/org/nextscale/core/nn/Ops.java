package org.nextscale.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;

/**
 * Small differentiable building blocks shared by the tokenizer and the transformer, written where the
 * engine lacks them (see shared NOTES: GroupNorm, GELU-tanh, LayerNorm without affine). All shapes
 * follow PyTorch: images (B, C, H, W), sequences (B, L, C).
 */
public final class Ops {
    private Ops() {}

    /** y = x W^T + b; x (..., in), w (out, in), b (out) or null. */
    public static NDArray linear(NDArray x, NDArray w, NDArray b) {
        return Linear.linear(x, w, b).singletonOrThrow();
    }

    /**
     * 2-D convolution with square kernel; x (B, Cin, H, W), w (Cout, Cin, k, k), b (Cout) or null.
     * The engine's convolution (oneDNN 3.7.1 in PyTorch 2.7.1) returned NaN or silently wrong gradients
     * here whenever a channel count was not a multiple of its 8/16 blocking (e.g. 1, 3 or 8 channels),
     * intermittently, most often on a process's first backward pass. So when autograd records the call
     * and a channel count is not a multiple of 16, the convolution runs as {@link #conv2dMatmul};
     * aligned convolutions, GPUs (cuDNN) and every call without gradients use the engine (6-8x faster when
     * training). Aligned convolutions gave the same gradients as the matmul form (1e-3 relative at worst,
     * on near-zero bias gradients) in repeated runs on tiny-a and tiny-b.
     */
    public static NDArray conv2d(NDArray x, NDArray w, NDArray b, int stride, int pad) {
        boolean aligned = w.getShape().get(0) % 16 == 0 && w.getShape().get(1) % 16 == 0;
        if (aligned || x.getDevice().isGpu() || !recordsGradient(x, w, b)) return engineConv2d(x, w, b, stride, pad);
        return conv2dMatmul(x, w, b, stride, pad);
    }

    /** Whether autograd records an operation on these arrays: one requires a gradient and grad mode is on. */
    static boolean recordsGradient(NDArray... arrays) {
        boolean any = false;
        for (NDArray a : arrays) any |= a != null && a.hasGradient();
        return any && !gradOff(arrays[0]);
    }

    /**
     * Whether gradient recording is off for this thread (sampling and evaluation run under NoGrad): then fresh
     * intermediates may be updated in place. Not decided from the arrays: an intermediate does not report the
     * gradient it will carry, and an in-place update of a tensor autograd kept breaks the backward pass.
     */
    public static boolean gradOff(NDArray x) {
        return "PyTorch".equals(x.getManager().getEngine().getEngineName()) && !ai.djl.pytorch.jni.JniUtils.isGradMode();
    }

    private static NDArray engineConv2d(NDArray x, NDArray w, NDArray b, int stride, int pad) {
        return ai.djl.nn.convolutional.Conv2d.conv2d(x, w, b, new Shape(stride, stride), new Shape(pad, pad), new Shape(1, 1), 1)
                .singletonOrThrow();
    }

    /**
     * The same convolution as one matrix product over the k*k shifted copies of the padded input
     * (im2col), built from slices, so forward and backward use only slicing and matMul.
     */
    public static NDArray conv2dMatmul(NDArray x, NDArray w, NDArray b, int stride, int pad) {
        long bs = x.getShape().get(0), cin = x.getShape().get(1), h = x.getShape().get(2), wd = x.getShape().get(3);
        long cout = w.getShape().get(0), k = w.getShape().get(2);
        long ho = (h + 2L * pad - k) / stride + 1, wo = (wd + 2L * pad - k) / stride + 1;
        NDArray cols = im2col(x, (int) k, stride, pad);                             // (B, Cin*k*k, Ho*Wo)
        NDArray wm = w.reshape(cout, cin * k * k);                                  // (Cout, Cin*k*k), same order as cols
        wm.attach(x.getManager());
        NDArray y = wm.matMul(cols);                                                // (B, Cout, Ho*Wo)
        if (b != null) {
            NDArray bv = b.reshape(1, cout, 1);
            bv.attach(x.getManager());
            y = y.add(bv);
        }
        return y.reshape(bs, cout, ho, wo);
    }

    /**
     * The k*k shifted copies of the zero-padded input, one column per output position, in the order of a
     * convolution weight (Cin, kh, kw): x (B, Cin, H, W) -> (B, Cin*k*k, Ho*Wo). Built from slices, so it is
     * differentiable and {@code w.reshape(Cout, Cin*k*k).matMul(cols)} is the convolution.
     */
    public static NDArray im2col(NDArray x, int k, int stride, int pad) {
        long bs = x.getShape().get(0), cin = x.getShape().get(1), h = x.getShape().get(2), wd = x.getShape().get(3);
        long ho = (h + 2L * pad - k) / stride + 1, wo = (wd + 2L * pad - k) / stride + 1;
        if (k == 1 && stride == 1 && pad == 0) return x.reshape(bs, cin, h * wd);
        NDArray xp = pad > 0 ? x.pad(new Shape(pad, pad, pad, pad), 0) : x;        // (B, Cin, H+2p, W+2p)
        NDList shifts = new NDList();
        for (long i = 0; i < k; i++)
            for (long j = 0; j < k; j++)
                shifts.add(xp.get(new NDIndex(":, :, {}:{}:{}, {}:{}:{}",
                        i, i + stride * (ho - 1) + 1, stride, j, j + stride * (wo - 1) + 1, stride)));  // (B, Cin, Ho, Wo)
        return NDArrays.stack(shifts, 2).reshape(bs, cin * (long) k * k, ho * wo);  // (B, Cin, k*k, Ho, Wo) flattened
    }

    /**
     * GroupNorm over (C/groups, H, W) with per-channel affine; x (B, C, H, W). The normalisation is the
     * engine's fused LayerNorm over each group's C/groups*H*W values (one kernel, forward and backward,
     * instead of eight passes); {@code ones}/{@code zeros} are its unit gain and zero shift of that length.
     */
    public static NDArray groupNorm(NDArray x, int groups, NDArray gamma, NDArray beta, float eps, NDArray ones, NDArray zeros) {
        Shape s = x.getShape();
        long b = s.get(0), c = s.get(1), n = s.size() / (b * groups);
        NDArray y = then(layerNorm(x.reshape(b, groups, n), ones, zeros, eps), t -> t.reshape(s));  // (B, C, H, W)
        // the (1, C, 1, 1) views are made from the weights: hand them to x's manager so they do not pile
        // up in the weights' manager on every call
        NDArray g4 = gamma.reshape(1, c, 1, 1);
        NDArray b4 = beta.reshape(1, c, 1, 1);
        g4.attach(x.getManager());
        b4.attach(x.getManager());
        if (gradOff(x)) return y.muli(g4).addi(b4);                                         // y is ours: in place
        return then(then(y, t -> t.mul(g4)), t -> t.add(b4));
    }

    /**
     * {@link #groupNorm} for inference, with a channels-last result: the same (B, C, H, W) values held NHWC in
     * memory. The engine's convolutions take such input without reordering it into a blocked layout and back (a
     * full-size copy each way), and their results stay channels-last, as do element-wise results; an NCHW input
     * is read through one copy. In NHWC memory a group's values are not contiguous, so the statistics are taken
     * per channel over the pixels (column sums over a contiguous (B, HW, C) view, which vectorise) and then added
     * up per group: the mean, then the variance of the centred values (two passes, as exact as the fused
     * kernel's), and the normalisation and affine in place on the centred values. Two full-size arrays besides x
     * at most.
     */
    public static NDArray groupNormChannelsLast(NDArray x, int groups, NDArray gamma, NDArray beta, float eps) {
        Shape s = x.getShape();
        long b = s.get(0), c = s.get(1), h = s.get(2), w = s.get(3), per = c / groups, count = h * w * per;
        NDArray nhwc = x.transpose(0, 2, 3, 1);                                     // (B, H, W, C) view
        NDArray v = nhwc.reshape(b, h * w, c);                                      // view when x is channels-last
        nhwc.close();
        NDArray mean = v.sum(new int[] {1}).reshape(b, groups, per).sum(new int[] {2}, true).divi(constant(x, count));  // (B, G, 1)
        NDArray perChannel = mean.repeat(2, per).reshape(b, 1, c);                  // each channel's group mean
        NDArray y = v.sub(perChannel);                                              // (B, HW, C), ours
        v.close();
        NDArray squares = y.mul(y);                                                 // (the engine's norm along HW is 4x slower)
        NDArray sq = squares.sum(new int[] {1});                                    // (B, C): per channel sum of squares
        squares.close();
        NDArray std = sq.reshape(b, groups, per).sum(new int[] {2}, true).divi(constant(x, count)).addi(constant(x, eps)).sqrt(); // (B, G, 1)
        NDArray g = gamma.reshape(1, groups, per), shift = beta.reshape(1, 1, c);    // views of the weights:
        g.attach(x.getManager());                                                   // kept with x, not with them
        shift.attach(x.getManager());
        NDArray scale = g.div(std).reshape(b, 1, c);                                // gamma / std, per channel
        y.muli(scale).addi(shift);
        NDArray y4 = y.reshape(b, h, w, c);
        y.close();
        NDArray out = y4.transpose(0, 3, 1, 2);                                     // (B, C, H, W), NHWC in memory
        y4.close();
        return out;
    }

    /**
     * LayerNorm over the last dimension. With gain and shift (arrays of that length) it is the engine's
     * fused kernel; the engine refuses null ones, so without affine it is computed from mean and variance.
     */
    public static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, float eps) {
        if (gamma != null && beta != null)
            return ai.djl.nn.norm.LayerNorm.layerNorm(x, new Shape(x.getShape().getLastDimension()), gamma, beta, eps).singletonOrThrow();
        NDArray mean = x.mean(new int[] {-1}, true);
        NDArray centered = x.sub(mean);
        NDArray var = centered.square().mean(new int[] {-1}, true);
        NDArray y = centered.div(var.add(eps).sqrt());
        if (gamma != null) y = y.mul(gamma);
        if (beta != null) y = y.add(beta);
        return y;
    }

    /**
     * A float32 scalar with value v on x's device, filled there by the engine and owned by x's manager: the constant
     * of an element-wise op, as DJL's Number overloads ({@code add(1f)}, {@code divi(n)}) make it but without their
     * copy from a Java buffer (on a GPU a blocking copy and a stream synchronisation each). The same type and value
     * as the overload's, so results are bit for bit the same.
     */
    public static NDArray constant(NDArray x, float v) {
        return constant(x, v, DataType.FLOAT32);
    }

    private static NDArray constant(NDArray x, float v, DataType type) {
        return x.getManager().full(new Shape(), v, type, x.getDevice());
    }

    /** 1 + x (adaptive layer norm's scale), with the 1 made on x's device. */
    public static NDArray plusOne(NDArray x) {
        return x.add(constant(x, 1f));
    }

    /**
     * x * s for a constant s. Use this, not {@code x.mul(s)} / {@code div(s)} / {@code pow(s)}, wherever
     * gradients flow: DJL's Number overloads wrap the constant in a tensor over a Java direct buffer and
     * close it at once, while autograd keeps that tensor for the backward pass, which then reads freed
     * memory once the GC has run (NaN gradients, measured). Here the engine allocates the constant.
     */
    public static NDArray scale(NDArray x, float s) {
        return x.mul(constant(x, s, x.getDataType()));
    }

    /**
     * GELU, tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), computed as the equal
     * x sigmoid(x (a + b x^2)) with a = 2 sqrt(2/pi), b = 0.044715 a: six passes over x instead of nine, and
     * autograd keeps four tensors of x's size instead of five (x, a + b x^2, the sigmoid, the result). The
     * constant b goes through {@link #scale}; adding a (in place, on a tensor no gradient formula reads) needs
     * no kept constant.
     */
    public static NDArray geluTanh(NDArray x) {
        float a = (float) (2 * Math.sqrt(2.0 / Math.PI)), b = (float) (2 * Math.sqrt(2.0 / Math.PI) * 0.044715);
        if (gradOff(x)) {                                          // same arithmetic, two allocations instead of five
            NDArray t = x.square().muli(constant(x, b)).addi(constant(x, a)).muli(x); // x (a + b x^2)
            NDArray s = Activation.sigmoid(t);
            t.close();
            return s.muli(x);
        }
        NDArray poly = scale(x.square(), b).addi(constant(x, a));  // a + b x^2
        return x.mul(Activation.sigmoid(x.mul(poly)));
    }

    /** SiLU / swish: x * sigmoid(x); one allocation instead of two when autograd records nothing. */
    public static NDArray silu(NDArray x) {
        NDArray sigmoid = Activation.sigmoid(x);
        if (gradOff(x)) return sigmoid.muli(x);                    // the sigmoid's buffer becomes the result
        NDArray out = x.mul(sigmoid);
        sigmoid.close();
        return out;
    }

    /**
     * fresh * m + a (m and a broadcast), the AdaLN modulation and gated residual of a transformer block.
     * {@code fresh} must be an intermediate only the caller holds: with gradient recording off (sampling,
     * evaluation) the result is computed in its buffer, saving two full-size allocations; the values are the same.
     */
    public static NDArray mulAdd(NDArray fresh, NDArray m, NDArray a) {
        if (gradOff(fresh)) return fresh.muli(m).addi(a);
        return fresh.mul(m).add(a);
    }

    /**
     * f(t), then t's handle closed: for chains of full-size intermediates (a 256 px decoder level holds
     * 42 MB per tensor), so each dies as soon as the next exists instead of when its manager closes.
     * Safe under autograd, which keeps its own reference to whatever the backward pass reads (as PyTorch
     * frees a tensor when Python rebinds its name). Never pass an array the caller still uses.
     */
    public static NDArray then(NDArray t, java.util.function.UnaryOperator<NDArray> f) {
        NDArray out = f.apply(t);
        if (out != t) t.close();                                  // some engine calls return their input when there is nothing to do
        return out;
    }
}
