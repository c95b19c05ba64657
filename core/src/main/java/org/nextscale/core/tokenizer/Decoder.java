package org.nextscale.core.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.nextscale.core.config.VqVaeConfig;
import org.nextscale.core.nn.Ops;

/**
 * The reference's Decoder (models/basic_vae.py): conv_in from z_channels, a middle block (resnet,
 * attention if using_mid_sa, resnet), then from the lowest level up num_res_blocks+1 ResnetBlocks per
 * level (with an AttnBlock after each at the lowest level when using_sa) and a nearest x2 Upsample with a
 * 3x3 conv except at level 0; GroupNorm, swish, conv_out to the image channels. Weights under
 * "vae.decoder.", levels indexed like the reference ("up.0" is the full-resolution level).
 */
final class Decoder {
    private final Conv convIn, convOut;
    private final ResnetBlock mid1, mid2;
    private final AttnBlock midAttn;
    private final List<List<ResnetBlock>> blocks = new ArrayList<>();   // by level, lowest resolution first
    private final List<List<AttnBlock>> attns = new ArrayList<>();
    private final List<Conv> upsamples = new ArrayList<>();
    private final GroupNorm normOut;

    Decoder(Weights w, VqVaeConfig c) {
        String p = "vae.decoder.";
        List<Integer> mult = c.chMult();
        int levels = mult.size();
        int blockIn = c.ch() * mult.get(levels - 1);
        convIn = Conv.same(w, p + "conv_in", c.zChannels(), blockIn, 3);
        mid1 = new ResnetBlock(w, p + "mid.block_1", blockIn, blockIn);
        midAttn = c.usingMidSa() ? new AttnBlock(w, p + "mid.attn_1", blockIn) : null;
        mid2 = new ResnetBlock(w, p + "mid.block_2", blockIn, blockIn);
        for (int i = levels - 1; i >= 0; i--) {
            int blockOut = c.ch() * mult.get(i);
            List<ResnetBlock> bl = new ArrayList<>();
            List<AttnBlock> at = new ArrayList<>();
            for (int j = 0; j < c.numResBlocks() + 1; j++) {
                bl.add(new ResnetBlock(w, p + "up." + i + ".block." + j, blockIn, blockOut));
                blockIn = blockOut;
                if (i == levels - 1 && c.usingSa()) at.add(new AttnBlock(w, p + "up." + i + ".attn." + j, blockIn));
            }
            blocks.add(bl);
            attns.add(at);
            upsamples.add(i != 0 ? Conv.same(w, p + "up." + i + ".upsample.conv", blockIn, blockIn, 3) : null);
        }
        normOut = new GroupNorm(w, p + "norm_out", blockIn);
        convOut = Conv.same(w, p + "conv_out", blockIn, c.inChannels(), 3);
    }

    /** z (B, z_channels, h, w) -> (B, in_channels, h*ds, w*ds), unclamped. */
    NDArray forward(NDArray z) {
        return Ops.then(trunk(z), this::head);
    }

    /** The last layer, conv_out: the trunk's features (B, C, H, W) -> image (B, in_channels, H, W), unclamped. */
    NDArray head(NDArray features) {
        return convOut.forward(features);
    }

    /** Everything before conv_out: z (B, z_channels, h, w) -> swish(norm_out(...)) (B, C, h*ds, w*ds). */
    NDArray trunk(NDArray z) {
        // every stage's output replaces the last, which is closed at once (Ops.then): peak memory is a
        // block's working set, not every level's activations
        NDArray h = convIn.forward(z);
        h = Ops.then(h, mid1::forward);
        if (midAttn != null) h = Ops.then(h, midAttn::forward);
        h = Ops.then(h, mid2::forward);
        for (int i = 0; i < blocks.size(); i++) {
            for (int j = 0; j < blocks.get(i).size(); j++) {
                h = Ops.then(h, blocks.get(i).get(j)::forward);
                if (!attns.get(i).isEmpty()) h = Ops.then(h, attns.get(i).get(j)::forward);
            }
            Conv up = upsamples.get(i);
            if (up != null) h = Ops.then(Ops.then(h, Decoder::nearest2x), up::forward);
        }
        return Ops.then(Ops.then(h, normOut::forward), Ops::silu);     // (B, C, H, W)
    }

    /** F.interpolate(x, scale_factor=2, mode='nearest'): every pixel becomes a 2x2 block. (B,C,H,W)->(B,C,2H,2W) */
    static NDArray nearest2x(NDArray x) {
        Shape s = x.getShape();
        // PyTorch engine interpolation mode 0 = nearest (differentiable, verified in shared NOTES)
        return x.getNDArrayInternal().interpolation(new long[] {2 * s.get(2), 2 * s.get(3)}, 0, false);
    }
}
