package org.nextscale.core.api;

import java.nio.file.Path;

/**
 * The pictures a run writes every preview_every steps, beside its model file.
 *
 * @param lossPlot     train and validation loss against steps (NAME.loss.png)
 * @param picture      the transformer: samples, a row per class; the tokenizer: validation images above their
 *                     reconstructions (NAME.preview.png); null when there is nothing to show yet
 * @param lossPlotFile where the plot was written
 * @param pictureFile  where the picture was written (null with no picture)
 */
public record TrainPreview(String phase, long step, long totalSteps, Image lossPlot, Image picture, Path lossPlotFile, Path pictureFile) {}
