package org.nextscale.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
     * 2-D convolution with square kernel; x (B, Cin, H, W), w (Cout, Cin, k, k). When a gradient is being
     * recorded (x or w requires one), the convolution is computed as im2col + matrix product: PyTorch
     * 2.7.1's CPU (oneDNN) convolution returns wrong, often NaN, input gradients on this hardware for
     * batch > 1 and few output channels (measured: 32->1, 32->3, 32->8 always wrong, 8->8 sometimes), which
     * breaks every tokenizer training (its conv_out has 1 or 3 outputs); 1x1 convolutions at 8x8 gave garbage
     * gradients too. Inference keeps the native kernel.
     */
    public static NDArray conv2d(NDArray x, NDArray w, NDArray b, int stride, int pad) {
        if (x.hasGradient() || w.hasGradient()) return conv2dIm2col(x, w, b, stride, pad);
        return ai.djl.nn.convolutional.Conv2d.conv2d(x, w, b, new Shape(stride, stride), new Shape(pad, pad), new Shape(1, 1), 1)
                .singletonOrThrow();
    }

    /** The same convolution from k*k shifted views and one matrix product (differentiable through slicing and matMul). */
    static NDArray conv2dIm2col(NDArray x, NDArray w, NDArray b, int stride, int pad) {
        NDManager m = x.getManager();
        long bsz = x.getShape().get(0), c = x.getShape().get(1), h = x.getShape().get(2), wd = x.getShape().get(3);
        long cout = w.getShape().get(0), k = w.getShape().get(2);
        NDArray xp = pad > 0 ? x.pad(new Shape(pad, pad, pad, pad), 0) : x;                 // (B, C, H+2p, W+2p)
        long ho = (h + 2L * pad - k) / stride + 1, wo = (wd + 2L * pad - k) / stride + 1;
        if (k == 1 && stride == 1 && pad == 0) {
            NDArray w2 = w.reshape(cout, c);
            w2.attach(m);
            NDArray y = w2.matMul(x.reshape(bsz, c, h * wd));                                      // (B, Cout, H*W)
            if (b != null) {
                NDArray b3 = b.reshape(1, cout, 1);
                b3.attach(m);
                y = y.add(b3);
            }
            return y.reshape(bsz, cout, h, wd);
        }
        ai.djl.ndarray.NDList views = new ai.djl.ndarray.NDList();
        for (long dy = 0; dy < k; dy++)
            for (long dx = 0; dx < k; dx++)
                views.add(xp.get(new ai.djl.ndarray.index.NDIndex(":, :, {}:{}:{}, {}:{}:{}",
                        dy, dy + stride * (ho - 1) + 1, stride, dx, dx + stride * (wo - 1) + 1, stride))); // (B, C, Ho, Wo)
        NDArray cols = ai.djl.ndarray.NDArrays.stack(views, 2).reshape(bsz, c * k * k, ho * wo);  // (B, C*k*k, Ho*Wo)
        NDArray w2 = w.reshape(cout, c * k * k);                                                   // (Cout, C*k*k)
        w2.attach(m); // a view of the weights made per call: owned by the caller's scope, not the weights' manager
        NDArray y = w2.matMul(cols);                                                               // (B, Cout, Ho*Wo)
        if (b != null) {
            NDArray b3 = b.reshape(1, cout, 1);
            b3.attach(m);
            y = y.add(b3);
        }
        return y.reshape(bsz, cout, ho, wo);
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
