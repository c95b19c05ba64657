package org.nextscale.core.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nextscale.core.model.ModelFile;
import org.nextscale.core.model.ModelSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** nextscale convert: a model file (or a training checkpoint's weights) re-saved as a model file with another storage. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Write a model file from a model file or a training checkpoint (its weights at that step, without the "
                + "optimizer and trainer state), or from the mean of several checkpoints' weights, storing the weights as float32 or float16.",
                "Example: nextscale convert --model fm-d6.ckpt.zip --storage transformer-float16 --out fm-d6.zip"})
final class ConvertCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, split = ",", paramLabel = "IN.zip", description = "model file or training checkpoint "
            + "(NAME.ckpt.zip); several (comma-separated or the option repeated): the mean of their weights (checkpoint averaging; "
            + "one architecture)")
    List<Path> model;

    @Option(names = "--out", required = true, paramLabel = "OUT.zip", description = "model file to write (replaced atomically; never a checkpoint)")
    Path out;

    @Option(names = "--storage", defaultValue = "float32", paramLabel = "KIND", description = "float32, transformer-float16 (the transformer's "
            + "weights float16, the tokenizer's float32: about half the file, tokens unchanged) or float16 (every trainable weight) "
            + "(default: ${DEFAULT-VALUE})")
    String storage;

    @Option(names = "--ema", description = "take each checkpoint's moving average of the weights (a run trained with --ema) instead of its weights")
    boolean ema;

    @Override
    public Integer call() throws IOException {
        ModelFile.Storage kind = switch (storage.trim().toLowerCase(Locale.ROOT)) {
            case "float32" -> ModelFile.Storage.FLOAT32;
            case "transformer-float16" -> ModelFile.Storage.TRANSFORMER_FLOAT16;
            case "float16" -> ModelFile.Storage.FLOAT16;
            default -> throw new IllegalArgumentException("--storage must be float32, transformer-float16 or float16, got '" + storage + "'");
        };
        ModelFile.Loaded m = ModelFile.convert(model, out, kind, ema);
        PrintWriter o = spec.commandLine().getOut();
        o.printf("wrote %s (%s, %s%s)%n", out, ModelSummaryHelper.size(out), storage.trim().toLowerCase(Locale.ROOT),
                (ema ? ", the moving average" : "") + (model.size() > 1 ? ", the mean of " + model.size() + " models' weights" : ""));
        o.print(ModelSummary.describe(m.config(), null));
        o.flush();
        return 0;
    }
}
