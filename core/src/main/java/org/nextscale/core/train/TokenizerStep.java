package org.nextscale.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nextscale.core.nn.NoGrad;
import org.nextscale.core.nn.Ops;
import org.nextscale.core.tokenizer.TrainOutput;
import org.nextscale.core.tokenizer.VqVae;

/**
 * The tokenizer's loss of one training step (L1 + L2 reconstruction + VQ loss, each a mean over the batch,
 * plus, with a discriminator, the adaptive-weighted adversarial term of {@link AdversarialLoss}) and its
 * gradient, left in the weights' gradients for the optimizer; in micro-batches as {@link VarStep}: each
 * pass's loss is scaled by micro / batch so the accumulated gradient is the whole batch's, and the codebook
 * hit counts are summed over the passes. With a discriminator, its hinge loss on the batch's real images and
 * (detached) reconstructions is left in the discriminator's gradients, for its own optimizer.
 */
final class TokenizerStep {
    private final VqVae vae;

    /**
     * @param loss     the whole batch's tokenizer loss (with lambda * L_G when adversarial)
     * @param usage    [scale][code] hits of the whole batch
     * @param discLoss the discriminator's hinge loss (NaN without one)
     * @param genLoss  L_G = -mean D(reconstruction) (NaN without one)
     * @param lambda   the adaptive weight, averaged over the micro-batches (NaN without one)
     */
    record Result(double loss, int[][] usage, double discLoss, double genLoss, double lambda) {}

    TokenizerStep(VqVae vae) {
        this.vae = vae;
    }

    /** Without a discriminator. */
    Result run(NDManager parent, float[] pixels, int batch, int micro) {
        return run(parent, pixels, batch, micro, null, 0);
    }

    /** {@link #run(NDManager, NDManager, float[], int, int, Discriminator, double)}, its figures read at once. */
    Result run(NDManager parent, float[] pixels, int batch, int micro, Discriminator disc, double discWeight) {
        try (NDManager keep = parent.newSubManager()) {
            return run(parent, keep, pixels, batch, micro, disc, discWeight).read(null).result();
        }
    }

    /**
     * Forward and backward over the batch in parts of {@code micro} images (which must divide the batch);
     * gradients are added to whatever the weights hold. Arrays live in sub-managers of {@code parent}. Without a
     * discriminator the figures to log (each part's loss and codebook hits) stay on the engine, in {@code keep},
     * until {@link Pending#read} fetches them with the gradient norm: one transfer per step. With one, the adaptive
     * weight needs its gradient norms on the host within the step, so its figures are read as it goes.
     *
     * @param pixels     (B, C, H, W) images in [-1, 1], flattened
     * @param disc       the discriminator, or null for the plain reconstruction loss
     * @param discWeight multiplies the adaptive weight
     */
    Pending run(NDManager parent, NDManager keep, float[] pixels, int batch, int micro, Discriminator disc, double discWeight) {
        if (micro <= 0 || batch % micro != 0) throw new IllegalArgumentException("micro-batch " + micro + " does not divide the batch " + batch);
        int c = vae.config().channels(), size = vae.config().imageSize(), n = c * size * size, parts = batch / micro;
        float share = (float) micro / batch;
        double loss = 0, genLoss = 0, lambdaSum = 0, discLoss = 0;
        int[][] usage = null;
        ai.djl.ndarray.NDList figures = new ai.djl.ndarray.NDList();           // without a discriminator: (1 + S*V) per part
        try (NDManager step = parent.newSubManager()) {
            List<NDArray> fakes = new ArrayList<>();                                // detached reconstructions, for the D pass
            for (int p = 0; p < parts; p++) {
                try (NDManager m = step.newSubManager()) {
                    NDArray img = image(m, pixels, p, micro, c, size, n);               // (b, C, H, W)
                    TrainOutput t;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        t = vae.forwardTrain(img);
                        NDArray diff = t.out().sub(img);                                  // (b, C, H, W)
                        NDArray rec = diff.abs().mean().add(diff.square().mean());
                        if (disc == null) {
                            NDArray partLoss = rec.add(t.vqLoss());
                            gc.backward(parts == 1 ? partLoss : Ops.scale(partLoss, share));
                            NDArray part = partLoss.reshape(1).concat(t.hits().reshape(-1));      // (1 + S*V) loss, hits
                            part.attach(keep);
                            figures.add(part);
                        } else {
                            NDArray fake = t.out().stopGradient();                          // a leaf: dL_G/dx_rec lands in its gradient
                            fake.setRequiresGradient(true);
                            NDArray gen = AdversarialLoss.generator(disc.forward(fake));
                            gc.backward(gen);
                            NDArray genGrad;                                                // (b, C, H, W) dL_G/dx_rec
                            try (NDArray g = fake.getGradient()) {
                                genGrad = g.duplicate();
                            }
                            disc.zeroGradients();                                           // that pass is not the discriminator's step
                            NDArray recGrad = AdversarialLoss.reconstructionGradient(diff);  // (b, C, H, W) dL_rec/dx_rec
                            double lambda = AdversarialLoss.adaptiveWeight(
                                    AdversarialLoss.lastLayerGradNorm(t.decoderFeatures(), recGrad, 3),
                                    AdversarialLoss.lastLayerGradNorm(t.decoderFeatures(), genGrad, 3), discWeight);
                            // one backward for L_rec + L_vq + lambda L_G: its gradient at x_rec is known, so
                            // sum(x_rec * that gradient) carries it through the decoder (and encoder)
                            NDArray head = Ops.scale(recGrad.add(Ops.scale(genGrad, (float) lambda)), share);
                            gc.backward(t.out().mul(head).sum().add(Ops.scale(t.vqLoss(), share)));
                            double g = gen.getFloat();
                            loss += (rec.getFloat() + t.vqLoss().getFloat() + lambda * g) * share;
                            genLoss += g * share;
                            lambdaSum += lambda / parts;
                            NDArray kept = t.out().stopGradient().duplicate();
                            kept.attach(step);
                            fakes.add(kept);
                        }
                    }
                    if (disc != null) usage = add(usage, t.usageCounts());
                }
            }
            if (disc != null) discLoss = discriminatorPass(step, pixels, fakes, disc, micro, c, size, n, share);
        }
        if (disc == null) return new Pending(ai.djl.ndarray.NDArrays.stack(figures), null, share, vae.config().numScales());
        return new Pending(null, new Result(loss, usage, discLoss, genLoss, lambdaSum), share, 0);
    }

    /**
     * A step's figures: without a discriminator still on the engine, (parts, 1 + S*V) each part's loss and codebook
     * hits; with one, already read ({@code done}).
     */
    record Pending(NDArray figures, Result done, float share, int scales) {
        /** The figures read in one transfer with {@code extra} (a scalar, or null) appended: the step's result and that value. */
        Read read(NDArray extra) {
            if (figures == null) return new Read(done, extra == null ? Double.NaN : extra.getFloat());
            NDArray all = extra == null ? figures.reshape(-1) : figures.reshape(-1).concat(extra.reshape(1));
            float[] f = all.toFloatArray();
            int parts = (int) figures.getShape().get(0), width = (int) figures.getShape().get(1), vocab = (width - 1) / scales;
            double loss = 0;
            int[][] usage = new int[scales][vocab];
            for (int p = 0; p < parts; p++) {
                loss += f[p * width] * share;
                for (int k = 0; k < scales; k++)
                    for (int v = 0; v < vocab; v++) usage[k][v] += (int) f[p * width + 1 + k * vocab + v];
            }
            return new Read(new Result(loss, usage, Double.NaN, Double.NaN, Double.NaN), extra == null ? Double.NaN : f[parts * width]);
        }
    }

    /** What {@link Pending#read} fetched: the step's result and the extra value read with it. */
    record Read(Result result, double extra) {}

    /**
     * The tokenizer loss without the adversarial term (L1 + L2 + VQ, as {@link #run} computes it) of {@code count}
     * images, in parts of {@code chunk}, without gradients: the validation loss; and the reconstructions' PSNR in dB
     * (values in [0, 1], over the pooled squared error).
     */
    double[] evaluate(NDManager parent, float[] pixels, int count, int chunk) {
        int c = vae.config().channels(), size = vae.config().imageSize(), n = c * size * size;
        double sum = 0, squared = 0;
        try (NoGrad off = new NoGrad()) {
            for (int from = 0; from < count; from += chunk) {
                int b = Math.min(chunk, count - from);
                try (NDManager m = parent.newSubManager()) {
                    NDArray img = m.create(Arrays.copyOfRange(pixels, from * n, (from + b) * n), new Shape(b, c, size, size));   // (b, C, H, W)
                    TrainOutput t = vae.forwardTrain(img);
                    NDArray diff = t.out().sub(img);
                    float mse = diff.clip(-2f, 2f).square().mean().getFloat();      // on [-1, 1]: 4 times the [0, 1] error
                    sum += (diff.abs().mean().getFloat() + diff.square().mean().getFloat() + t.vqLoss().getFloat()) * b;
                    squared += mse * b;
                }
            }
        }
        return new double[] {sum / count, 10 * Math.log10(4.0 / Math.max(1e-12, squared / count))};
    }

    /** Hinge loss of the discriminator on each part's real images and reconstructions; gradients into its weights. */
    private static double discriminatorPass(NDManager step, float[] pixels, List<NDArray> fakes, Discriminator disc,
                                            int micro, int c, int size, int n, float share) {
        double total = 0;
        for (int p = 0; p < fakes.size(); p++) {
            try (NDManager m = step.newSubManager()) {
                NDArray real = image(m, pixels, p, micro, c, size, n);
                NDArray fake = fakes.get(p);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray d = AdversarialLoss.hinge(disc.forward(real), disc.forward(fake));
                    gc.backward(fakes.size() == 1 ? d : Ops.scale(d, share));
                    total += d.getFloat() * share;
                }
            }
        }
        return total;
    }

    private static NDArray image(NDManager m, float[] pixels, int p, int micro, int c, int size, int n) {
        return m.create(Arrays.copyOfRange(pixels, p * micro * n, (p + 1) * micro * n), new Shape(micro, c, size, size));
    }

    private static int[][] add(int[][] into, int[][] counts) {
        if (into == null) return counts;
        for (int s = 0; s < into.length; s++) for (int v = 0; v < into[s].length; v++) into[s][v] += counts[s][v];
        return into;
    }
}
