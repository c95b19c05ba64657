package org.nextscale.core.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything needed to rebuild a model from its weights: tokenizer, transformer (null for a
 * tokenizer-only model), scales, image geometry and class names. This record is what model.json holds.
 *
 * @param imageSize  side of the square images the model works on (pixels)
 * @param patchNums  token-map side per scale, e.g. 1,2,3,4,6,8; the last equals imageSize / downsample
 * @param classNames one name per class (may be generated "0","1",...)
 * @param order      "var" (next-scale) or "raster" (next-token baseline over the last scale)
 */
public record ModelConfig(
        int formatVersion,
        int imageSize,
        List<Integer> patchNums,
        VqVaeConfig vqvae,
        VarConfig var,
        List<String> classNames,
        String order) {

    public static final int FORMAT_VERSION = 1;

    public int channels() {
        return vqvae.inChannels();
    }

    public int numScales() {
        return patchNums.size();
    }

    /** Total number of tokens over all scales, L = sum pn^2. */
    public int totalTokens() {
        int l = 0;
        for (int pn : patchNums) l += pn * pn;
        return l;
    }

    /** [begin, end) of scale k in the flattened token sequence. */
    public int[] beginEnd(int k) {
        int b = 0;
        for (int i = 0; i < k; i++) b += patchNums.get(i) * patchNums.get(i);
        return new int[] {b, b + patchNums.get(k) * patchNums.get(k)};
    }

    public boolean hasTransformer() {
        return var != null;
    }

    public ModelConfig withVar(VarConfig v, List<String> names, String newOrder) {
        return new ModelConfig(formatVersion, imageSize, patchNums, vqvae, v, names, newOrder);
    }

    public static List<String> defaultClassNames(int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) names.add(Integer.toString(i));
        return names;
    }

    /** Checks the geometry; throws {@link IllegalArgumentException} with a message a user can act on. */
    public ModelConfig validate() {
        if (patchNums == null || patchNums.isEmpty())
            throw new IllegalArgumentException("model config: patch_nums is empty");
        int last = patchNums.get(patchNums.size() - 1);
        if (imageSize != last * vqvae.downsample())
            throw new IllegalArgumentException("model config: image size " + imageSize + " does not equal last scale "
                    + last + " x encoder downsampling " + vqvae.downsample());
        for (int i = 1; i < patchNums.size(); i++)
            if (patchNums.get(i) <= patchNums.get(i - 1))
                throw new IllegalArgumentException("model config: patch_nums must increase: " + patchNums);
        if (var != null && var.embedDim() % var.numHeads() != 0)
            throw new IllegalArgumentException("model config: embed_dim " + var.embedDim()
                    + " is not divisible by num_heads " + var.numHeads());
        return this;
    }
}
