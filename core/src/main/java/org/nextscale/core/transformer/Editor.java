package org.nextscale.core.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.EditMask;
import org.nextscale.core.api.EditMode;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.nn.NoGrad;

/**
 * Zero-shot editing (reference demo_zero_shot_edit.ipynb): sample scale by scale as usual, but after each
 * scale put the edited image's own tokens back wherever the scale's keep mask says so. Nothing is
 * trained for it; the model fills the rest consistently with what is kept.
 *
 * <p>From a pixel selection ({@link EditMask}, any size) to keep masks:
 * <ol>
 *   <li>Final token grid (side x side): each token area-averages the selection over its pixels
 *       (adaptive-average-pooling windows). INPAINT and CLASS_EDIT regenerate the selection, so a token is
 *       kept where more than half of its pixels are unselected; OUTPAINT keeps the selection, so a token
 *       is kept where more than half of its pixels are selected ({@link EditMasks#fromPixels}).</li>
 *   <li>Each scale pn: the final mask resized bilinearly in float32 (align_corners=False) and kept where
 *       > 0.5; scales with at most 3 tokens keep every token ({@link EditMasks#forScale}), as the
 *       reference does.</li>
 * </ol>
 * A box given as fractions gives the same final mask as the reference's get_edit_mask
 * ({@link EditMasks#box}). Labels: every mode is conditioned on {@code options.classId()}; INPAINT and
 * OUTPAINT also take {@link SampleOptions#UNCONDITIONAL} (label = num_classes, as the reference demo), CLASS_EDIT
 * needs a class.
 */
public final class Editor {
    private final Sampler sampler;

    public Editor(Sampler sampler) {
        this.sampler = sampler;
    }

    /**
     * The reference's form: the image's tokens per scale (B, pn*pn) int64, the final-scale keep mask
     * (side*side, 1 = keep) and labels (B) int64 (num_classes = unconditional).
     * @return images (B, C, H, W) in [0, 1], owned by the labels' manager
     */
    public NDArray edit(NDArray labels, List<NDArray> imageTokens, float[] finalKeepMask, SampleOptions options,
                        ProgressListener progress, CancelToken cancel, SampleTrace trace) {
        return sampler.sample(labels, options, new Sampler.Edit(imageTokens, finalKeepMask), progress, cancel, trace);
    }

    /**
     * Edits images given in [0, 1] at the model's size, (B, C, H, W), with one pixel mask for all.
     * @return images (B, C, H, W) in [0, 1], owned by the input's manager
     */
    public NDArray edit(NDArray image01, EditMask mask, EditMode mode, SampleOptions options, ProgressListener progress,
                        CancelToken cancel, SampleTrace trace) {
        int numClasses = sampler.transformer().config().numClasses();
        int cls = options.classId();
        boolean known = cls >= 0 && cls < numClasses;
        if (mode == EditMode.CLASS_EDIT && !known)
            throw new IllegalArgumentException("class editing needs a class between 0 and " + (numClasses - 1) + ", got " + cls);
        if (!known && cls != SampleOptions.UNCONDITIONAL)
            throw new IllegalArgumentException("class " + cls + " does not exist: use 0.." + (numClasses - 1) + " or -1 (unconditional)");
        long label = known ? cls : numClasses;                                // num_classes = the null class
        if (mask.count() == 0 && mode != EditMode.OUTPAINT)
            throw new IllegalArgumentException("the edit mask selects no pixels: select the area to regenerate");
        List<Integer> patchNums = sampler.tokenizer().quantizer().patchNums();
        int side = patchNums.get(patchNums.size() - 1);
        float[] finalMask = EditMasks.fromPixels(mask, side, mode == EditMode.OUTPAINT);
        NDManager owner = image01.getManager();
        long b = image01.getShape().get(0);
        long[] labels = new long[(int) b];
        java.util.Arrays.fill(labels, label);
        try (NDManager tmp = owner.newSubManager()) {
            List<NDArray> tokens;
            try (NoGrad noGrad = new NoGrad()) {
                NDArray img = image01.duplicate();
                img.attach(tmp);
                tokens = sampler.tokenizer().imgToIdx(img.mul(2f).sub(1f));                      // [0,1] -> [-1,1]
            }
            return edit(owner.create(labels), tokens, finalMask, options, progress, cancel, trace);
        }
    }
}
