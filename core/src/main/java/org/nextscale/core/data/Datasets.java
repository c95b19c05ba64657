package org.nextscale.core.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Resolves the {@code --data} option: {@code fashion-mnist} (the Debian package's folder, or
 * {@code fashion-mnist:/other/folder}), {@code synthetic} / {@code synthetic:N} (shapes drawn in code), or a
 * folder of images. The result is fitted to the model's size and channels.
 */
public final class Datasets {
    private Datasets() {}

    public static LabeledImages open(String spec, int limit, int size, int channels, long seed) throws IOException {
        if (spec == null || spec.isBlank()) throw new IllegalArgumentException("data is required: a folder of images, 'fashion-mnist' or 'synthetic'");
        String s = spec.trim();
        LabeledImages set;
        if (s.equalsIgnoreCase("fashion-mnist") || s.toLowerCase().startsWith("fashion-mnist:")) {
            Path dir = s.indexOf(':') > 0 ? Path.of(s.substring(s.indexOf(':') + 1)) : FashionMnist.defaultDir();
            set = FashionMnist.load(dir, true, limit);
        } else if (s.equalsIgnoreCase("synthetic") || s.toLowerCase().startsWith("synthetic:")) {
            int n = 256;
            if (s.indexOf(':') > 0) {
                try {
                    n = Integer.parseInt(s.substring(s.indexOf(':') + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("data synthetic:N needs a number of images, got '" + s + "'");
                }
            }
            if (limit > 0) n = Math.min(n, limit);
            return SyntheticImages.generate(n, size, channels, seed);
        } else {
            set = ImageFolder.load(Path.of(s), limit);
        }
        return ImageFit.fit(set, size, channels);
    }

    /** 3 when any image a folder or file list names is in colour, else 1 (from the files' headers). */
    public static int folderChannels(String spec) throws IOException {
        SourceImages.FileList files = SourceImages.list(spec.trim());
        return SourceImages.headers(files.files()).stream().anyMatch(SourceImages.Header::colour) ? 3 : 1;
    }

    /** Number of channels the data set naturally has (to pick a tokenizer's in_channels). */
    public static int naturalChannels(String spec) {
        String s = spec.trim().toLowerCase();
        if (s.startsWith("fashion-mnist") || s.startsWith("synthetic")) return 1;
        return -1;
    }
}
