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
import org.nextscale.core.api.ValueRange;
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
        BufferedImage img = decode(p);
        return isFloat(img) ? fromFloat(img, p) : Image.fromBufferedImage(img);
    }

    /** An image file's pixels in the model's units, the range they were mapped by, and the file's bit depth (8, 16 or 32). */
    public record Loaded(Image unit, ValueRange range, int bits) {
        /** {@code result} (the model's units, the same size as {@link #unit}) back in this file's values. */
        public Image raw(Image result) {
            return range.fromUnit(result);
        }
    }

    /**
     * Reads one image and maps its values to the model's units by {@code rangeSpec} ({@link ValueRange#resolve}: "auto",
     * "full" or "LOW,HIGH"): 8-bit files by 0..255, 16-bit and 32-bit ones by default by the data's robust range, so a
     * 12-bit image in a 16-bit file uses its own range. {@link #write(Loaded, Image, Path)} maps results back.
     */
    public static Loaded read(Path p, String rangeSpec) throws IOException {
        return loaded(decode(p), p.toString(), rangeSpec);
    }

    /** {@link #read(Path, String)} of an image file's bytes ({@code name} is what error messages call it). */
    public static Loaded read(byte[] bytes, String name, String rangeSpec) throws IOException {
        BufferedImage img;
        try {
            img = ImageIO.read(new java.io.ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new IOException(name + ": cannot be read as an image (" + e.getMessage() + ")");
        }
        if (img == null) throw new IOException(name + ": not a readable image (supported: PNG, JPEG, TIFF, BMP, GIF)");
        if ((long) img.getWidth() * img.getHeight() > MAX_PIXELS) throw new IllegalArgumentException(name + ": the image is too large");
        return loaded(img, name, rangeSpec);
    }

    /** A decoded picture (one page of a file) in the model's units by the value range option, as {@link #read(Path, String)} maps a file. */
    static Image toUnit(BufferedImage img, String name, String rangeSpec) {
        return loaded(img, name, rangeSpec).unit();
    }

    private static Loaded loaded(BufferedImage img, String name, String rangeSpec) {
        int bits = bits(img);
        Image raw = raw(img, name);
        ValueRange range = ValueRange.resolve(rangeSpec, raw.data(), bits);
        return new Loaded(range.toUnit(raw), range, bits);
    }

    /** The bytes of {@code result} as a "png" or "tiff" file in {@code like}'s values and bit depth (see {@link #write(Loaded, Image, Path)}). */
    public static byte[] encode(Loaded like, Image result, String format) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        BufferedImage out = asWritten(like, result, format.equals("tiff"), format.equals("png"));
        if (!ImageIO.write(out, format, b)) throw new IOException("no image writer for " + format);
        return b.toByteArray();
    }

    /** The picture a result is written as: 16-bit gray, 32-bit float gray (TIFF only), else 8-bit. */
    private static BufferedImage asWritten(Loaded like, Image result, boolean tiff, boolean png) {
        if (like.bits() == 8 || result.channels() != 1 || !(tiff || png)) return result.toBufferedImage();
        Image raw = like.raw(result);
        return like.bits() == 32 && tiff ? floatGray(raw) : ushortGray(like.bits() == 16 ? raw : ValueRange.SHORT.fromUnit(result));
    }

    /**
     * Writes {@code result} (the model's units) in the values and bit depth of the file it came from: 16-bit gray as
     * 16-bit PNG or TIFF, 32-bit as a float TIFF (as 16-bit PNG when the name asks for PNG), else 8-bit.
     */
    public static void write(Loaded like, Image result, Path p) throws IOException {
        String ext = extension(p);
        boolean tiff = ext.equals("tif") || ext.equals("tiff"), png = !tiff && !ext.equals("jpg") && !ext.equals("jpeg");
        if (!(tiff || png)) {
            write(result, p);
            return;
        }
        BufferedImage out = asWritten(like, result, tiff, png);
        AtomicWrite.write(p, o -> {
            if (!ImageIO.write(out, tiff ? "tiff" : "png", o)) throw new IOException("no image writer for " + (tiff ? "tiff" : "png"));
        });
    }

    private static int bits(BufferedImage img) {
        if (isFloat(img)) return 32;
        boolean gray = img.getRaster().getNumBands() <= 2 && img.getColorModel().getColorSpace().getNumComponents() == 1;
        return gray && img.getColorModel().getComponentSize(0) > 8 ? 16 : 8;
    }

    /** The stored values: 16-bit samples as they are, float samples as they are (finite only), the rest as 0..255. */
    private static Image raw(BufferedImage img, String name) {
        int b = bits(img);
        if (b == 8) return ValueRange.BYTE.fromUnit(Image.fromBufferedImage(img));
        if (b == 32) return floats(img, name);
        Raster r = img.getRaster();
        int w = img.getWidth(), h = img.getHeight();
        float max = (float) ((1L << img.getColorModel().getComponentSize(0)) - 1), scale = 65535f / max;
        float[] d = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) d[y * w + x] = max == 65535f ? r.getSample(x, y, 0) : Math.round(r.getSample(x, y, 0) * scale);
        return new Image(1, h, w, d);
    }

    private static BufferedImage ushortGray(Image raw) {
        int w = raw.width(), h = raw.height();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        short[] px = ((java.awt.image.DataBufferUShort) out.getRaster().getDataBuffer()).getData();
        float[] d = raw.data();
        for (int i = 0; i < px.length; i++) px[i] = (short) Math.round(Math.max(0f, Math.min(65535f, d[i])));
        return out;
    }

    private static BufferedImage floatGray(Image raw) {
        int w = raw.width(), h = raw.height();
        java.awt.color.ColorSpace gray = java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY);
        java.awt.image.ComponentColorModel cm = new java.awt.image.ComponentColorModel(gray, false, false, java.awt.Transparency.OPAQUE,
                DataBuffer.TYPE_FLOAT);
        java.awt.image.WritableRaster r = cm.createCompatibleWritableRaster(w, h);
        r.setSamples(0, 0, w, h, 0, raw.data());
        return new BufferedImage(cm, r, false, null);
    }

    private static BufferedImage decode(Path p) throws IOException {
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
                return img;
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
        Image raw = floats(img, p.toString());
        ValueRange r = ValueRange.minMax(raw.data());
        return r.low() >= 0 && r.high() <= 1 ? raw : r.toUnit(raw);
    }

    /** A float image's values as stored: gray (1 band) or RGB (first 3 bands); NaN or infinity refused. */
    private static Image floats(BufferedImage img, String name) {
        Raster r = img.getRaster();
        int w = img.getWidth(), h = img.getHeight(), c = r.getNumBands() >= 3 ? 3 : 1;
        float[] d = new float[c * w * h];
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    float v = r.getSampleFloat(x, y, ch);
                    if (!Float.isFinite(v))
                        throw new IllegalArgumentException(name + ": has NaN or infinite pixel values (the first at x=" + x + ", y=" + y
                                + "): replace them with numbers first");
                    d[(ch * h + y) * w + x] = v;
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
