package org.nextscale.core.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nextscale.core.data.Micrographs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code nextscale example-data DIR}: images to try training on your own data with (docs/training.md, "Your own images"). */
@Command(name = "example-data", mixinStandardHelpOptions = true,
        description = {"Writes example data as a microscopist has it, made from Fashion-MNIST test images on a dark background:",
                "DIR/train/ (three 16-bit TIFFs of different sizes, 260-420 px, and a 3-page TIFF stack) and DIR/held-out.tif,",
                "one more image of the same kind to try an edit on. Needs the Debian package dataset-fashion-mnist."})
public final class ExampleDataCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "a new (or empty) folder")
    Path dir;

    @Option(names = "--seed", description = "where the garments go [${DEFAULT-VALUE}]", defaultValue = "7")
    long seed;

    @Override
    public Integer call() throws Exception {
        Path train = Micrographs.write(dir.resolve("train"), seed);
        Path held = Micrographs.writeHeldOut(dir.resolve("held-out.tif"), 480, 360, seed + 1);
        spec.commandLine().getOut().println("wrote " + train + " (" + String.join(", ", Micrographs.files()) + ") and " + held);
        return 0;
    }
}
