package org.nextscale.core.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.nextscale.core.model.ModelFile;
import org.nextscale.core.model.ModelSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** nextscale info: what a model file holds (validated: every weight is read and checked). */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Describe a model file: image size, channels, tokenizer and transformer sizes, parameter counts, scales, classes. "
                + "Without a model file (or with --engine): the engine, its libtorch and flavor, the GPUs and what --device auto picks.")
public final class InfoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL.zip", description = "model file")
    Path model;

    @Option(names = "--engine", description = "also print the engine, libtorch, flavor and GPUs (the default without a model file)")
    boolean engine;

    @Option(names = "--classes", description = "list every class: number and name (what --class, class= and %%var generate class= accept)")
    boolean classes;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        if (model == null || engine) o.print(org.nextscale.core.api.Devices.report());
        if (model == null) {
            o.flush();
            return 0;
        }
        ModelFile.Loaded m = ModelFile.load(model);
        o.printf("%s (%s, format %d)%n", model, ModelSummaryHelper.size(model), m.config().formatVersion());
        o.print(ModelSummary.describe(m.config(), m.weights()));
        if (!m.extras().isEmpty()) o.printf("extra files: %s%n", String.join(", ", m.extras().keySet()));
        if (classes) {
            List<String> names = m.config().classNames();
            for (int i = 0; i < names.size(); i++) o.printf("%4d  %s%n", i, names.get(i));
        }
        o.flush();
        return 0;
    }
}
