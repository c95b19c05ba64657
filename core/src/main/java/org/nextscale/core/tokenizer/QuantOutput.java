package org.nextscale.core.tokenizer;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * What {@link MultiScaleQuantizer#forwardTrain} returns.
 *
 * @param fhat   (B, Cvae, h, w) straight-through quantized features: value f_hat, gradient of f
 * @param vqLoss scalar, mean over scales of beta*MSE(f_hat_k.detach, f) + MSE(f_hat_k, f.detach)
 * @param idx    per scale (B, pn*pn) int64 tokens
 * @param hits   (S, vocab) float32 count of each code per scale in this batch (no gradient)
 */
public record QuantOutput(NDArray fhat, NDArray vqLoss, List<NDArray> idx, NDArray hits) {

    /** Host copy of {@link #hits}: [scale][code] counts. */
    public int[][] usageCounts() {
        return Usage.counts(hits);
    }
}
