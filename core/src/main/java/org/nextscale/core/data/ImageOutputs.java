package org.nextscale.core.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a command's images go, the same rule for every command that writes images: an output that
 * names an image file (a known image extension) is that file, and is only allowed when exactly one image
 * is written; any other output is a folder (created when missing) holding numbered files. An existing
 * file that is not an image (a model, a text file) is never replaced by a folder or an image.
 */
public final class ImageOutputs {
    private ImageOutputs() {}

    /** True when {@code out} ends with a known image extension (sample.png, a.tif). */
    public static boolean namesImage(Path out) {
        return ImageFiles.EXTENSIONS.contains(ImageFiles.extension(out));
    }

    /**
     * The files for {@code count} images: {@code out} itself when it names an image file and count is 1;
     * else {@code out/<stem>-000.<format>}, ... ({@code what} describes the images in messages, e.g. "images").
     */
    public static List<Path> files(Path out, int count, String stem, String format, String what) {
        if (namesImage(out)) {
            if (count == 1) return List.of(checkImageTarget(out));
            throw new IllegalArgumentException("the output " + out.getFileName() + " names one image file, but " + count + " " + what
                    + " are written: give a folder name instead (e.g. " + withoutExtension(out).getFileName() + "), or ask for 1 image");
        }
        Path dir = folder(out);
        List<Path> files = new ArrayList<>(count);
        for (int i = 0; i < count; i++) files.add(dir.resolve(String.format("%s-%03d.%s", stem, i, format)));
        return files;
    }

    /** {@code out} checked to be a folder for a command that writes several files ({@code what}: "tokenize writes ..."). */
    public static Path folderOnly(Path out, String what) {
        if (namesImage(out))
            throw new IllegalArgumentException("the output " + out.getFileName() + " names one image file, but " + what
                    + ": give a folder name instead (e.g. " + withoutExtension(out).getFileName() + ")");
        return folder(out);
    }

    /** {@code out} checked to be usable as a folder: not an existing file. */
    public static Path folder(Path out) {
        if (Files.exists(out) && !Files.isDirectory(out))
            throw new IllegalArgumentException("the output " + out + " is an existing file, not a folder: give a new or existing folder"
                    + " (nothing was overwritten)");
        return out;
    }

    /**
     * The file for one image: {@code out} when it names an image file; an existing folder or a name without
     * extension is a folder, holding {@code <name>.png}; any other extension is refused.
     */
    public static Path single(Path out, String name) {
        if (namesImage(out)) return checkImageTarget(out);
        if (Files.isDirectory(out) || ImageFiles.extension(out).isEmpty()) return folder(out).resolve(name + ".png");
        throw new IllegalArgumentException("the output " + out.getFileName() + " is not an image file name: end it with .png or .tif"
                + " (or give a folder)");
    }

    private static Path checkImageTarget(Path out) {
        if (Files.isDirectory(out))
            throw new IllegalArgumentException("the output " + out + " is an existing folder: give an image file name such as "
                    + out.resolve("result.png"));
        return out;
    }

    private static Path withoutExtension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return p.resolveSibling(dot > 0 ? n.substring(0, dot) : n);
    }
}
