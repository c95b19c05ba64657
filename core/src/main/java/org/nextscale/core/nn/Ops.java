package org.nextscale.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;

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

    /** Fewest output filters a k>1 convolution runs with on the CPU while a gradient is recorded (see conv2d). */
    static final int MIN_CONV_OUT = 32;

    /**
     * 2-D convolution with square kernel; x (B, Cin, H, W), w (Cout, Cin, k, k). PyTorch 2.7.1's CPU
     * (oneDNN) kernel returns a wrong, often NaN, input gradient for k>1 convolutions with few output
     * channels and batch > 1 (measured here: 32->1, 32->3, 32->8 always wrong, 8->8 sometimes; 32 or more
     * outputs exact), which breaks tokenizer training (conv_out has 1 or 3 outputs). So while a gradient
     * is recorded such convolutions run with zero filters added up to 32 outputs, and the extra channels
     * are dropped: same values, correct gradients. Inference and GPUs use the plain call.
     */
    public static NDArray conv2d(NDArray x, NDArray w, NDArray b, int stride, int pad) {
        long cout = w.getShape().get(0), k = w.getShape().get(2);
        if (k > 1 && cout < MIN_CONV_OUT && !x.getDevice().isGpu() && (x.hasGradient() || w.hasGradient())) {
            NDManager m = x.getManager();
            long extra = MIN_CONV_OUT - cout;
            // zeros first, so the padded arrays belong to x's manager rather than the weights'
            NDArray wp = m.zeros(new Shape(extra, w.getShape().get(1), k, w.getShape().get(3)), w.getDataType()).concat(w, 0);
            NDArray bp = b == null ? null : m.zeros(new Shape(extra), b.getDataType()).concat(b, 0);
            NDArray y = ai.djl.nn.convolutional.Conv2d.conv2d(x, wp, bp, new Shape(stride, stride), new Shape(pad, pad), new Shape(1, 1), 1)
                    .singletonOrThrow();                                                   // (B, 32, H', W')
            return y.get(":, " + extra + ":");                                             // (B, Cout, H', W')
        }
        return ai.djl.nn.convolutional.Conv2d.conv2d(x, w, b, new Shape(stride, stride), new Shape(pad, pad), new Shape(1, 1), 1)
                .singletonOrThrow();
    }

    /**
     * GroupNorm over (C/groups, H, W) with per-channel affine; x (B, C, H, W). The normalisation is the
     * engine's fused LayerNorm over each group's C/groups*H*W values (one kernel, forward and backward,
     * instead of eight passes); {@code ones}/{@code zeros} are its unit gain and zero shift of that length.
     */
    public static NDArray groupNorm(NDArray x, int groups, NDArray gamma, NDArray beta, float eps, NDArray ones, NDArray zeros) {
        Shape s = x.getShape();
        long b = s.get(0), c = s.get(1), n = s.size() / (b * groups);
        NDArray y = layerNorm(x.reshape(b, groups, n), ones, zeros, eps).reshape(s);    // (B, C, H, W)
        // the (1, C, 1, 1) views are made from the weights: hand them to x's manager so they do not pile
        // up in the weights' manager on every call
        NDArray g4 = gamma.reshape(1, c, 1, 1);
        NDArray b4 = beta.reshape(1, c, 1, 1);
        g4.attach(x.getManager());
        b4.attach(x.getManager());
        return y.mul(g4).add(b4);
    }

    /** The engine's fused LayerNorm over the last dimension, with gain and shift of that length. */
    public static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, float eps) {
        return LayerNorm.layerNorm(x, new Shape(x.getShape().getLastDimension()), gamma, beta, eps).singletonOrThrow();
    }

    /**
     * GELU, tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), computed as the equal
     * x sigmoid(x (a + b x^2)) with a = 2 sqrt(2/pi), b = 0.044715 a: six passes over x instead of eight;
     * autograd keeps x, a + b x^2 and the sigmoid (the in-place steps modify a tensor no gradient formula
     * reads; x^3 through pow would keep its result).
     */
    public static NDArray geluTanh(NDArray x) {
        float a = (float) (2 * Math.sqrt(2.0 / Math.PI)), b = (float) (2 * Math.sqrt(2.0 / Math.PI) * 0.044715);
        NDArray poly = x.square().muli(b).addi(a);                 // a + b x^2
        return x.mul(Activation.sigmoid(x.mul(poly)));
    }

    /** SiLU / swish: x * sigmoid(x). */
    public static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }
}
