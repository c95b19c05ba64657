package org.nextscale.core.cli;

import java.nio.file.Path;
import org.nextscale.core.data.FashionMnist;

/** The {@code --data} option of commands that read Fashion-MNIST. */
final class DataOption {
    private DataOption() {}

    /** "fashion-mnist" means the installed data set ({@link FashionMnist#defaultDir()}); anything else is a folder holding its IDX files. */
    static Path dir(String data) {
        return data == null || data.equalsIgnoreCase("fashion-mnist") ? FashionMnist.defaultDir() : Path.of(data);
    }
}
