package org.nextscale.core.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.SplittableRandom;
import org.nextscale.core.nn.Ops;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.nn.NativeMemory;
import org.nextscale.core.nn.NoGrad;
import org.nextscale.core.tokenizer.MultiScaleQuantizer;
import org.nextscale.core.tokenizer.VqVae;

/**
 * Next-scale sampling (reference VAR.autoregressive_infer_cfg), optionally with zero-shot editing
 * (reference demo_zero_shot_edit.ipynb). For B labels the transformer runs a doubled batch
 * [labels; unconditional] and, scale by scale with a KV cache:
 * <pre>
 *   logits = (1 + t) cond - t uncond,  t = cfg * si / (S - 1)
 *   tokens ~ softmax(top_p(top_k(logits)))        (seeded Java RNG, one uniform per token)
 *   h      = codebook[tokens]                      (smooth: Gumbel-softmax(logits (1+ratio), tau) @ codebook,
 *                                                   tau = max(0.27 (1 - 0.95 ratio), 0.005))
 *   edit:    h = kept ? codebook[image token] : h  (per-scale keep masks, {@link EditMasks})
 *   f_hat, next input = quantizer.nextInput(si, f_hat, h)
 * </pre>
 * and finally decodes f_hat to an image in [0, 1]. Progress is reported per scale ("sampling") and the
 * cancel token is checked before each scale. Gradient recording is off for the calling thread while
 * it runs. The result belongs to the manager of the labels array; everything else is freed.
 */
public final class Sampler {
    private final VarTransformer var;
    private final VqVae vae;
    private final MultiScaleQuantizer quant;
    private final List<Integer> patchNums;

    public Sampler(VarTransformer var, VqVae vae) {
        this.var = var;
        this.vae = vae;
        this.quant = vae.quantizer();
        this.patchNums = quant.patchNums();
        TokenLayout expected = TokenLayout.nextScale(patchNums);
        if (!var.layout().blockSizeList().equals(expected.blockSizeList()))
            throw new IllegalArgumentException("next-scale sampling needs a transformer with the tokenizer's scales " + patchNums);
    }

    /** Receives f_hat (B, Cvae, side, side) after each scale; the array is the sampler's, valid during the call. */
    @FunctionalInterface
    public interface FhatListener {
        void onScale(int scale, NDArray fhat);
    }

    private FhatListener fhatListener;

    /** Calls {@code listener} after every scale of the following runs (null: none). Returns this sampler. */
    public Sampler onScale(FhatListener listener) {
        this.fhatListener = listener;
        return this;
    }

    public VarTransformer transformer() {
        return var;
    }

    public VqVae tokenizer() {
        return vae;
    }

    /** The tokens of an image to edit and the final-scale keep mask (side*side, 1 = keep the image's token). */
    public record Edit(List<NDArray> imageTokens, float[] finalKeepMask) {}

    /** {@code options.count()} images of {@code options.classId()} (-1 = unconditional), created in {@code m}. */
    public NDArray generate(NDManager m, SampleOptions options, ProgressListener progress, CancelToken cancel) {
        int numClasses = var.config().numClasses();
        if (options.classId() >= numClasses)
            throw new IllegalArgumentException("class " + options.classId() + " does not exist: this model has classes 0.."
                    + (numClasses - 1) + " (or -1 for unconditional)");
        if (options.count() < 1) throw new IllegalArgumentException("number of images must be at least 1, got " + options.count());
        long[] labels = new long[options.count()];
        java.util.Arrays.fill(labels, options.classId() < 0 ? numClasses : options.classId());
        return sample(m.create(labels), options, null, progress, cancel, null);
    }

    /**
     * Samples images for {@code labels} (B) int64 (num_classes = unconditional), optionally editing.
     * @return images (B, C, H, W) in [0, 1], owned by the labels' manager
     */
    public NDArray sample(NDArray labels, SampleOptions options, Edit edit, ProgressListener progress, CancelToken cancel,
                          SampleTrace trace) {
        if (options.cfg() < 0) throw new IllegalArgumentException("cfg must be >= 0, got " + options.cfg());
        try (NoGrad noGrad = new NoGrad()) {
            NDArray fhat;
            try (NDManager run = labels.getManager().newSubManager(); KvCache cache = var.newCache(run)) {
                fhat = loop(run, labels.toLongArray(), options, edit, progress, cancel, trace, cache);   // (B, Cvae, side, side)
                fhat.attach(labels.getManager());
            }
            // the KV cache and the per-scale arrays are freed, and their pages returned, before the decoder's
            // full-size activations arrive
            NativeMemory.trim();
            try (NDManager decode = labels.getManager().newSubManager()) {
                fhat.attach(decode);
                NDArray img = vae.fhatToImg(fhat).add(1f).mul(0.5f);                                  // (B, C, H, W) in [0, 1]
                img.attach(labels.getManager());
                return img;
            }
        }
    }

    /** The next-scale loop: the final f_hat (B, Cvae, side, side), owned by {@code run}. */
    private NDArray loop(NDManager run, long[] labelValues, SampleOptions o, Edit edit, ProgressListener progress,
                         CancelToken cancel, SampleTrace trace, KvCache cache) {
        int b = labelValues.length, numScales = patchNums.size(), side = patchNums.get(numScales - 1);
        int cvae = quant.cvae(), numClasses = var.config().numClasses();
        if (edit != null) checkEdit(edit, b, side);
        long[] doubled = new long[2 * b];
        for (int i = 0; i < b; i++) {
            if (labelValues[i] < 0 || labelValues[i] > numClasses)
                throw new IllegalArgumentException("label " + labelValues[i] + " is not a class of this model (0.." + numClasses + ")");
            doubled[i] = labelValues[i];
            doubled[b + i] = numClasses;                                                          // unconditional half
        }
        SplittableRandom rng = new SplittableRandom(o.seed());
        VarTransformer.Condition cond = var.samplingCondition(run.create(doubled));            // (2B, ...)
        NDArray codebook = o.smooth() ? quant.embed(run.arange(quant.vocabSize()).toType(DataType.INT64, false).reshape(1, -1)) : null; // (1, V, Cvae)
        NDArray x = var.firstBlock(cond);                                                      // (2B, first_l, C)
        NDArray fhat = run.zeros(new Shape(b, cvae, side, side));
        NDArray keepAll = edit != null ? keepMasks(run, edit.finalKeepMask(), side, b) : null;   // (B, sum of pn^2), uploaded once
        for (int si = 0, offset = 0; si < numScales; offset += patchNums.get(si) * patchNums.get(si), si++) {
            cancel.check();
            int pn = patchNums.get(si);
            double ratio = numScales > 1 ? si / (double) (numScales - 1) : 0;
            NDArray newX = null, newFhat;
            try (NDManager step = run.newSubManager()) {
                for (NDArray a : new NDArray[] {x, fhat, codebook, keepAll}) if (a != null) a.tempAttach(step);
                for (NDArray a : cond.arrays()) a.tempAttach(step);
                NDArray logits2 = var.step(cache, cond, x);                                      // (2B, l, V)
                double t = o.cfg() * ratio;
                NDArray cond1 = logits2.get("0:{}", b), uncond = logits2.get("{}:", b);
                NDArray logits = cond1.mul(Ops.constant(cond1, (float) (1 + t))).sub(uncond.mul(Ops.constant(uncond, (float) t))); // (B, l, V)
                NDArray filtered = TokenSampling.filter(logits, o.topK(), o.topP());
                NDArray idx = TokenSampling.multinomial(filtered, rng);                            // (B, l)
                NDArray h = o.smooth()
                        ? TokenSampling.gumbelSoftmax(filtered.mul(Ops.constant(filtered, (float) (1 + ratio))), Math.max(0.27 * (1 - ratio * 0.95), 0.005), rng)
                                .matMul(codebook)
                        : quant.embed(idx);                                                      // (B, l, Cvae)
                NDArray used = idx;
                NDArray keep = null;
                if (edit != null) {
                    keep = keepAll.get(":, {}:{}", offset, offset + pn * pn);                      // (B, l) 0/1 float
                    NDArray gtIdx = edit.imageTokens().get(si).duplicate();
                    gtIdx.attach(step);
                    NDArray k3 = keep.expandDims(-1);                                            // (B, l, 1)
                    h = quant.embed(gtIdx).mul(k3).add(h.mul(Ops.plusOne(k3.neg())));                   // reference replace_embedding
                    used = gtIdx.mul(keep.toType(DataType.INT64, false))
                            .add(idx.mul(Ops.plusOne(keep.neg()).toType(DataType.INT64, false)));
                }
                if (trace != null) {
                    trace.logits.add(HostTensor.fromNDArray(logits));
                    trace.sampled.add(HostTensor.fromNDArray(idx));
                    trace.tokens.add(HostTensor.fromNDArray(used));
                    if (keep != null) trace.keep.add(HostTensor.fromNDArray(keep.toType(DataType.INT64, false)));
                }
                NDArray hMap = h.transpose(0, 2, 1).reshape(b, cvae, pn, pn);                    // (B, Cvae, pn, pn)
                NDArray[] next = quant.nextInput(si, fhat, hMap);                                 // f_hat, (B, Cvae, pn', pn')
                newFhat = next[0];
                if (si != numScales - 1) {
                    NDArray tokenMap = next[1].reshape(b, cvae, -1).transpose(0, 2, 1);             // (B, l', Cvae)
                    NDArray e = var.embedBlock(tokenMap, si + 1);                                  // (B, l', C)
                    newX = e.concat(e, 0);                                                       // (2B, l', C)
                    newX.attach(run);
                }
                newFhat.attach(run);
            }                                                                                    // returns x, fhat, cond to run
            x.close();
            fhat.close();
            x = newX;
            fhat = newFhat;
            progress.progress("sampling", si + 1, numScales);
            if (fhatListener != null) fhatListener.onScale(si, fhat);
        }
        if (trace != null) trace.fhat = HostTensor.fromNDArray(fhat);
        return fhat;
    }

    /** The keep masks of every scale side by side, for every image: (B, sum of pn*pn) float 0/1, scale by scale. */
    private NDArray keepMasks(NDManager m, float[] finalMask, int side, int b) {
        int total = 0;
        for (int pn : patchNums) total += pn * pn;
        float[] v = new float[b * total];
        for (int si = 0, offset = 0; si < patchNums.size(); offset += patchNums.get(si) * patchNums.get(si), si++) {
            boolean[] keep = EditMasks.forScale(finalMask, side, patchNums.get(si));
            for (int i = 0; i < b; i++)
                for (int j = 0; j < keep.length; j++) v[i * total + offset + j] = keep[j] ? 1f : 0f;
        }
        return m.create(v, new Shape(b, total));
    }

    private void checkEdit(Edit edit, int b, int side) {
        if (edit.finalKeepMask().length != side * side)
            throw new IllegalArgumentException("edit mask has " + edit.finalKeepMask().length + " entries, expected " + side + "x" + side);
        if (edit.imageTokens().size() != patchNums.size())
            throw new IllegalArgumentException("edit needs the image's tokens of all " + patchNums.size() + " scales");
        for (int si = 0; si < patchNums.size(); si++) {
            Shape s = edit.imageTokens().get(si).getShape();
            long n = (long) patchNums.get(si) * patchNums.get(si);
            if (s.dimension() != 2 || s.get(0) != b || s.get(1) != n)
                throw new IllegalArgumentException("edit tokens of scale " + si + " have shape " + s + ", expected (" + b + ", " + n + ")");
        }
    }
}
