package org.nextscale.core.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import org.nextscale.core.api.Image;
import org.nextscale.core.io.AtomicWrite;

/**
 * Reading and writing image files (PNG, JPEG, TIFF including 16-bit gray; BMP, GIF) with clear errors.
 * Gray stays gray, colour becomes RGB; values map to [0, 1] by the file's bit depth.
 */
public final class ImageFiles {
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "tif", "tiff", "bmp", "gif");

    private ImageFiles() {}

    public static boolean isImage(Path p) {
        return Files.isRegularFile(p) && EXTENSIONS.contains(extension(p));
    }

    public static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    public static Image read(Path p) throws IOException {
        if (!Files.isRegularFile(p)) throw new IOException(p + ": no such image file");
        BufferedImage img;
        try {
            img = ImageIO.read(p.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IOException(p + ": cannot be read as an image (" + e.getMessage() + ")");
        }
        if (img == null) throw new IOException(p + ": not a readable image (supported: PNG, JPEG, TIFF, BMP, GIF)");
        return Image.fromBufferedImage(img);
    }

    /** Writes PNG or TIFF (by extension; anything else is written as PNG), via a temporary file. */
    public static void write(Image image, Path p) throws IOException {
        String ext = extension(p);
        String format = ext.equals("tif") || ext.equals("tiff") ? "tiff" : ext.equals("jpg") || ext.equals("jpeg") ? "jpeg" : "png";
        AtomicWrite.write(p, out -> {
            if (!ImageIO.write(image.toBufferedImage(), format, out)) throw new IOException("no image writer for " + format);
        });
    }
}
