package org.nextscale.core.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.io.HostTensor;

/**
 * Turns the reference's PyTorch checkpoints (vae_ch160v4096z32.pth, var_d16.pth, ... or the vae.pth /
 * var.pth of a parity folder) into the weights of a model file: reads each state dict, checks it against
 * {@link WeightSpec}, converts floats to float32, and adds the "vae." / "var." prefixes.
 *
 * <p>Like the reference's VQVAE.load_state_dict, a codebook hit-count buffer (quantize.ema_vocab_hit_SV)
 * saved for another number of scales is replaced by zeros; buffers missing from a checkpoint (they are
 * recomputable) are filled from {@link WeightSpec#buffers}. Anything else that does not fit is an error
 * naming the first few missing, unexpected and mis-shaped keys.
 */
public final class CheckpointImport {
    private CheckpointImport() {}

    /** Keys under which training checkpoints nest the state dicts (VAR trainer, common wrappers). */
    static final List<String> VAE_KEYS = List.of("vae_local", "vae", "vqvae", "model", "state_dict");
    static final List<String> VAR_KEYS = List.of("var_wo_ddp", "var", "model", "state_dict", "ema");

    /**
     * All weights of a model from its checkpoints. {@code varPth} may be null only when the config has no
     * transformer (a tokenizer-only model).
     */
    public static Map<String, HostTensor> weights(ModelConfig config, Path vaePth, Path varPth) throws IOException {
        if (config.var() != null && varPth == null)
            throw new IllegalArgumentException("the config has a transformer (\"var\" section): give its checkpoint with --var");
        if (config.var() == null && varPth != null)
            throw new IllegalArgumentException("the config has no transformer (\"var\" section) but a --var checkpoint was given");
        Map<String, HostTensor> all = new LinkedHashMap<>();
        all.putAll(part(config, vaePth, "vae.", VAE_KEYS));
        if (varPth != null) all.putAll(part(config, varPth, "var.", VAR_KEYS));
        return all;
    }

    private static Map<String, HostTensor> part(ModelConfig config, Path pth, String prefix, List<String> keys) throws IOException {
        Map<String, HostTensor> sd = new LinkedHashMap<>(PthReader.readStateDict(pth, keys));
        List<WeightSpec.Entry> spec = WeightSpec.withoutPrefix(
                WeightSpec.of(config).stream().filter(e -> e.name().startsWith(prefix)).toList(), prefix);
        Map<String, HostTensor> buffers = new LinkedHashMap<>();
        WeightSpec.buffers(config).forEach((k, v) -> { if (k.startsWith(prefix)) buffers.put(k.substring(prefix.length()), v); });

        HostTensor hits = sd.get("quantize.ema_vocab_hit_SV");
        if (prefix.equals("vae.") && hits != null && buffers.containsKey("quantize.ema_vocab_hit_SV")
                && hits.shape().length == 2 && hits.shape()[0] != buffers.get("quantize.ema_vocab_hit_SV").shape()[0])
            sd.put("quantize.ema_vocab_hit_SV", buffers.get("quantize.ema_vocab_hit_SV"));
        for (WeightSpec.Entry e : spec)
            if (!e.trainable() && !sd.containsKey(e.name())) sd.put(e.name(), buffers.get(e.name()));

        WeightSpec.Fit fit = WeightSpec.fit(spec, sd);
        if (!fit.ok())
            throw new IllegalArgumentException(pth.getFileName() + " does not fit the config (" + fit.count() + " problems): " + fit.describe(3));
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (WeightSpec.Entry e : spec) {
            HostTensor t = sd.get(e.name());
            if (e.dtype().equals("F32") && !t.dtype().equals("F32")) t = HostTensor.ofFloats(t.toFloats(), t.shape());
            else if (e.dtype().equals("I64") && !t.dtype().equals("I64")) t = HostTensor.ofLongs(t.toLongs(), t.shape());
            out.put(prefix + e.name(), t);
        }
        return out;
    }
}
