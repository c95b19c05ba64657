package org.nextscale.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import org.nextscale.core.nn.Ops;
import org.nextscale.core.tokenizer.TrainOutput;
import org.nextscale.core.tokenizer.VqVae;

/**
 * The tokenizer's loss of one training step (L1 + L2 reconstruction + VQ loss, each a mean over the batch)
 * and its gradient, left in the weights' gradients for the optimizer; in micro-batches as {@link VarStep}:
 * each pass's loss is scaled by micro / batch so the accumulated gradient is the whole batch's, and the
 * codebook hit counts are summed over the passes.
 */
final class TokenizerStep {
    private final VqVae vae;

    /**
     * @param loss  the whole batch's loss
     * @param usage [scale][code] hits of the whole batch
     */
    record Result(double loss, int[][] usage) {}

    TokenizerStep(VqVae vae) {
        this.vae = vae;
    }

    /**
     * Forward and backward over the batch in parts of {@code micro} images (which must divide the batch);
     * gradients are added to whatever the weights hold. Arrays live in sub-managers of {@code parent}.
     *
     * @param pixels (B, C, H, W) images in [-1, 1], flattened
     */
    Result run(NDManager parent, float[] pixels, int batch, int micro) {
        if (micro <= 0 || batch % micro != 0) throw new IllegalArgumentException("micro-batch " + micro + " does not divide the batch " + batch);
        int c = vae.config().channels(), size = vae.config().imageSize(), n = c * size * size, parts = batch / micro;
        double loss = 0;
        int[][] usage = null;
        for (int p = 0; p < parts; p++) {
            try (NDManager m = parent.newSubManager()) {
                NDArray img = m.create(Arrays.copyOfRange(pixels, p * micro * n, (p + 1) * micro * n), new Shape(micro, c, size, size)); // (b, C, H, W)
                NDArray partLoss;
                TrainOutput t;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    t = vae.forwardTrain(img);
                    NDArray diff = t.out().sub(img);                                  // (b, C, H, W)
                    partLoss = diff.abs().mean().add(diff.square().mean()).add(t.vqLoss());
                    gc.backward(parts == 1 ? partLoss : Ops.scale(partLoss, (float) micro / batch));
                }
                loss += partLoss.getFloat() * ((double) micro / batch);
                int[][] counts = t.usageCounts();
                if (usage == null) usage = counts;
                else for (int s = 0; s < usage.length; s++) for (int v = 0; v < usage[s].length; v++) usage[s][v] += counts[s][v];
            }
        }
        return new Result(loss, usage);
    }
}
