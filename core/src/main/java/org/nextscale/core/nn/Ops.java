package org.nextscale.core.nn;

import ai.djl.ndarray.NDArray;
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

    /** 2-D convolution with square kernel; x (B, Cin, H, W), w (Cout, Cin, k, k). */
    public static NDArray conv2d(NDArray x, NDArray w, NDArray b, int stride, int pad) {
        return ai.djl.nn.convolutional.Conv2d.conv2d(x, w, b, new Shape(stride, stride), new Shape(pad, pad), new Shape(1, 1), 1)
                .singletonOrThrow();
    }

    /** GroupNorm over (C/groups, H, W) with per-channel affine; x (B, C, H, W). */
    public static NDArray groupNorm(NDArray x, int groups, NDArray gamma, NDArray beta, float eps) {
        Shape s = x.getShape();
        long b = s.get(0), c = s.get(1);
        NDArray g = x.reshape(b, groups, -1);                       // (B, G, C/G*H*W)
        NDArray mean = g.mean(new int[] {2}, true);
        NDArray centered = g.sub(mean);
        NDArray var = centered.square().mean(new int[] {2}, true);
        NDArray y = centered.div(var.add(eps).sqrt()).reshape(s);   // (B, C, H, W)
        // the (1, C, 1, 1) views are made from the weights: hand them to x's manager so they do not pile
        // up in the weights' manager on every call
        NDArray g4 = gamma.reshape(1, c, 1, 1);
        NDArray b4 = beta.reshape(1, c, 1, 1);
        g4.attach(x.getManager());
        b4.attach(x.getManager());
        return y.mul(g4).add(b4);
    }

    /** LayerNorm over the last dimension; gamma/beta may be null (no affine). */
    public static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, float eps) {
        NDArray mean = x.mean(new int[] {-1}, true);
        NDArray centered = x.sub(mean);
        NDArray var = centered.square().mean(new int[] {-1}, true);
        NDArray y = centered.div(var.add(eps).sqrt());
        if (gamma != null) y = y.mul(gamma);
        if (beta != null) y = y.add(beta);
        return y;
    }

    /** GELU, tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
    public static NDArray geluTanh(NDArray x) {
        NDArray inner = x.add(x.pow(3).mul(0.044715f)).mul((float) Math.sqrt(2.0 / Math.PI));
        return x.mul(inner.tanh().add(1f)).mul(0.5f);
    }

    /** SiLU / swish: x * sigmoid(x). */
    public static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }
}
