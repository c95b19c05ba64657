package org.nextscale.core.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.config.VarConfig;
import org.nextscale.core.config.VqVaeConfig;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.io.SafeTensors;

/**
 * The one place that knows every tensor of a model: name, shape, dtype and whether training updates it.
 * Names and shapes are those of the reference's state dicts (FoundationVision/VAR models/vqvae.py,
 * basic_vae.py, quant.py, var.py, basic_var.py) with the prefixes "vae." and "var.", listed in the
 * reference's state_dict order. Buffers (attention mask, level ids, zero k-bias, codebook hit counts) are
 * included and marked non-trainable; {@link #buffers} computes their values.
 *
 * <p>Order "raster" (the next-token baseline over the last scale only) changes the transformer's
 * sequence: N = last pn^2 positions, one level, a plain causal mask.
 */
public final class WeightSpec {
    private WeightSpec() {}

    /** One tensor of a model. dtype is a safetensors name: "F32" or "I64". */
    public record Entry(String name, long[] shape, boolean trainable, String dtype) {
        public long numel() {
            return HostTensor.numel(shape);
        }

        @Override
        public String toString() {
            return name + " " + dtype + Arrays.toString(shape) + (trainable ? "" : " (buffer)");
        }
    }

    /** Every tensor of the model: the tokenizer's, then the transformer's (absent for tokenizer-only models). */
    public static List<Entry> of(ModelConfig c) {
        List<Entry> all = new ArrayList<>(vae(c));
        if (c.var() != null) all.addAll(var(c));
        return all;
    }

    /** Entries by name, in spec order. */
    public static Map<String, Entry> byName(ModelConfig c) {
        Map<String, Entry> m = new LinkedHashMap<>();
        for (Entry e : of(c)) m.put(e.name(), e);
        return m;
    }

    /** Number of trainable scalars among the entries whose name starts with prefix ("" for all). */
    public static long parameterCount(ModelConfig c, String prefix) {
        long n = 0;
        for (Entry e : of(c)) if (e.trainable() && e.name().startsWith(prefix)) n += e.numel();
        return n;
    }

    // ---------------------------------------------------------------- tokenizer (VQ-VAE)

    /** The VQ-VAE: encoder, decoder, multi-scale quantizer, quant_conv, post_quant_conv. */
    public static List<Entry> vae(ModelConfig c) {
        VqVaeConfig v = c.vqvae();
        List<Entry> out = new ArrayList<>();
        Builder b = new Builder(out, "vae.");
        int ch = v.ch(), levels = v.chMult().size();

        // encoder: conv_in, per level (res blocks, attention at the lowest resolution, downsample), mid, out
        b.conv("encoder.conv_in", ch, v.inChannels(), 3);
        int blockIn = ch;
        for (int i = 0; i < levels; i++) {
            int blockOut = ch * v.chMult().get(i);
            blockIn = ch * (i == 0 ? 1 : v.chMult().get(i - 1));
            for (int r = 0; r < v.numResBlocks(); r++) {
                b.resBlock("encoder.down." + i + ".block." + r, blockIn, blockOut);
                blockIn = blockOut;
            }
            if (i == levels - 1 && v.usingSa())
                for (int r = 0; r < v.numResBlocks(); r++) b.attnBlock("encoder.down." + i + ".attn." + r, blockIn);
            if (i != levels - 1) b.conv("encoder.down." + i + ".downsample.conv", blockIn, blockIn, 3);
        }
        b.mid("encoder.mid", blockIn, v.usingMidSa());
        b.norm("encoder.norm_out", blockIn);
        b.conv("encoder.conv_out", v.zChannels(), blockIn, 3);

        // decoder: conv_in, mid, per level from lowest resolution up (res blocks + 1, attention, upsample), out
        blockIn = ch * v.chMult().get(levels - 1);
        b.conv("decoder.conv_in", blockIn, v.zChannels(), 3);
        b.mid("decoder.mid", blockIn, v.usingMidSa());
        Map<Integer, List<Entry>> upLevels = new LinkedHashMap<>();
        for (int i = levels - 1; i >= 0; i--) {
            List<Entry> level = new ArrayList<>();
            Builder lb = new Builder(level, "vae.decoder.up." + i + ".");
            int blockOut = ch * v.chMult().get(i);
            for (int r = 0; r <= v.numResBlocks(); r++) {
                lb.resBlock("block." + r, blockIn, blockOut);
                blockIn = blockOut;
            }
            if (i == levels - 1 && v.usingSa())
                for (int r = 0; r <= v.numResBlocks(); r++) lb.attnBlock("attn." + r, blockIn);
            if (i != 0) lb.conv("upsample.conv", blockIn, blockIn, 3);
            upLevels.put(i, level);
        }
        for (int i = 0; i < levels; i++) out.addAll(upLevels.get(i)); // state_dict lists up.0 first
        b.norm("decoder.norm_out", blockIn);
        b.conv("decoder.conv_out", v.inChannels(), blockIn, 3);

        // quantizer: hit-count buffer, phi convolutions, codebook
        int z = v.zChannels();
        b.buffer("quantize.ema_vocab_hit_SV", "F32", c.numScales(), v.vocabSize());
        for (String phi : phiNames(v, c.numScales())) b.conv("quantize.quant_resi." + phi, z, z, 3);
        b.param("quantize.embedding.weight", v.vocabSize(), z);
        b.conv("quant_conv", z, z, v.quantConvKs());
        b.conv("post_quant_conv", z, z, v.quantConvKs());
        return out;
    }

    /**
     * Module names of the phi convolutions (reference quant.py): none when |quant_resi| <= 1e-6 (identity);
     * "qresi" when share_quant_resi == 1; "0".."K-1" (one per scale) when 0; else "qresi_ls.0".."qresi_ls.{n-1}".
     */
    public static List<String> phiNames(VqVaeConfig v, int numScales) {
        List<String> names = new ArrayList<>();
        if (Math.abs(v.quantResi()) <= 1e-6) return names;
        if (v.shareQuantResi() == 1) names.add("qresi");
        else if (v.shareQuantResi() == 0) for (int i = 0; i < numScales; i++) names.add(Integer.toString(i));
        else for (int i = 0; i < v.shareQuantResi(); i++) names.add("qresi_ls." + i);
        return names;
    }

    /** A short description of the phi variant, for summaries. */
    public static String phiVariant(VqVaeConfig v) {
        if (Math.abs(v.quantResi()) <= 1e-6) return "none (identity)";
        if (v.shareQuantResi() == 1) return "shared";
        if (v.shareQuantResi() == 0) return "non-shared (one per scale)";
        return "partially shared (" + v.shareQuantResi() + ")";
    }

    // ---------------------------------------------------------------- transformer (VAR)

    /** Length of the transformer's token sequence: sum pn^2 (order "var") or last pn^2 (order "raster"). */
    public static int sequenceLength(ModelConfig c) {
        if (isRaster(c)) {
            int last = c.patchNums().get(c.numScales() - 1);
            return last * last;
        }
        return c.totalTokens();
    }

    /** Number of levels the level embedding distinguishes: one per scale, or 1 for order "raster". */
    public static int numLevels(ModelConfig c) {
        return isRaster(c) ? 1 : c.numScales();
    }

    /** Tokens fed at the start (the class token positions): first pn^2, or 1 for "raster". */
    public static int firstLength(ModelConfig c) {
        return isRaster(c) ? 1 : c.patchNums().get(0) * c.patchNums().get(0);
    }

    public static boolean isRaster(ModelConfig c) {
        return "raster".equals(c.order());
    }

    /** The transformer (reference var.py / basic_var.py). */
    public static List<Entry> var(ModelConfig c) {
        VarConfig t = c.var();
        if (t == null) return List.of();
        List<Entry> out = new ArrayList<>();
        Builder b = new Builder(out, "var.");
        int C = t.embedDim(), L = sequenceLength(c), V = c.vqvae().vocabSize(), Cvae = c.vqvae().zChannels();
        int hidden = (int) Math.rint(C * t.mlpRatio()); // Python round(): half to even
        b.param("pos_start", 1, firstLength(c), C);
        b.param("pos_1LC", 1, L, C);
        b.buffer("lvl_1L", "I64", 1, L);
        b.buffer("attn_bias_for_masking", "F32", 1, 1, L, L);
        b.linear("word_embed", C, Cvae);
        b.param("class_emb.weight", t.numClasses() + 1, C);
        b.param("lvl_embed.weight", numLevels(c), C);
        if (t.sharedAln()) b.linear("shared_ada_lin.1", 6 * C, C);
        for (int i = 0; i < t.depth(); i++) {
            String p = "blocks." + i + ".";
            if (t.sharedAln()) b.param(p + "ada_gss", 1, 1, 6, C);
            if (t.attnL2Norm()) b.param(p + "attn.scale_mul_1H11", 1, t.numHeads(), 1, 1);
            b.param(p + "attn.q_bias", C);
            b.param(p + "attn.v_bias", C);
            b.buffer(p + "attn.zero_k_bias", "F32", C);
            b.param(p + "attn.mat_qkv.weight", 3 * C, C);
            b.linear(p + "attn.proj", C, C);
            b.linear(p + "ffn.fc1", hidden, C);
            b.linear(p + "ffn.fc2", C, hidden);
            if (!t.sharedAln()) b.linear(p + "ada_lin.1", 6 * C, C);
        }
        b.linear("head_nm.ada_lin.1", 2 * C, C);
        b.linear("head", V, C);
        return out;
    }

    // ---------------------------------------------------------------- buffer values

    /**
     * Values of every buffer (non-trainable entry) a fresh model starts with: zero hit counts and k-bias,
     * level ids, and the attention mask (0 where attending is allowed, -inf elsewhere): block-causal over
     * scales for order "var" (a token sees every token of its own and earlier scales), plain causal for "raster".
     */
    public static Map<String, HostTensor> buffers(ModelConfig c) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (Entry e : of(c)) {
            if (e.trainable()) continue;
            String local = e.name().substring(e.name().indexOf('.') + 1);
            if (local.equals("lvl_1L")) out.put(e.name(), HostTensor.ofLongs(levels(c), e.shape()));
            else if (local.equals("attn_bias_for_masking")) out.put(e.name(), HostTensor.ofFloats(mask(c), e.shape()));
            else out.put(e.name(), HostTensor.ofFloats(new float[(int) e.numel()], e.shape()));
        }
        return out;
    }

    /** Scale index of each sequence position (all 0 for "raster"). */
    private static long[] levels(ModelConfig c) {
        long[] lvl = new long[sequenceLength(c)];
        if (isRaster(c)) return lvl;
        int pos = 0;
        for (int k = 0; k < c.numScales(); k++)
            for (int j = 0; j < c.patchNums().get(k) * c.patchNums().get(k); j++) lvl[pos++] = k;
        return lvl;
    }

    /** Additive attention mask (L, L): row = query, column = key. */
    private static float[] mask(ModelConfig c) {
        int n = sequenceLength(c);
        long[] lvl = levels(c);
        boolean raster = isRaster(c);
        float[] m = new float[n * n];
        for (int q = 0; q < n; q++)
            for (int k = 0; k < n; k++) {
                boolean allowed = raster ? k <= q : lvl[q] >= lvl[k];
                m[q * n + k] = allowed ? 0f : Float.NEGATIVE_INFINITY;
            }
        return m;
    }

    // ---------------------------------------------------------------- checking weights against the spec

    /**
     * How a set of weights compares with a spec: names the spec has but the weights lack, names the spec
     * does not know, and names present in both with another shape or kind (float vs integer). Float storage
     * may be any float dtype and integer storage any integer dtype: loading converts them.
     */
    public record Fit(List<String> missing, List<String> unexpected, List<String> misShaped) {
        public boolean ok() {
            return missing.isEmpty() && unexpected.isEmpty() && misShaped.isEmpty();
        }

        public int count() {
            return missing.size() + unexpected.size() + misShaped.size();
        }

        /** One line naming the first few problems of each kind, e.g. "missing 'a', 'b' and 3 more; unexpected 'c'". */
        public String describe(int perKind) {
            List<String> parts = new ArrayList<>();
            if (!missing.isEmpty()) parts.add("missing " + first(missing, perKind, true));
            if (!unexpected.isEmpty()) parts.add("unexpected " + first(unexpected, perKind, true));
            if (!misShaped.isEmpty()) parts.add("mis-shaped " + first(misShaped, perKind, false));
            return String.join("; ", parts);
        }

        private static String first(List<String> items, int n, boolean quote) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < Math.min(n, items.size()); i++) {
                if (i > 0) b.append(", ");
                b.append(quote ? "'" + items.get(i) + "'" : items.get(i));
            }
            if (items.size() > n) b.append(" and ").append(items.size() - n).append(" more");
            return b.toString();
        }
    }

    /** Compares weights with spec entries (names must match exactly, including any prefix). */
    public static Fit fit(List<Entry> spec, Map<String, HostTensor> weights) {
        Map<String, SafeTensors.Declared> declared = new LinkedHashMap<>();
        weights.forEach((k, t) -> declared.put(k, new SafeTensors.Declared(k, t.dtype(), t.shape())));
        return fitDeclared(spec, declared);
    }

    /** {@link #fit} on what a file's header declares, before any tensor is read. */
    public static Fit fitDeclared(List<Entry> spec, Map<String, SafeTensors.Declared> weights) {
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), misShaped = new ArrayList<>();
        Map<String, Entry> names = new LinkedHashMap<>();
        for (Entry e : spec) {
            names.put(e.name(), e);
            SafeTensors.Declared t = weights.get(e.name());
            if (t == null) missing.add(e.name());
            else if (!Arrays.equals(t.shape(), e.shape()))
                misShaped.add("'" + e.name() + "' " + Arrays.toString(t.shape()) + " (config: " + Arrays.toString(e.shape()) + ")");
            else if (t.dtype().startsWith("F") != e.dtype().startsWith("F"))
                misShaped.add("'" + e.name() + "' " + t.dtype() + " (config: " + e.dtype() + ")");
        }
        for (String k : weights.keySet()) if (!names.containsKey(k)) unexpected.add(k);
        return new Fit(missing, unexpected, misShaped);
    }

    /** The same entries with a name prefix removed ("vae." for the names inside vae.pth). */
    public static List<Entry> withoutPrefix(List<Entry> spec, String prefix) {
        List<Entry> r = new ArrayList<>();
        for (Entry e : spec)
            r.add(new Entry(e.name().startsWith(prefix) ? e.name().substring(prefix.length()) : e.name(), e.shape(), e.trainable(), e.dtype()));
        return r;
    }

    // ---------------------------------------------------------------- builder

    /** Appends entries with PyTorch's naming of common modules. */
    private static final class Builder {
        private final List<Entry> out;
        private final String prefix;

        Builder(List<Entry> out, String prefix) {
            this.out = out;
            this.prefix = prefix;
        }

        void param(String name, long... shape) {
            out.add(new Entry(prefix + name, shape, true, "F32"));
        }

        void buffer(String name, String dtype, long... shape) {
            out.add(new Entry(prefix + name, shape, false, dtype));
        }

        /** nn.Linear: weight (out, in), bias (out). */
        void linear(String name, long outF, long inF) {
            param(name + ".weight", outF, inF);
            param(name + ".bias", outF);
        }

        /** nn.Conv2d: weight (out, in, k, k), bias (out). */
        void conv(String name, long outC, long inC, long k) {
            param(name + ".weight", outC, inC, k, k);
            param(name + ".bias", outC);
        }

        /** GroupNorm with affine: weight, bias (C). */
        void norm(String name, long ch) {
            param(name + ".weight", ch);
            param(name + ".bias", ch);
        }

        /** basic_vae.ResnetBlock: norm1, conv1, norm2, conv2, nin_shortcut (1x1, only when channels change). */
        void resBlock(String name, int in, int outC) {
            norm(name + ".norm1", in);
            conv(name + ".conv1", outC, in, 3);
            norm(name + ".norm2", outC);
            conv(name + ".conv2", outC, outC, 3);
            if (in != outC) conv(name + ".nin_shortcut", outC, in, 1);
        }

        /** basic_vae.AttnBlock: norm, qkv (1x1 conv to 3C), proj_out (1x1). */
        void attnBlock(String name, int ch) {
            norm(name + ".norm", ch);
            conv(name + ".qkv", 3L * ch, ch, 1);
            conv(name + ".proj_out", ch, ch, 1);
        }

        /** Middle: block_1, attn_1 (optional), block_2. */
        void mid(String name, int ch, boolean attention) {
            resBlock(name + ".block_1", ch, ch);
            if (attention) attnBlock(name + ".attn_1", ch);
            resBlock(name + ".block_2", ch, ch);
        }
    }
}
