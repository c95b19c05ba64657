package org.nextscale.core.tokenizer;

import ai.djl.ndarray.NDArray;
import org.nextscale.core.nn.Ops;

/** The reference's Normalize(): torch.nn.GroupNorm(32 groups, eps 1e-6, affine), NAME.weight / NAME.bias. */
final class GroupNorm {
    static final int GROUPS = 32;
    static final float EPS = 1e-6f;

    private final Weights w;
    private final String gamma, beta;

    GroupNorm(Weights w, String name, int channels) {
        if (channels % GROUPS != 0)
            throw new IllegalArgumentException("tokenizer: " + channels + " channels at '" + name
                    + "' cannot be split into " + GROUPS + " groups: ch x ch_mult must be multiples of " + GROUPS);
        this.w = w;
        this.gamma = w.require(name + ".weight", channels);
        this.beta = w.require(name + ".bias", channels);
    }

    /**
     * x (B, C, H, W) -> (B, C, H, W). For inference the result is channels-last
     * ({@link Ops#groupNormChannelsLast}), so the convolutions after it skip their layout reorders (a full-size
     * copy each way; at 256 px 42 MB per tensor): from the first normalisation on, the encoder and decoder run
     * channels-last.
     */
    NDArray forward(NDArray x) {
        if (Ops.gradOff(x)) return Ops.groupNormChannelsLast(x, GROUPS, w.get(gamma), w.get(beta), EPS);
        NDArray[] unit = w.unitAffine(x.getShape().size() / (x.getShape().get(0) * GROUPS));
        return Ops.groupNorm(x, GROUPS, w.get(gamma), w.get(beta), EPS, unit[0], unit[1]);
    }
}
