package org.nextscale.core.tokenizer;

import ai.djl.ndarray.NDArray;

/**
 * What {@link VqVae#forwardTrain} returns.
 *
 * @param out    (B, C, H, W) unclamped reconstruction decoded from the straight-through f_hat
 * @param vqLoss scalar quantizer loss (see {@link QuantOutput#vqLoss})
 * @param hits   (S, vocab) float32 count of each code per scale in this batch (no gradient)
 * @param decoderFeatures (B, C, H, W) the input of the decoder's last layer conv_out (for the adaptive GAN weight)
 */
public record TrainOutput(NDArray out, NDArray vqLoss, NDArray hits, NDArray decoderFeatures) {

    /** Host copy of {@link #hits}: [scale][code] counts. */
    public int[][] usageCounts() {
        return Usage.counts(hits);
    }

    /** Per scale, the fraction of codebook entries used at least once in this batch (host copy). */
    public double[] usedFraction() {
        return Usage.usedFraction(hits);
    }
}
