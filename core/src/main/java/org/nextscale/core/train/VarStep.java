package org.nextscale.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import org.nextscale.core.nn.NoGrad;
import org.nextscale.core.nn.Ops;
import org.nextscale.core.tokenizer.VqVae;
import org.nextscale.core.transformer.VarTransformer;

/**
 * The transformer's loss of one training step and its gradient, left in the weights' gradients for the
 * optimizer. The batch may run in micro-batches of {@code micro} images, one forward and backward pass each
 * in its own scope, so that only one micro-batch's activations exist at a time: each pass's loss is scaled
 * by micro / batch, so the gradients that the engine adds up across the passes are the gradient of the
 * whole batch's mean loss, and the loss and per-position statistics reported cover the whole batch.
 * (DJL's PyTorch GradientCollector does not zero gradients when it opens; {@link AdamW#update} does.)
 */
final class VarStep {
    private final VarTransformer var;
    private final VqVae vae;
    private final TokenTable table;
    private final boolean raster;
    private final double smooth;

    /**
     * @param loss        mean loss over the batch's tokens (label-smoothed when smoothing is on)
     * @param perPosition (2, L) flattened: mean cross-entropy per sequence position over the batch, then the
     *                    mean top-1 accuracy per position
     */
    record Result(double loss, float[] perPosition) {}

    VarStep(VarTransformer var, VqVae vae, TokenTable table, boolean raster, double smooth) {
        this.var = var;
        this.vae = vae;
        this.table = table;
        this.raster = raster;
        this.smooth = smooth;
    }

    /**
     * Forward and backward over the batch in parts of {@code micro} images (which must divide the batch);
     * gradients are added to whatever the weights hold. Arrays live in sub-managers of {@code parent}.
     *
     * @param tokens (B * L) int64 tokens of the batch in sequence order
     * @param labels (B) class labels, already label-dropped
     */
    /**
     * The loss of {@code labels.length} sequences (real labels, no dropout) in parts of {@code chunk}, without gradients:
     * the validation loss, with its per-position statistics as {@link #run} reports them. No label smoothing.
     */
    Result evaluate(NDManager parent, long[] tokens, long[] labels, int chunk) {
        int count = labels.length, len = table.length();
        double[] sums = new double[2 * len];
        double loss = 0;
        try (NoGrad off = new NoGrad()) {
            for (int from = 0; from < count; from += chunk) {
                int b = Math.min(chunk, count - from);
                try (NDManager m = parent.newSubManager()) {
                    NDArray tok = m.create(Arrays.copyOfRange(tokens, from * len, (from + b) * len), new Shape(b, len));   // (b, L) int64
                    NDArray lab = m.create(Arrays.copyOfRange(labels, from, from + b), new Shape(b));                      // (b) int64
                    NDArray logits = var.forward(lab, input(tok));                                                         // (b, L, V)
                    NDArray nll = logits.logSoftmax(-1).gather(tok.expandDims(-1), -1).squeeze(-1).neg();                 // (b, L)
                    NDArray hit = logits.argMax(-1).eq(tok).toType(DataType.FLOAT32, false);                               // (b, L)
                    float[] s = NDArrays.stack(new NDList(nll.sum(new int[] {0}), hit.sum(new int[] {0}))).toFloatArray();  // (2, L)
                    for (int i = 0; i < s.length; i++) sums[i] += s[i];
                    loss += nll.mean().getFloat() * b;
                }
            }
        }
        float[] perPosition = new float[2 * len];
        for (int i = 0; i < perPosition.length; i++) perPosition[i] = (float) (sums[i] / count);
        return new Result(loss / count, perPosition);
    }

    /** The transformer's input for tokens (b, L): the embedded tokens of every scale but the last (raster: every token but the last). */
    private NDArray input(NDArray tok) {
        return raster
                ? vae.quantizer().embed(tok.get(":, :-1"))                    // (b, N-1, Cvae)
                : vae.quantizer().idxToVarInput(table.split(tok));            // (b, L-1, Cvae)
    }

    /** {@link #run(NDManager, NDManager, long[], long[], int)}, its figures read at once. */
    Result run(NDManager parent, long[] tokens, long[] labels, int micro) {
        try (NDManager keep = parent.newSubManager()) {
            return run(parent, keep, tokens, labels, micro).read(null).result();
        }
    }

    /**
     * Forward and backward over the batch; the figures to log stay on the engine, in {@code keep}, until
     * {@link Pending#read} fetches them together with whatever else the step reads (the gradient norm): one
     * transfer per step, however many parts.
     */
    Pending run(NDManager parent, NDManager keep, long[] tokens, long[] labels, int micro) {
        int batch = labels.length, len = table.length();
        if (micro <= 0 || batch % micro != 0) throw new IllegalArgumentException("micro-batch " + micro + " does not divide the batch " + batch);
        int parts = batch / micro;
        NDList figures = new NDList();
        for (int p = 0; p < parts; p++) {
            try (NDManager m = parent.newSubManager()) {
                NDArray tok = m.create(Arrays.copyOfRange(tokens, p * micro * len, (p + 1) * micro * len), new Shape(micro, len)); // (b, L) int64
                NDArray lab = m.create(Arrays.copyOfRange(labels, p * micro, (p + 1) * micro), new Shape(micro));              // (b) int64
                NDArray input = input(tok);
                NDArray logits, nll, partLoss;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    logits = var.forward(lab, input);                                 // (b, L, V)
                    NDArray logp = logits.logSoftmax(-1);
                    nll = logp.gather(tok.expandDims(-1), -1).squeeze(-1).neg();     // (b, L)
                    NDArray perToken = smooth > 0 ? Ops.scale(nll, (float) (1 - smooth)).sub(Ops.scale(logp.mean(new int[] {-1}), (float) smooth)) : nll;
                    partLoss = perToken.mean();                                       // this part's mean
                    gc.backward(parts == 1 ? partLoss : Ops.scale(partLoss, (float) micro / batch));
                }
                NDArray hit = logits.argMax(-1).eq(tok).toType(DataType.FLOAT32, false);  // (b, L)
                // the part's logged figures: per-position sums (2, L) and its loss after them
                NDArray part = NDArrays.concat(new NDList(NDArrays.stack(new NDList(nll.sum(new int[] {0}), hit.sum(new int[] {0}))).reshape(-1),
                        partLoss.reshape(1)));                                    // (2L + 1)
                part.attach(keep);
                figures.add(part);
            }
        }
        return new Pending(NDArrays.stack(figures), batch, micro, len);
    }

    /** A step's figures still on the engine: (parts, 2L + 1), each part's per-position sums and its loss. */
    record Pending(NDArray figures, int batch, int micro, int len) {
        /** The figures read in one transfer with {@code extra} (a scalar, or null) appended: the step's result and that value. */
        Read read(NDArray extra) {
            NDArray all = extra == null ? figures.reshape(-1) : NDArrays.concat(new NDList(figures.reshape(-1), extra.reshape(1)));
            float[] s = all.toFloatArray();
            int parts = batch / micro, width = 2 * len + 1;
            double loss = 0;
            double[] sums = new double[2 * len];
            for (int p = 0; p < parts; p++) {
                for (int i = 0; i < 2 * len; i++) sums[i] += s[p * width + i];
                loss += s[p * width + 2 * len] * ((double) micro / batch);
            }
            float[] perPosition = new float[2 * len];
            for (int i = 0; i < perPosition.length; i++) perPosition[i] = (float) (sums[i] / batch);
            return new Read(new Result(loss, perPosition), extra == null ? Double.NaN : s[parts * width]);
        }
    }

    /** What {@link Pending#read} fetched: the step's result and the extra value read with it. */
    record Read(Result result, double extra) {}
}
