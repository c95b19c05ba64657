package org.nextscale.core.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.nextscale.core.nn.Ops;

/**
 * The reference's AttnBlock: single-head self-attention over all H*W positions, q, k, v from one 1x1
 * convolution "qkv" (3C channels, in that order), scores scaled by C^-1/2, a 1x1 "proj_out", residual.
 */
final class AttnBlock {
    private final GroupNorm norm;
    private final Conv qkv, projOut;
    private final int channels;
    private final float scale;

    AttnBlock(Weights w, String name, int channels) {
        this.channels = channels;
        this.scale = (float) Math.pow(channels, -0.5);
        norm = new GroupNorm(w, name + ".norm", channels);
        qkv = Conv.same(w, name + ".qkv", channels, 3 * channels, 1);
        projOut = Conv.same(w, name + ".proj_out", channels, channels, 1);
    }

    /** x (B, C, H, W) -> (B, C, H, W). */
    NDArray forward(NDArray x) {
        NDManager outer = x.getManager();
        try (NDManager scope = outer.newSubManager()) {
            x.tempAttach(scope);
            NDArray out = attend(x);
            out.attach(outer);
            return out;
        }
    }

    private NDArray attend(NDArray x) {
        long b = x.getShape().get(0), h = x.getShape().get(2), wd = x.getShape().get(3);
        NDArray qkvs = qkv.forward(norm.forward(x)).reshape(b, 3, channels, h * wd);   // (B, 3, C, HW)
        NDArray q = qkvs.get(":, 0").transpose(0, 2, 1);                                // (B, HW, C)
        NDArray k = qkvs.get(":, 1");                                                   // (B, C, HW)
        NDArray v = qkvs.get(":, 2");                                                   // (B, C, HW)
        NDArray att = Ops.scale(q.matMul(k), scale).softmax(2);                                // (B, HW_q, HW_k)
        NDArray out = v.matMul(att.transpose(0, 2, 1)).reshape(b, channels, h, wd);    // (B, C, H, W)
        return x.add(projOut.forward(out));
    }
}
