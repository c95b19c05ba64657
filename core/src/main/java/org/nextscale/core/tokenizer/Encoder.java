package org.nextscale.core.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.nextscale.core.config.VqVaeConfig;
import org.nextscale.core.nn.Ops;

/**
 * The reference's Encoder (models/basic_vae.py): conv_in, then per resolution level num_res_blocks
 * ResnetBlocks (with an AttnBlock after each at the lowest level when using_sa) and a stride-2
 * Downsample except at the last level; a middle block (resnet, attention if using_mid_sa, resnet);
 * GroupNorm, swish, conv_out to z_channels. Weights under "vae.encoder.".
 */
final class Encoder {
    private final Conv convIn, convOut;
    private final List<List<ResnetBlock>> blocks = new ArrayList<>();
    private final List<List<AttnBlock>> attns = new ArrayList<>();
    private final List<Conv> downsamples = new ArrayList<>();
    private final ResnetBlock mid1, mid2;
    private final AttnBlock midAttn;
    private final GroupNorm normOut;

    Encoder(Weights w, VqVaeConfig c) {
        String p = "vae.encoder.";
        List<Integer> mult = c.chMult();
        int levels = mult.size();
        convIn = Conv.same(w, p + "conv_in", c.inChannels(), c.ch(), 3);
        int blockIn = c.ch();
        for (int i = 0; i < levels; i++) {
            int blockOut = c.ch() * mult.get(i);
            List<ResnetBlock> bl = new ArrayList<>();
            List<AttnBlock> at = new ArrayList<>();
            for (int j = 0; j < c.numResBlocks(); j++) {
                bl.add(new ResnetBlock(w, p + "down." + i + ".block." + j, blockIn, blockOut));
                blockIn = blockOut;
                if (i == levels - 1 && c.usingSa()) at.add(new AttnBlock(w, p + "down." + i + ".attn." + j, blockIn));
            }
            blocks.add(bl);
            attns.add(at);
            // Downsample2x: pad right/bottom by one, then a 3x3 stride-2 convolution without padding
            downsamples.add(i != levels - 1 ? new Conv(w, p + "down." + i + ".downsample.conv", blockIn, blockIn, 3, 2, 0) : null);
        }
        mid1 = new ResnetBlock(w, p + "mid.block_1", blockIn, blockIn);
        midAttn = c.usingMidSa() ? new AttnBlock(w, p + "mid.attn_1", blockIn) : null;
        mid2 = new ResnetBlock(w, p + "mid.block_2", blockIn, blockIn);
        normOut = new GroupNorm(w, p + "norm_out", blockIn);
        convOut = Conv.same(w, p + "conv_out", blockIn, c.zChannels(), 3);
    }

    /** img (B, in_channels, H, W) -> (B, z_channels, H/ds, W/ds) with ds = 2^(levels-1). */
    NDArray forward(NDArray img) {
        // as in Decoder.trunk: each stage's output replaces the last, which is closed at once
        NDArray h = convIn.forward(img);                                   // (B, ch, H, W)
        for (int i = 0; i < blocks.size(); i++) {
            for (int j = 0; j < blocks.get(i).size(); j++) {
                h = Ops.then(h, blocks.get(i).get(j)::forward);
                if (!attns.get(i).isEmpty()) h = Ops.then(h, attns.get(i).get(j)::forward);
            }
            Conv down = downsamples.get(i);
            if (down != null)
                h = Ops.then(Ops.then(h, t -> t.pad(new Shape(0, 1, 0, 1), 0)), down::forward);   // (B, C, H/2, W/2)
        }
        h = Ops.then(h, mid1::forward);
        if (midAttn != null) h = Ops.then(h, midAttn::forward);
        h = Ops.then(h, mid2::forward);
        return Ops.then(Ops.then(Ops.then(h, normOut::forward), Ops::silu), convOut::forward);   // (B, z_channels, h, w)
    }
}
