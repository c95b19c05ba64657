package org.nextscale.core.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nextscale.core.config.ConfigJson;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.model.CheckpointImport;
import org.nextscale.core.model.ModelFile;
import org.nextscale.core.model.ModelSummary;
import org.nextscale.core.model.Presets;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** nextscale import: PyTorch checkpoints of the reference VAR -> one nextscale model file. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Convert torch.save checkpoints (official VAR or your own) into a nextscale model file.",
                "The model file is a .zip with model.json and weights.safetensors. Checkpoints: the official "
                + "vae_ch160v4096z32.pth + var_d16.pth ... or any state dicts of the reference code. Without --var the model is tokenizer-only.",
                "Example: nextscale import --vae vae_ch160v4096z32.pth --var var_d16.pth --preset d16 --out var-d16.zip --fp16"})
public final class ImportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--vae", required = true, paramLabel = "VAE.pth", description = "tokenizer checkpoint (VQ-VAE state dict)")
    Path vae;

    @Option(names = "--var", paramLabel = "VAR.pth", description = "transformer checkpoint (VAR state dict); omit for a tokenizer-only model")
    Path var;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--config", paramLabel = "CONFIG.json", description = "hyperparameters as JSON (the parity folders' config.json format)")
        Path config;

        @Option(names = "--preset", paramLabel = "NAME", description = "official model: d16, d20, d24, d30 (256 px) or d36 (512 px)")
        String preset;
    }

    @Option(names = "--out", required = true, paramLabel = "MODEL.zip", description = "model file to write (replaced atomically)")
    Path out;

    @Option(names = "--fp16", description = "store trainable weights as float16 (half the size; loading converts back to float32)")
    boolean fp16;

    @Override
    public Integer call() throws IOException {
        ModelConfig config = source.preset != null ? Presets.get(source.preset) : readConfig(source.config);
        if (var == null && config.var() != null) config = config.withVar(null, List.of(), config.order());
        Map<String, HostTensor> weights = CheckpointImport.weights(config, vae, var);
        ModelFile.save(out, config, weights, fp16);
        PrintWriter o = spec.commandLine().getOut();
        o.printf("wrote %s (%s)%n", out, ModelSummaryHelper.size(out));
        o.print(ModelSummary.describe(config, null));
        o.flush();
        return 0;
    }

    static ModelConfig readConfig(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString());
        try {
            return ConfigJson.parse(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file.getFileName() + ": " + e.getMessage());
        }
    }
}
