package org.nextscale.core;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where test data lives: the repository root and ../shared/parity beside it. */
public final class TestPaths {
    private TestPaths() {}

    public static Path repo() {
        String p = System.getProperty("nextscale.repo");
        Path r = p != null ? Path.of(p) : Path.of("").toAbsolutePath().getParent();
        return r.toAbsolutePath().normalize();
    }

    /** ../shared/parity/NAME next to the repository; fails loudly when absent (never skips). */
    public static Path parity(String name) {
        Path p = repo().getParent().resolve("shared/parity").resolve(name);
        if (!Files.isDirectory(p)) throw new IllegalStateException("parity vectors not found at " + p
                + ": the shared/ folder must sit beside the repository");
        return p;
    }
}
