package org.nextscale.core.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import java.util.ArrayList;
import java.util.List;
import org.nextscale.core.config.VarConfig;
import org.nextscale.core.nn.Ops;
import org.nextscale.core.nn.Params;

/**
 * The VAR transformer (reference models/var.py + models/basic_var.py): class-conditioned, AdaLN
 * blocks, block-causal attention over a token sequence cut into blocks by a {@link TokenLayout}.
 *
 * <p>Weights are read from {@link Params} under "var." with the reference's state-dict names:
 * word_embed, class_emb (num_classes + 1 rows, the last is the unconditional class), pos_start,
 * pos_1LC, lvl_embed, blocks.{i}.ada_lin.1 (or, with shared AdaLN, one shared_ada_lin.1 plus a
 * blocks.{i}.ada_gss table per block), blocks.{i}.attn.{mat_qkv, q_bias, v_bias, scale_mul_1H11,
 * proj}, blocks.{i}.ffn.{fc1, fc2}, head_nm.ada_lin.1 and head. Weights are looked up at every call,
 * so a trainer may update or replace them in place. The buffers lvl_1L, attn_bias_for_masking and
 * zero_k_bias are not read: they follow from the layout (and k has no bias).
 *
 * <p>Two ways to run it: {@link #forward} is the teacher-forced, differentiable pass over the whole
 * sequence (training, parity); {@link #step} runs one block at a time against a {@link KvCache}
 * (sampling). The layout makes the same class serve VAR's next-scale order and the raster baseline
 * ({@link TokenLayout#raster}: one token per block, plain causal mask, a single level).
 *
 * <p>Every result belongs to the manager of the caller's input array (labels for {@link #condition},
 * the token input otherwise): open a sub-manager per step and hand in arrays created in it.
 */
public final class VarTransformer {
    private static final float MAX_SCALE_MUL = (float) Math.log(100);

    private final VarConfig cfg;
    private final TokenLayout layout;
    private final int vocabSize;
    private final int cvae;
    private final Params params;
    private final Constants constants;

    public VarTransformer(VarConfig cfg, TokenLayout layout, int vocabSize, int cvae, Params params) {
        this.cfg = cfg;
        this.layout = layout;
        this.vocabSize = vocabSize;
        this.cvae = cvae;
        this.params = params;
        checkShapes();
        this.constants = Constants.of(params.manager().newSubManager(), cfg, layout);
    }

    public VarConfig config() {
        return cfg;
    }

    public TokenLayout layout() {
        return layout;
    }

    public int vocabSize() {
        return vocabSize;
    }

    public Params params() {
        return params;
    }

    /**
     * The class embedding and what every block derives from it; {@code ada}, when not null, holds each
     * block's AdaLN parameters (B, 1, 6, C) computed once for a whole sampling run.
     */
    public record Condition(NDArray classEmb, NDArray siluClassEmb, NDArray shared, List<NDArray> ada) {
        /** Every array it holds, for a caller that scopes them (tempAttach) per step. */
        public List<NDArray> arrays() {
            List<NDArray> all = new ArrayList<>();
            for (NDArray a : new NDArray[] {classEmb, siluClassEmb, shared}) if (a != null) all.add(a);
            if (ada != null) all.addAll(ada);
            return all;
        }
    }

    /** labels (B) int64, num_classes = unconditional; already label-dropped for training. */
    public Condition condition(NDArray labels) {
        int c = cfg.embedDim();
        NDArray emb = Embedding.embedding(labels, w("class_emb.weight"), SparseFormat.DENSE).singletonOrThrow(); // (B, C)
        emb = own(emb, labels.getManager());
        NDArray silu = Ops.silu(emb);                                                            // (B, C)
        NDArray shared = null;
        if (cfg.sharedAln())
            shared = linear(silu, "shared_ada_lin.1").reshape(-1, 1, 6, c);                      // (B, 1, 6, C)
        return new Condition(emb, silu, shared, null);
    }

    /**
     * As {@link #condition}, with every block's AdaLN parameters computed now, once, instead of at every
     * step: they depend on the class alone, and their weights are a third of each block's (read at every
     * step of a memory-bound small-batch sampler). Same values as computing them per step. No gradients.
     */
    public Condition samplingCondition(NDArray labels) {
        Condition c = condition(labels);
        if (cfg.sharedAln()) return c;
        List<NDArray> ada = new ArrayList<>();
        for (int i = 0; i < cfg.depth(); i++) ada.add(blockAda(i, c));                          // (B, 1, 6, C) each
        return new Condition(c.classEmb(), c.siluClassEmb(), null, ada);
    }

    /** Block i's AdaLN parameters (B, 1, 6, C): shared plus its own offset, or its own linear layer. */
    private NDArray blockAda(int i, Condition cond) {
        String p = "blocks." + i + ".";
        return cfg.sharedAln()
                ? cond.shared().add(w(p + "ada_gss"))
                : linear(cond.siluClassEmb(), p + "ada_lin.1").reshape(-1, 1, 6, cfg.embedDim());
    }

    /**
     * Teacher-forced logits over the whole sequence.
     *
     * @param labels   (B) int64, already label-dropped
     * @param varInput (B, L - first_l, Cvae) token-map inputs of every block but the first
     * @return logits (B, L, V)
     */
    public NDArray forward(NDArray labels, NDArray varInput) {
        NDManager m = varInput.getManager();
        int l = layout.length();
        Condition cond = condition(labels);
        NDArray x = firstBlockTokens(cond.classEmb());                                           // (B, first_l, C)
        if (l > layout.firstLength()) x = x.concat(linear(varInput, "word_embed"), 1);            // (B, L, C)
        x = x.add(levelAndPosition(m, 0, l));
        NDArray mask = constants.mask;                                                        // (1, 1, L, L)
        for (int i = 0; i < cfg.depth(); i++) x = block(i, x, cond, mask, null);
        return head(x, cond);                                                                    // (B, L, V)
    }

    /**
     * Input of the first block: class embedding + pos_start + level/position of the first block.
     * @return (B, first_l, C) for the B labels of {@code cond}
     */
    public NDArray firstBlock(Condition cond) {
        NDArray x = firstBlockTokens(cond.classEmb());
        return x.add(levelAndPosition(x.getManager(), 0, layout.firstLength()));
    }

    /**
     * Input of block {@code block >= 1} from its token-map features.
     * @param tokenMap (B, l, Cvae) with l the block's size
     * @return (B, l, C)
     */
    public NDArray embedBlock(NDArray tokenMap, int block) {
        return linear(tokenMap, "word_embed").add(levelAndPosition(tokenMap.getManager(), layout.begin(block), layout.end(block)));
    }

    /**
     * One block through the network with cached keys/values of the earlier blocks (no mask: a block
     * sees itself and everything cached). Appends this block's keys/values to the cache.
     * @param x (B, l, C) from {@link #firstBlock} or {@link #embedBlock}
     * @return logits (B, l, V)
     */
    public NDArray step(KvCache cache, Condition cond, NDArray x) {
        for (int i = 0; i < cfg.depth(); i++) x = block(i, x, cond, null, cache);
        cache.advance(x.getShape().get(1));
        return head(x, cond);
    }

    /** A fresh key/value cache for {@link #step}; its arrays live in a sub-manager of {@code parent}. */
    public KvCache newCache(NDManager parent) {
        return new KvCache(parent, cfg.depth(), layout.length(), layout.blockSizes()[layout.numBlocks() - 1]);
    }

    /** Mean cross-entropy of logits (B, L, V) against tokens (B, L) int64; a scalar. */
    public static NDArray crossEntropy(NDArray logits, NDArray tokens) {
        NDArray logp = logits.logSoftmax(-1);                                                    // (B, L, V)
        return logp.gather(tokens.expandDims(-1), -1).neg().mean();
    }

    /** Names of every trainable weight this layout and config read, with the "var." prefix. */
    public List<String> weightNames() {
        List<String> n = new ArrayList<>(List.of("word_embed.weight", "word_embed.bias", "class_emb.weight", "pos_start",
                "pos_1LC", "lvl_embed.weight"));
        if (cfg.sharedAln()) n.addAll(List.of("shared_ada_lin.1.weight", "shared_ada_lin.1.bias"));
        for (int i = 0; i < cfg.depth(); i++) {
            String b = "blocks." + i + ".";
            if (cfg.sharedAln()) n.add(b + "ada_gss");
            else n.addAll(List.of(b + "ada_lin.1.weight", b + "ada_lin.1.bias"));
            n.addAll(List.of(b + "attn.mat_qkv.weight", b + "attn.q_bias", b + "attn.v_bias", b + "attn.proj.weight",
                    b + "attn.proj.bias", b + "ffn.fc1.weight", b + "ffn.fc1.bias", b + "ffn.fc2.weight", b + "ffn.fc2.bias"));
            if (cfg.attnL2Norm()) n.add(b + "attn.scale_mul_1H11");
        }
        n.addAll(List.of("head_nm.ada_lin.1.weight", "head_nm.ada_lin.1.bias", "head.weight", "head.bias"));
        return n.stream().map(s -> "var." + s).toList();
    }

    // ---------------------------------------------------------------- the network

    /**
     * One AdaLN self-attention block; mask (1, 1, L, L) for teacher forcing, null with a cache. Its
     * intermediate arrays live in a scope closed at the end: autograd keeps what the backward pass needs,
     * everything else is freed before the next block runs.
     */
    private NDArray block(int i, NDArray x, Condition cond, NDArray mask, KvCache cache) {
        NDManager outer = x.getManager();
        try (NDManager scope = outer.newSubManager()) {
            x.tempAttach(scope);
            String p = "blocks." + i + ".";
            NDArray ada = cond.ada() != null ? cond.ada().get(i) : blockAda(i, cond);              // (B, 1, 6, C)
            if (cond.ada() == null) ada.attach(scope);
            else ada.tempAttach(scope);                                                          // what is derived from it dies here
            NDList six = ada.split(6, 2);                                                        // 6 x (B, 1, 1, C)
            NDArray gamma1 = six.get(0).squeeze(2), gamma2 = six.get(1).squeeze(2);               // (B, 1, C)
            NDArray scale1 = six.get(2).squeeze(2), scale2 = six.get(3).squeeze(2);
            NDArray shift1 = six.get(4).squeeze(2), shift2 = six.get(5).squeeze(2);
            // fresh intermediates are modulated in place when nothing is recorded (Ops.mulAdd)
            NDArray h = Ops.mulAdd(layerNorm(x), Ops.plusOne(scale1), shift1);
            NDArray y = Ops.mulAdd(attention(i, h, mask, cache), gamma1, x);
            h = Ops.mulAdd(layerNorm(y), Ops.plusOne(scale2), shift2);
            NDArray ffn = linear(Ops.geluTanh(linear(h, p + "ffn.fc1")), p + "ffn.fc2");
            NDArray out = Ops.mulAdd(ffn, gamma2, y);                                            // (B, L, C)
            out.attach(outer);
            return out;
        }
    }

    private NDArray attention(int i, NDArray x, NDArray mask, KvCache cache) {
        Shape s = x.getShape();
        long b = s.get(0), l = s.get(1);
        int heads = cfg.numHeads(), hd = cfg.headDim();
        String p = "blocks." + i + ".attn.";
        // one product with the bias cat(q_bias, 0, v_bias), as the reference; k has no bias
        NDArray bias = NDArrays.concat(new NDList(w(p + "q_bias"), constants.zeros, w(p + "v_bias")));   // (3C)
        bias.attach(x.getManager());
        NDArray qkv = linear(x, p + "mat_qkv.weight", bias)
                .reshape(b, l, 3, heads, hd).transpose(2, 0, 3, 1, 4);                          // (3, B, H, L, hd)
        NDArray q = qkv.get(0), k = qkv.get(1), v = qkv.get(2);                                   // (B, H, L, hd)
        if (cfg.attnL2Norm()) {
            // the cap comes first so the result belongs to the activations' manager, and is an engine-made
            // tensor because autograd keeps it for the backward pass (see Ops.scale)
            NDArray cap = x.getManager().full(new Shape(), MAX_SCALE_MUL).toDevice(x.getDevice(), false);
            NDArray scaleMul = cap.minimum(w(p + "scale_mul_1H11")).exp();                       // (1, H, 1, 1)
            q = q.normalize(2, -1, 1e-12).mul(scaleMul);
            k = k.normalize(2, -1, 1e-12);
        } else {
            q = Ops.scale(q, (float) (0.25 / Math.sqrt(hd)));
        }
        if (cache != null) {
            k = cache.keys(i, k);                                                                // (B, H, Lk, hd)
            v = cache.values(i, v);
        }
        NDArray att = q.matMul(k.transpose(0, 1, 3, 2));                                         // (B, H, L, Lk)
        if (mask != null) att.addi(mask);                                                        // the product is not needed for its gradient
        NDArray out = att.softmax(-1).matMul(v);                                                 // (B, H, L, hd)
        out = out.transpose(0, 2, 1, 3).reshape(b, l, (long) heads * hd);                        // (B, L, C)
        return linear(out, p + "proj");
    }

    /** LayerNorm over C without affine (the engine's fused kernel with unit gain and zero shift). */
    private NDArray layerNorm(NDArray x) {
        return Ops.layerNorm(x, constants.ones, constants.zeros, (float) cfg.normEps());
    }

    /** AdaLN before the head (conditioned on the raw class embedding), then the vocabulary projection. */
    private NDArray head(NDArray x, Condition cond) {
        int c = cfg.embedDim();
        NDList ss = linear(cond.siluClassEmb(), "head_nm.ada_lin.1").reshape(-1, 1, 2, c).split(2, 2);
        NDArray scale = ss.get(0).squeeze(2), shift = ss.get(1).squeeze(2);                      // (B, 1, C)
        NDArray h = Ops.mulAdd(layerNorm(x), Ops.plusOne(scale), shift);
        return linear(h, "head");                                                                // (B, L, V)
    }

    // ---------------------------------------------------------------- embeddings and mask

    /** class embedding (B, C) + pos_start (1, first_l, C) -> (B, first_l, C). */
    private NDArray firstBlockTokens(NDArray classEmb) {
        return classEmb.expandDims(1).add(w("pos_start"));
    }

    /** lvl_embed(level of each position) + pos_1LC for positions [begin, end): (1, end - begin, C). */
    private NDArray levelAndPosition(NDManager m, int begin, int end) {
        NDArray idx = own(constants.levels.get(new NDIndex(":, {}:{}", begin, end)), m);     // (1, l) int64
        NDArray lvl = own(Embedding.embedding(idx, w("lvl_embed.weight"), SparseFormat.DENSE).singletonOrThrow(), m); // (1, l, C)
        NDArray pos = own(w("pos_1LC").get(new NDIndex(":, {}:{}", begin, end)), m);             // (1, l, C)
        return lvl.add(pos);
    }

    /**
     * Arrays that depend only on the config and layout, made once with the weights (in a sub-manager of
     * theirs): the LayerNorm gain/shift (C), the level of every position (1, L) and the block-causal mask
     * (1, 1, L, L), 0 where block(query) >= block(key) and -inf elsewhere.
     */
    private record Constants(NDArray ones, NDArray zeros, NDArray levels, NDArray mask) {
        static Constants of(NDManager m, VarConfig cfg, TokenLayout layout) {
            int c = cfg.embedDim(), l = layout.length();
            long[] blockOf = layout.blockOfPosition();
            float[] mask = new float[l * l];
            for (int q = 0; q < l; q++)
                for (int k = 0; k < l; k++) mask[q * l + k] = blockOf[q] >= blockOf[k] ? 0f : Float.NEGATIVE_INFINITY;
            return new Constants(m.ones(new Shape(c)), m.zeros(new Shape(c)), m.create(layout.levelOfPosition(), new Shape(1, l)),
                    m.create(mask, new Shape(1, 1, l, l)));
        }
    }

    // ---------------------------------------------------------------- weights

    private NDArray w(String name) {
        return params.get("var." + name);
    }

    private NDArray linear(NDArray x, String module) {
        return linear(x, module + ".weight", w(module + ".bias"));
    }

    /**
     * x W^T + b. A weight held as float16 in memory (api.WeightPrecision) is cast to float32 for this call
     * only, so the arithmetic is float32 either way and the copy is freed at once.
     */
    private NDArray linear(NDArray x, String weight, NDArray bias) {
        NDArray m = w(weight);
        if (m.getDataType() != DataType.FLOAT16) return Ops.linear(x, m, bias);
        try (NDArray m32 = m.toType(DataType.FLOAT32, false)) {                                // owned by the weights' manager
            return Ops.linear(x, m32, bias);
        }
    }

    /** Moves an array computed from weights alone (so owned by the weights' manager) to {@code m}. */
    private static NDArray own(NDArray a, NDManager m) {
        a.attach(m);
        return a;
    }

    private void checkShapes() {
        int c = cfg.embedDim();
        expect("word_embed.weight", c, cvae);
        expect("class_emb.weight", cfg.numClasses() + 1, c);
        expect("pos_start", 1, layout.firstLength(), c);
        expect("pos_1LC", 1, layout.length(), c);
        expect("lvl_embed.weight", layout.numLevels(), c);
        expect("head.weight", vocabSize, c);
        expect("head_nm.ada_lin.1.weight", 2 * c, c);
        if (cfg.sharedAln()) expect("shared_ada_lin.1.weight", 6 * c, c);
        for (int i = 0; i < cfg.depth(); i++) {
            if (cfg.sharedAln()) expect("blocks." + i + ".ada_gss", 1, 1, 6, c);
            else expect("blocks." + i + ".ada_lin.1.weight", 6 * c, c);
            expect("blocks." + i + ".attn.mat_qkv.weight", 3 * c, c);
            expect("blocks." + i + ".ffn.fc1.weight", cfg.mlpHidden(), c);
            if (cfg.attnL2Norm()) expect("blocks." + i + ".attn.scale_mul_1H11", 1, cfg.numHeads(), 1, 1);
        }
        if (params.has("var.blocks." + cfg.depth() + ".attn.mat_qkv.weight"))
            throw new IllegalArgumentException("model weights have more than depth=" + cfg.depth() + " blocks: the config does not match the weights");
    }

    private void expect(String name, long... shape) {
        Shape actual = w(name).getShape();
        if (!actual.equals(new Shape(shape)))
            throw new IllegalArgumentException("model weight var." + name + " has shape " + actual + " but the config needs "
                    + new Shape(shape) + ": the config does not match the weights");
    }
}
