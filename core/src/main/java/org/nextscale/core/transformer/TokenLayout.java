package org.nextscale.core.transformer;

import java.util.ArrayList;
import java.util.List;
import org.nextscale.core.config.ModelConfig;

/**
 * How the transformer's token sequence is cut into blocks that are predicted together. Attention is
 * block-causal: a position sees every position of its own block and of all earlier blocks. Each block
 * has a level (the reference's lvl_embed row).
 *
 * <ul>
 *   <li>{@link #nextScale}: VAR. Block k holds the pn_k x pn_k tokens of scale k and has level k, so
 *       lvl_embed has one row per scale and pos_1LC has L = sum pn^2 rows.</li>
 *   <li>{@link #raster}: the next-token baseline over the N = side^2 tokens of the last scale. Every
 *       block is one token, so the mask is the plain causal mask; every block has level 0, so lvl_embed
 *       has a single row and pos_1LC has N rows. The first position is the class token (first_l = 1),
 *       the teacher-forcing input is the embeddings of tokens 0..N-2 and the logits predict 0..N-1.</li>
 * </ul>
 *
 * @param blockSizes tokens per block, in sequence order
 * @param levels     level (lvl_embed row) of each block
 * @param numLevels  rows of lvl_embed
 */
public record TokenLayout(int[] blockSizes, int[] levels, int numLevels) {

    public TokenLayout {
        if (blockSizes.length == 0 || blockSizes.length != levels.length)
            throw new IllegalArgumentException("token layout needs one level per block");
        for (int i = 0; i < blockSizes.length; i++) {
            if (blockSizes[i] < 1) throw new IllegalArgumentException("token layout: empty block " + i);
            if (levels[i] < 0 || levels[i] >= numLevels) throw new IllegalArgumentException("token layout: level out of range");
        }
    }

    /** The layout a model config asks for: order "raster" gives {@link #raster} of the last scale, else {@link #nextScale}. */
    public static TokenLayout of(ModelConfig config) {
        List<Integer> pn = config.patchNums();
        return "raster".equals(config.order()) ? raster(pn.get(pn.size() - 1)) : nextScale(pn);
    }

    /** VAR's next-scale layout: one block per scale, pn^2 tokens, level = scale index. */
    public static TokenLayout nextScale(List<Integer> patchNums) {
        int n = patchNums.size();
        int[] sizes = new int[n], levels = new int[n];
        for (int k = 0; k < n; k++) {
            sizes[k] = patchNums.get(k) * patchNums.get(k);
            levels[k] = k;
        }
        return new TokenLayout(sizes, levels, n);
    }

    /** Raster baseline: side^2 blocks of one token each, all on level 0. */
    public static TokenLayout raster(int side) {
        int n = side * side;
        int[] sizes = new int[n];
        java.util.Arrays.fill(sizes, 1);
        return new TokenLayout(sizes, new int[n], 1);
    }

    public int numBlocks() {
        return blockSizes.length;
    }

    /** Total sequence length L. */
    public int length() {
        int l = 0;
        for (int s : blockSizes) l += s;
        return l;
    }

    /** Tokens of the first block (the reference's first_l): its input is the class token. */
    public int firstLength() {
        return blockSizes[0];
    }

    public int begin(int block) {
        int b = 0;
        for (int i = 0; i < block; i++) b += blockSizes[i];
        return b;
    }

    public int end(int block) {
        return begin(block) + blockSizes[block];
    }

    /** Block index of every position (length L); attention allows i -> j when block(i) >= block(j). */
    public long[] blockOfPosition() {
        long[] out = new long[length()];
        int p = 0;
        for (int b = 0; b < blockSizes.length; b++)
            for (int i = 0; i < blockSizes[b]; i++) out[p++] = b;
        return out;
    }

    /** Level of every position (the reference's lvl_1L), length L. */
    public long[] levelOfPosition() {
        long[] out = new long[length()];
        int p = 0;
        for (int b = 0; b < blockSizes.length; b++)
            for (int i = 0; i < blockSizes[b]; i++) out[p++] = levels[b];
        return out;
    }

    public List<Integer> blockSizeList() {
        List<Integer> l = new ArrayList<>();
        for (int s : blockSizes) l.add(s);
        return l;
    }
}
