package org.nextscale.core.api;

import java.util.List;

/**
 * One evaluation on the held-out data during training.
 *
 * @param phase        "tokenizer" or "var"
 * @param step         steps done
 * @param totalSteps   steps the run will do
 * @param trainLoss    the training loss averaged over the steps since the previous evaluation
 * @param valLoss      the validation loss (the tokenizer: L1 + L2 + VQ; the transformer: cross-entropy over all tokens)
 * @param accuracy     the transformer's token accuracy on the validation data (NaN for the tokenizer)
 * @param perScaleLoss the transformer's validation cross-entropy per scale (null for the tokenizer)
 * @param scales       names of the scales ("1x1", "2x2", ...; empty for the tokenizer)
 * @param bestValLoss  the lowest validation loss so far (this one included)
 * @param bestStep     the step it was reached at (its model is NAME.best.zip)
 */
public record ValidationEvent(String phase, long step, long totalSteps, double trainLoss, double valLoss, double accuracy,
                              double[] perScaleLoss, List<String> scales, double bestValLoss, long bestStep) {
    public boolean isBest() {
        return bestStep == step;
    }

    /** One line for a log: "step 500: val_loss 2.8412 (train 2.8561), val_accuracy 0.291, per scale 1x1 2.310 ...  best so far". */
    public String describe() {
        StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT, "step %d: val_loss %.4f", step, valLoss));
        if (Double.isFinite(trainLoss)) b.append(String.format(java.util.Locale.ROOT, " (train %.4f)", trainLoss));
        if (!Double.isNaN(accuracy)) b.append(String.format(java.util.Locale.ROOT, ", val_accuracy %.3f", accuracy));
        if (perScaleLoss != null) {
            b.append(", per scale");
            for (int k = 0; k < perScaleLoss.length; k++) b.append(String.format(java.util.Locale.ROOT, " %s %.3f", scales.get(k), perScaleLoss[k]));
        }
        b.append(isBest() ? "  best so far" : String.format(java.util.Locale.ROOT, "  (best %.4f at step %d)", bestValLoss, bestStep));
        return b.toString();
    }
}
