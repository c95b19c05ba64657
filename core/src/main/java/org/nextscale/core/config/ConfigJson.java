package org.nextscale.core.config;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes {@link ModelConfig} as JSON with the reference's snake_case names. model.json and the
 * parity folders' config.json share the "vqvae", "var", "patch_nums" and "image_size" sections, so either
 * can be read here.
 */
public final class ConfigJson {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private ConfigJson() {}

    public static ModelConfig parse(String json) {
        JsonObject o;
        try {
            o = JsonParser.parseString(json).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a JSON object: " + e.getMessage());
        }
        try {
            int version = o.has("format_version") ? o.get("format_version").getAsInt() : ModelConfig.FORMAT_VERSION;
            if (version > ModelConfig.FORMAT_VERSION)
                throw new IllegalArgumentException("model format version " + version
                        + " is newer than this nextscale understands (" + ModelConfig.FORMAT_VERSION + "): update nextscale");
            List<Integer> patchNums = ints(req(o, "patch_nums").getAsJsonArray());
            VqVaeConfig vq = vqvae(req(o, "vqvae").getAsJsonObject());
            VarConfig var = o.has("var") && !o.get("var").isJsonNull() ? var(o.get("var").getAsJsonObject()) : null;
            List<String> names = new ArrayList<>();
            if (o.has("class_names")) for (JsonElement e : o.getAsJsonArray("class_names")) names.add(e.getAsString());
            else if (var != null) names = ModelConfig.defaultClassNames(var.numClasses());
            if (var != null && names.size() != var.numClasses())
                throw new IllegalArgumentException("class_names has " + names.size() + " entries but num_classes is " + var.numClasses());
            String order = o.has("order") ? o.get("order").getAsString() : "var";
            if (!order.equals("var") && !order.equals("raster"))
                throw new IllegalArgumentException("model config: order must be \"var\" or \"raster\", not \"" + order + "\"");
            int imageSize = o.has("image_size") ? o.get("image_size").getAsInt()
                    : patchNums.get(patchNums.size() - 1) * vq.downsample();
            return new ModelConfig(ModelConfig.FORMAT_VERSION, imageSize, patchNums, vq, var, names, order).validate();
        } catch (IllegalStateException | UnsupportedOperationException | NullPointerException | ClassCastException e) {
            throw new IllegalArgumentException("malformed model config: " + e.getMessage());
        }
    }

    public static String toJson(ModelConfig c) {
        JsonObject o = new JsonObject();
        o.addProperty("format_version", c.formatVersion());
        o.addProperty("image_size", c.imageSize());
        o.add("patch_nums", GSON.toJsonTree(c.patchNums()));
        JsonObject vq = new JsonObject();
        VqVaeConfig v = c.vqvae();
        vq.addProperty("vocab_size", v.vocabSize());
        vq.addProperty("z_channels", v.zChannels());
        vq.addProperty("ch", v.ch());
        vq.add("ch_mult", GSON.toJsonTree(v.chMult()));
        vq.addProperty("num_res_blocks", v.numResBlocks());
        vq.addProperty("in_channels", v.inChannels());
        vq.addProperty("using_sa", v.usingSa());
        vq.addProperty("using_mid_sa", v.usingMidSa());
        vq.addProperty("beta", v.beta());
        vq.addProperty("quant_resi", v.quantResi());
        vq.addProperty("share_quant_resi", v.shareQuantResi());
        vq.addProperty("quant_conv_ks", v.quantConvKs());
        o.add("vqvae", vq);
        if (c.var() != null) {
            VarConfig t = c.var();
            JsonObject var = new JsonObject();
            var.addProperty("num_classes", t.numClasses());
            var.addProperty("depth", t.depth());
            var.addProperty("embed_dim", t.embedDim());
            var.addProperty("num_heads", t.numHeads());
            var.addProperty("mlp_ratio", t.mlpRatio());
            var.addProperty("norm_eps", t.normEps());
            var.addProperty("shared_aln", t.sharedAln());
            var.addProperty("attn_l2_norm", t.attnL2Norm());
            var.addProperty("cond_drop_rate", t.condDropRate());
            o.add("var", var);
        }
        o.add("class_names", GSON.toJsonTree(c.classNames()));
        o.addProperty("order", c.order());
        return GSON.toJson(o);
    }

    private static VqVaeConfig vqvae(JsonObject o) {
        // reference options nextscale does not implement: refuse them instead of computing something else
        if (o.has("using_znorm") && o.get("using_znorm").getAsBoolean())
            throw new IllegalArgumentException("model config: using_znorm=true (cosine codebook lookup) is not supported");
        if (o.has("default_qresi_counts") && o.get("default_qresi_counts").getAsInt() != 0)
            throw new IllegalArgumentException("model config: default_qresi_counts other than 0 is not supported");
        return new VqVaeConfig(
                req(o, "vocab_size").getAsInt(),
                req(o, "z_channels").getAsInt(),
                req(o, "ch").getAsInt(),
                ints(req(o, "ch_mult").getAsJsonArray()),
                req(o, "num_res_blocks").getAsInt(),
                o.has("in_channels") ? o.get("in_channels").getAsInt() : 3,
                !o.has("using_sa") || o.get("using_sa").getAsBoolean(),
                !o.has("using_mid_sa") || o.get("using_mid_sa").getAsBoolean(),
                o.has("beta") ? o.get("beta").getAsDouble() : 0.25,
                o.has("quant_resi") ? o.get("quant_resi").getAsDouble() : 0.5,
                o.has("share_quant_resi") ? o.get("share_quant_resi").getAsInt() : 4,
                o.has("quant_conv_ks") ? o.get("quant_conv_ks").getAsInt() : 3);
    }

    private static VarConfig var(JsonObject o) {
        return new VarConfig(
                req(o, "num_classes").getAsInt(),
                req(o, "depth").getAsInt(),
                req(o, "embed_dim").getAsInt(),
                req(o, "num_heads").getAsInt(),
                o.has("mlp_ratio") ? o.get("mlp_ratio").getAsDouble() : 4.0,
                o.has("norm_eps") ? o.get("norm_eps").getAsDouble() : 1e-6,
                o.has("shared_aln") && o.get("shared_aln").getAsBoolean(),
                !o.has("attn_l2_norm") || o.get("attn_l2_norm").getAsBoolean(),
                o.has("cond_drop_rate") ? o.get("cond_drop_rate").getAsDouble() : 0.1);
    }

    private static JsonElement req(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) throw new IllegalArgumentException("model config: missing key \"" + key + "\"");
        return e;
    }

    private static List<Integer> ints(JsonArray a) {
        List<Integer> r = new ArrayList<>();
        for (JsonElement e : a) r.add(e.getAsInt());
        return r;
    }
}
