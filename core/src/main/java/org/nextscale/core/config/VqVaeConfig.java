package org.nextscale.core.config;

import java.util.List;

/**
 * Every hyperparameter of the VQ-VAE tokenizer (encoder, multi-scale quantizer, decoder), with the
 * reference's names (FoundationVision/VAR models/vqvae.py).
 *
 * @param vocabSize      codebook entries shared by all scales
 * @param zChannels      channels of the quantized feature map (codebook vector length)
 * @param ch             base channel count of encoder and decoder
 * @param chMult         channel multiplier per resolution level; the spatial downsampling is 2^(len-1)
 * @param numResBlocks   residual blocks per level
 * @param inChannels     image channels (1 gray, 3 RGB)
 * @param usingSa        self-attention at the lowest-resolution level
 * @param usingMidSa     self-attention in the middle block
 * @param beta           commitment weight of the VQ loss
 * @param quantResi      phi ratio r: phi(h) = (1-|r|) h + |r| conv3x3(h)
 * @param shareQuantResi number of phi convolutions shared across scales (0 = one per scale, 1 = one for all)
 * @param quantConvKs    kernel size of quant_conv / post_quant_conv
 */
public record VqVaeConfig(
        int vocabSize,
        int zChannels,
        int ch,
        List<Integer> chMult,
        int numResBlocks,
        int inChannels,
        boolean usingSa,
        boolean usingMidSa,
        double beta,
        double quantResi,
        int shareQuantResi,
        int quantConvKs) {

    /** Spatial downsampling factor of the encoder. */
    public int downsample() {
        return 1 << (chMult.size() - 1);
    }

    /** The official VAR tokenizer (vae_ch160v4096z32.pth). */
    public static VqVaeConfig official() {
        return new VqVaeConfig(4096, 32, 160, List.of(1, 1, 2, 2, 4), 2, 3, true, true, 0.25, 0.5, 4, 3);
    }
}
