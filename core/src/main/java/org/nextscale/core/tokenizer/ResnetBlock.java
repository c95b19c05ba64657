package org.nextscale.core.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.nextscale.core.nn.Ops;

/**
 * The reference's ResnetBlock (models/basic_vae.py): GroupNorm, swish, 3x3 conv, twice, plus a 1x1
 * "nin_shortcut" convolution on the skip path when the channel count changes. Dropout is 0 in VAR.
 */
final class ResnetBlock {
    private final GroupNorm norm1, norm2;
    private final Conv conv1, conv2, ninShortcut;

    ResnetBlock(Weights w, String name, int in, int out) {
        norm1 = new GroupNorm(w, name + ".norm1", in);
        conv1 = Conv.same(w, name + ".conv1", in, out, 3);
        norm2 = new GroupNorm(w, name + ".norm2", out);
        conv2 = Conv.same(w, name + ".conv2", out, out, 3);
        ninShortcut = in != out ? Conv.same(w, name + ".nin_shortcut", in, out, 1) : null;
    }

    /**
     * x (B, in, H, W) -> (B, out, H, W). The intermediates live in a scope closed at the end: autograd keeps
     * what its backward pass needs, the rest is freed before the next block.
     */
    NDArray forward(NDArray x) {
        NDManager outer = x.getManager();
        try (NDManager scope = outer.newSubManager()) {
            x.tempAttach(scope);
            // each intermediate is closed once the next exists (Ops.then): at 256 px a block would otherwise
            // hold a dozen 42 MB tensors at once
            NDArray h = Ops.then(Ops.then(norm1.forward(x), Ops::silu), conv1::forward);
            h = Ops.then(Ops.then(Ops.then(h, norm2::forward), Ops::silu), conv2::forward);
            NDArray skip = ninShortcut != null ? ninShortcut.forward(x) : x;
            NDArray out = skip.add(h);
            h.close();
            out.attach(outer);
            return out;
        }
    }
}
