package org.nextscale.imagej;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nextscale.core.config.ConfigJson;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.io.SafeTensors;
import org.nextscale.core.model.ModelFile;

/**
 * Small model files for the tests: the parity model tiny-a (RGB 32x32, 10 classes, 6 scales 1..8,
 * random weights) written as a nextscale model file. Random weights make meaningless pictures but
 * exercise every shape, type, progress and cancellation path.
 */
final class TestModels {
    private TestModels() {}

    static Path repo() {
        String p = System.getProperty("nextscale.repo");
        return (p != null ? Path.of(p) : Path.of("").toAbsolutePath().getParent()).toAbsolutePath().normalize();
    }

    /** parity/NAME in the repository (the reference's vector sets); fails loudly when absent. */
    static Path parity(String name) {
        Path p = repo().resolve("parity").resolve(name);
        if (!Files.isDirectory(p))
            throw new IllegalStateException("parity vectors not found at " + p + ": the repository's parity/ folder is incomplete");
        return p;
    }

    /** target/test-models/tiny-a.zip, written once per build. */
    static synchronized Path tinyA() throws IOException {
        Path out = Path.of("target/test-models/tiny-a.zip").toAbsolutePath();
        if (Files.isRegularFile(out)) return out;
        Files.createDirectories(out.getParent());
        Path src = parity("tiny-a");
        ModelConfig config = ConfigJson.parse(Files.readString(src.resolve("config.json")));
        ModelFile.save(out, config, SafeTensors.read(src.resolve("weights.safetensors")), false);
        return out;
    }
}
