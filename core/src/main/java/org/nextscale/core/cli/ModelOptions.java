package org.nextscale.core.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.nextscale.core.api.Devices;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.ShippedModel;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.api.WeightPrecision;
import picocli.CommandLine.Option;

/** Options every model-using subcommand shares: the model file, the device and the weights' precision. */
final class ModelOptions {
    @Option(names = "--model", paramLabel = "MODEL.zip", description = "model file (default: the shipped Fashion-MNIST model)")
    Path model;

    @Option(names = "--device", defaultValue = Devices.DEFAULT, description = "auto (the first GPU when PyTorch has CUDA, else the CPU), cpu, gpu or gpu:N (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--weights", paramLabel = "PRECISION", description = "float32 (default) or float16: hold the transformer's weight "
            + "matrices in memory as float16 (half their memory; arithmetic stays float32, samples differ slightly). "
            + "Also set by NEXTSCALE_WEIGHTS")
    String weights;

    VarModel load() throws IOException {
        return load(model);
    }

    /** {@code file} (null: the shipped model), with the weights' precision --weights asks for. */
    VarModel load(Path file) throws IOException {
        WeightPrecision precision = weights == null ? WeightPrecision.configured() : WeightPrecision.parse(weights, "--weights");
        return VarModel.load(file == null ? ShippedModel.path() : file, Devices.parse(device), ProgressListener.NONE, precision);
    }
}
