package org.nextscale.core.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the model shipped with nextscale, models/fashion-mnist.zip: the system property
 * {@code nextscale.model}, the environment variable {@code NEXTSCALE_MODEL}, then
 * {@code <nextscale.home>/models/} (the launcher sets nextscale.home), then models/ under the working
 * folder and its parents.
 */
public final class ShippedModel {
    public static final String FILE = "models/fashion-mnist.zip";

    private ShippedModel() {}

    public static Path path() throws IOException {
        String explicit = System.getProperty("nextscale.model", System.getenv("NEXTSCALE_MODEL"));
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            if (!Files.isRegularFile(p)) throw new IOException("the model given by nextscale.model / NEXTSCALE_MODEL does not exist: " + p);
            return p;
        }
        String home = System.getProperty("nextscale.home", System.getenv("NEXTSCALE_HOME"));
        if (home != null && Files.isRegularFile(Path.of(home).resolve(FILE))) return Path.of(home).resolve(FILE);
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent())
            if (Files.isRegularFile(d.resolve(FILE))) return d.resolve(FILE);
        throw new IOException("the shipped model " + FILE + " was not found: give a model file explicitly, or set NEXTSCALE_HOME"
                + " to the nextscale folder (or -Dnextscale.model=PATH)");
    }
}
