package org.nextscale.core.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Small formatting shared by the model commands. */
final class ModelSummaryHelper {
    private ModelSummaryHelper() {}

    static String size(Path file) throws IOException {
        return String.format(Locale.ROOT, "%.1f MB", Files.size(file) / 1e6);
    }
}
