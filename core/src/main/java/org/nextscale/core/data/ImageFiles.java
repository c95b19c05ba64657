package org.nextscale.core.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Iterator;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
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

    /** Largest side and pixel count read: a forged or enormous header is refused before any pixel memory is taken. */
    public static final int MAX_SIDE = 16384;
    public static final long MAX_PIXELS = 64L << 20;

    /**
     * Reads one image. The header's size is checked before the pixels are decoded; a file holding several
     * images (multi-page TIFF, animated GIF) is refused rather than silently reduced to its first page;
     * float images must hold finite values and are used as they are when within [0, 1], else stretched from
     * their minimum to their maximum.
     */
    public static Image read(Path p) throws IOException {
        if (!Files.isRegularFile(p)) throw new IOException(p + ": no such image file");
        if (Files.size(p) == 0) throw new IOException(p + ": empty file (0 bytes), not an image");
        try (ImageInputStream in = ImageIO.createImageInputStream(p.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext())
                throw new IOException(p + ": not a readable image (supported: PNG, JPEG, TIFF, BMP, GIF)");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, false, true);
                BufferedImage img;
                try {
                    int w = reader.getWidth(0), h = reader.getHeight(0);
                    if (w > MAX_SIDE || h > MAX_SIDE || (long) w * h > MAX_PIXELS)
                        throw new IllegalArgumentException(p + ": the image is " + w + "x" + h + " px, too large (at most " + MAX_SIDE
                                + " px a side and " + (MAX_PIXELS >> 20) + " megapixels): shrink it first");
                    int pages = reader.getNumImages(true);
                    if (pages > 1)
                        throw new IllegalArgumentException(p + ": holds " + pages + " images (a stack or animation): give a single image"
                                + " (save one page as its own file)");
                    img = reader.read(0);
                } catch (IOException | RuntimeException e) {
                    if (e instanceof IllegalArgumentException a && a.getMessage() != null && a.getMessage().startsWith(p.toString())) throw a;
                    throw new IOException(p + ": cannot be read as an image: the file is damaged or truncated" + detail(e));
                }
                return isFloat(img) ? fromFloat(img, p) : Image.fromBufferedImage(img);
            } finally {
                reader.dispose();
            }
        }
    }

    private static String detail(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() || m.contains("\n") ? "" : " (" + m + ")";
    }

    private static boolean isFloat(BufferedImage img) {
        int t = img.getRaster().getDataBuffer().getDataType();
        return t == DataBuffer.TYPE_FLOAT || t == DataBuffer.TYPE_DOUBLE;
    }

    /** A float image: gray (1 band) or RGB (first 3 bands); NaN or infinity refused; [0, 1] kept, else min..max stretched. */
    private static Image fromFloat(BufferedImage img, Path p) {
        Raster r = img.getRaster();
        int w = img.getWidth(), h = img.getHeight(), c = r.getNumBands() >= 3 ? 3 : 1;
        float[] d = new float[c * w * h];
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    float v = r.getSampleFloat(x, y, ch);
                    if (!Float.isFinite(v))
                        throw new IllegalArgumentException(p + ": has NaN or infinite pixel values (the first at x=" + x + ", y=" + y
                                + "): replace them with numbers first");
                    d[(ch * h + y) * w + x] = v;
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
        if (min < 0 || max > 1) {
            float range = max - min;
            for (int i = 0; i < d.length; i++) d[i] = range > 0 ? (d[i] - min) / range : 0f;
        }
        return new Image(c, h, w, d);
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
