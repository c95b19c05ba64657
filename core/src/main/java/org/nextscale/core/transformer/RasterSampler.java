package org.nextscale.core.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.nn.NoGrad;
import org.nextscale.core.tokenizer.MultiScaleQuantizer;

/**
 * Next-token sampling for the raster baseline ({@link TokenLayout#raster}): the N tokens of one token
 * map, one at a time in row-major order, with a KV cache. The input of position p >= 1 is
 * word_embed(codebook[token p-1]) + position, so the teacher-forcing input for training is
 * {@link #teacherInput}. Classifier-free guidance uses a constant ratio (logits = (1 + cfg) cond - cfg
 * uncond); top-k/top-p and the seeded RNG are those of {@link TokenSampling}. Returns tokens; decoding
 * them is up to the tokenizer the baseline was trained with.
 */
public final class RasterSampler {
    private final VarTransformer var;
    private final MultiScaleQuantizer quant;

    public RasterSampler(VarTransformer var, MultiScaleQuantizer quant) {
        if (var.layout().numLevels() != 1 || var.layout().firstLength() != 1)
            throw new IllegalArgumentException("raster sampling needs a transformer with the raster layout");
        this.var = var;
        this.quant = quant;
    }

    /** Teacher-forcing input of the raster layout: codebook vectors of tokens 0..N-2, (B, N-1, Cvae). */
    public static NDArray teacherInput(MultiScaleQuantizer quant, NDArray tokens) {
        long n = tokens.getShape().get(1);
        return quant.embed(tokens.get(":, 0:{}", n - 1));
    }

    /**
     * @param labels (B) int64, num_classes = unconditional
     * @return tokens (B, N) int64, owned by the labels' manager
     */
    public NDArray sample(NDArray labels, SampleOptions o, ProgressListener progress, CancelToken cancel) {
        int n = var.layout().length(), numClasses = var.config().numClasses();
        long[] values = labels.toLongArray();
        int b = values.length;
        long[] doubled = new long[2 * b];
        for (int i = 0; i < b; i++) {
            doubled[i] = values[i];
            doubled[b + i] = numClasses;
        }
        SplittableRandom rng = new SplittableRandom(o.seed());
        long[] tokens = new long[b * n];
        try (NoGrad noGrad = new NoGrad(); NDManager run = labels.getManager().newSubManager(); KvCache cache = var.newCache(run)) {
            VarTransformer.Condition cond = var.samplingCondition(run.create(doubled));
            NDArray x = var.firstBlock(cond);                                                   // (2B, 1, C)
            for (int p = 0; p < n; p++) {
                cancel.check();
                NDArray next;
                try (NDManager step = run.newSubManager()) {
                    x.tempAttach(step);
                    for (NDArray a : cond.arrays()) a.tempAttach(step);
                    NDArray logits2 = var.step(cache, cond, x);                                   // (2B, 1, V)
                    NDArray logits = logits2.get("0:{}", b).mul((float) (1 + o.cfg())).sub(logits2.get("{}:", b).mul((float) o.cfg()));
                    NDArray idx = TokenSampling.multinomial(TokenSampling.filter(logits, o.topK(), o.topP()), rng); // (B, 1)
                    long[] t = idx.toLongArray();
                    for (int i = 0; i < b; i++) tokens[i * n + p] = t[i];
                    next = null;
                    if (p + 1 < n) {
                        NDArray e = var.embedBlock(quant.embed(idx), p + 1);                       // (B, 1, C)
                        next = e.concat(e, 0);                                                   // (2B, 1, C)
                        next.attach(run);
                    }
                }
                x.close();
                x = next;
                progress.progress("sampling", p + 1, n);
            }
        }
        return labels.getManager().create(tokens, new ai.djl.ndarray.types.Shape(b, n));
    }
}
