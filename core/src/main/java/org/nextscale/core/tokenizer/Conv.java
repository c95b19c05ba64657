package org.nextscale.core.tokenizer;

import ai.djl.ndarray.NDArray;
import org.nextscale.core.nn.Ops;

/** torch.nn.Conv2d with a square kernel, weights NAME.weight (out, in, k, k) and NAME.bias (out). */
final class Conv {
    private final Weights w;
    private final String weight, bias;
    private final int stride, pad;

    Conv(Weights w, String name, int in, int out, int kernel, int stride, int pad) {
        this.w = w;
        this.weight = w.require(name + ".weight", out, in, kernel, kernel);
        this.bias = w.require(name + ".bias", out);
        this.stride = stride;
        this.pad = pad;
    }

    /** Stride 1, "same" padding k/2. */
    static Conv same(Weights w, String name, int in, int out, int kernel) {
        return new Conv(w, name, in, out, kernel, 1, kernel / 2);
    }

    /** x (B, in, H, W) -> (B, out, H', W'). */
    NDArray forward(NDArray x) {
        return Ops.conv2d(x, w.get(weight), w.get(bias), stride, pad);
    }
}
