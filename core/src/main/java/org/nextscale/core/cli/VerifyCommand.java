package org.nextscale.core.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nextscale.core.api.Devices;
import org.nextscale.core.model.ParityCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** nextscale verify: recompute a parity folder of reference outputs and compare tensor by tensor. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check nextscale against reference outputs: recompute every tensor of DIR/cases.safetensors.",
                "DIR holds config.json, weights.safetensors and cases.safetensors (see parity/README.md). Tokens must be "
                + "equal, floats within 1e-4 * max(1, max|reference|). Prints one line per tensor and 'N passed, M failed'; "
                + "exits 1 if any failed."})
public final class VerifyCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "parity folder")
    Path dir;

    @Option(names = "--model", paramLabel = "MODEL.zip", description = "use this model file's weights instead of DIR/weights.safetensors")
    Path model;

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = Devices.DEFAULT, description = "auto (the first GPU when PyTorch has CUDA, else the CPU), cpu, gpu or gpu:N (default: ${DEFAULT-VALUE})")
    String device;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        ParityCheck.Result r = ParityCheck.run(dir, model, Devices.parse(device), line -> {
            out.println(line.format());
            out.flush();
        });
        out.println(r.summary());
        out.flush();
        return r.ok() ? 0 : 1;
    }
}
