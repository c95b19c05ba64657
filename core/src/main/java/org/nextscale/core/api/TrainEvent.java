package org.nextscale.core.api;

/**
 * One training step's report.
 *
 * @param phase          "tokenizer" or "var"
 * @param step           steps done so far (1-based after the first step)
 * @param totalSteps     steps the run will do
 * @param loss           training loss of this step
 * @param accuracy       token accuracy for the transformer, NaN for the tokenizer
 * @param imagesPerSecond throughput over recent steps
 * @param etaSeconds     estimated seconds left
 */
public record TrainEvent(String phase, long step, long totalSteps, double loss, double accuracy,
                         double imagesPerSecond, double etaSeconds) {}
