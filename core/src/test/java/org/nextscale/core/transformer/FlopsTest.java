package org.nextscale.core.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.config.VarConfig;
import org.nextscale.core.config.VqVaeConfig;

class FlopsTest {
    @Test
    void blockCausalPairsAreTheKeysEachQueryMaySee() {
        // scales 1,2,3: blocks of 1, 4, 9 tokens see 1, 5, 14 keys
        assertEquals(1 * 1 + 4 * 5 + 9 * 14, Flops.visiblePairs(TokenLayout.nextScale(List.of(1, 2, 3))));
        // raster over a 3x3 map: plain causal mask, 1 + 2 + ... + 9 pairs
        assertEquals(45, Flops.visiblePairs(TokenLayout.raster(3)));
    }

    @Test
    void transformerForwardCountsLinearsAttentionAndHeadByHand() {
        // depth 1, C 8, 2 heads, MLP 32, vocab 16, Cvae 4, scales 1,2 (L = 5, first block 1 token)
        VarConfig v = new VarConfig(3, 1, 8, 2, 4.0, 1e-6, false, true, 0);
        TokenLayout layout = TokenLayout.nextScale(List.of(1, 2));
        Flops.VarCounts f = Flops.varForward(v, layout, 16, 4);
        double perToken = 2 * 8 * 24 + 2 * 8 * 8 + 2 * 8 * 32 + 2 * 32 * 8;   // qkv, proj, fc1, fc2
        double condition = 2 * 8 * 48 + 2 * 8 * 16;                             // ada_lin (6C) + head_nm (2C)
        assertEquals(5 * perToken + 5 * 2 * 8 * 16 + condition, f.linear(), 1e-9);
        assertEquals((1 * 1 + 4 * 5) * 4 * 8, f.attention(), 1e-9);             // pairs x 4C
        assertEquals(4 * 2 * 4 * 8, f.wordEmbed(), 1e-9);                       // 4 input tokens x 2 Cvae C
    }

    @Test
    void trainingStepIsForwardPlusTwiceItExceptTheDataFedLayer() {
        VqVaeConfig vq = new VqVaeConfig(16, 4, 32, List.of(1, 2), 1, 1, false, false, 0.25, 0.0, 4, 3);
        VarConfig v = new VarConfig(3, 1, 8, 2, 4.0, 1e-6, false, true, 0);
        ModelConfig cfg = new ModelConfig(1, 4, List.of(1, 2), vq, v, ModelConfig.defaultClassNames(3), "var").validate();
        Flops.VarCounts f = Flops.varForward(v, TokenLayout.of(cfg), 16, 4);
        double perSample = 3 * (f.linear() + f.attention()) + 2 * f.wordEmbed();  // quant_resi 0: phi is the identity
        assertEquals(7 * perSample, Flops.varTrainStep(cfg, 7), 1e-6);
        // a 3x3 convolution 2 -> 5 channels on an 4x4 map: 2 * 2 * 5 * 9 * 16
        assertEquals(2880, Flops.conv(2, 5, 3, 4), 1e-9);
    }
}
