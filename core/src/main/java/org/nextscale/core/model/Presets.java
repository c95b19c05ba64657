package org.nextscale.core.model;

import java.util.List;
import org.nextscale.core.config.ClassNames;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.config.VarConfig;
import org.nextscale.core.config.VqVaeConfig;

/**
 * The official VAR models (FoundationVision/VAR README "VAR zoo", utils/arg_util.py, models/__init__.py):
 * tokenizer vae_ch160v4096z32 (vocab 4096, z 32, ch 160, ch_mult 1,1,2,2,4, 2 res blocks, attention,
 * beta 0.25, phi ratio 0.5 with 4 partially shared phi, quant_conv kernel 3, RGB) and transformers
 * VAR-d{16,20,24,30} at 256 px (patch_nums 1,2,3,4,5,6,8,10,13,16) and VAR-d36 at 512 px (--pn=512:
 * 1,2,3,4,6,9,13,18,24,32, shared AdaLN). Each transformer has depth d, width 64 d, d heads, MLP ratio
 * 4, LayerNorm eps 1e-6, L2-normalised attention and the 1000 ImageNet classes, named as in
 * {@link ClassNames#imageNet()} (207 = golden retriever).
 */
public final class Presets {
    private Presets() {}

    public static final List<String> NAMES = List.of("d16", "d20", "d24", "d30", "d36");

    public static final List<Integer> PATCH_NUMS_256 = List.of(1, 2, 3, 4, 5, 6, 8, 10, 13, 16);
    public static final List<Integer> PATCH_NUMS_512 = List.of(1, 2, 3, 4, 6, 9, 13, 18, 24, 32);

    /** The config of an official model by name ("d16" ... "d36"). */
    public static ModelConfig get(String name) {
        String n = name == null ? "" : name.trim().toLowerCase();
        if (!NAMES.contains(n))
            throw new IllegalArgumentException("unknown preset '" + name + "': choose one of " + String.join(", ", NAMES));
        int depth = Integer.parseInt(n.substring(1));
        boolean is512 = depth == 36;
        List<Integer> patchNums = is512 ? PATCH_NUMS_512 : PATCH_NUMS_256;
        VqVaeConfig vq = VqVaeConfig.official();
        VarConfig var = VarConfig.official(depth, is512);
        int imageSize = patchNums.get(patchNums.size() - 1) * vq.downsample();
        return new ModelConfig(ModelConfig.FORMAT_VERSION, imageSize, patchNums, vq, var,
                ClassNames.imageNet(), "var").validate();
    }
}
