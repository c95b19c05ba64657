package org.nextscale.core.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.ImageAdapter;
import org.nextscale.core.api.PixelScale;

/**
 * Training images as scientists have them: files of any size, 8, 16 or 32 bit, gray or colour, single images or
 * multi-page TIFF stacks (each page one image), one sub-folder per class or one class. Each page goes through the
 * rule inference applies to an image ({@link ImageFiles#read(Path, String)}): its values mapped to the model's units
 * by the value range option (auto: 8-bit 0..255, 16 and 32 bit the page's own 0.1-99.9 percentiles, as CSBDeep
 * normalises by percentiles rather than by the type's range), its channels made the model's, and it is resized to the
 * pixel scale's working size. Pages are kept once, as 16-bit fixed point in [0, 1] (2 bytes a pixel): patches are
 * cut from them as training needs them, never stored.
 */
public final class SourceImages {
    /** A page at working size: (channels, height, width) values in [0, 1] as fixed point (v / 65535). */
    public record Page(String name, int label, int channels, int height, int width, char[] values) {
        public float get(int c, int y, int x) {
            return values[(c * height + y) * width + x] / 65535f;
        }

        public long pixels() {
            return (long) height * width;
        }
    }

    /** At most this many pixels over all pages (2 bytes each): 1 GB of working images. */
    public static final long MAX_TOTAL_PIXELS = 512L << 20;

    private final List<Page> pages;
    private final List<String> classNames;

    private SourceImages(List<Page> pages, List<String> classNames) {
        this.pages = List.copyOf(pages);
        this.classNames = List.copyOf(classNames);
    }

    public List<Page> pages() {
        return pages;
    }

    public List<String> classNames() {
        return classNames;
    }

    /** The files a data option names: a folder (one sub-folder per class, or images), one file, or files separated by commas. */
    public record FileList(List<Path> files, List<Integer> labels, List<String> classNames) {}

    public static FileList list(String spec) throws IOException {
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> names = new ArrayList<>();
        String[] parts = spec.split(",");
        if (parts.length == 1 && Files.isDirectory(Path.of(spec.trim()))) {
            Path dir = Path.of(spec.trim());
            List<Path> entries = children(dir);
            List<Path> classDirs = entries.stream().filter(Files::isDirectory).toList();
            List<Path> top = entries.stream().filter(ImageFiles::isImage).toList();
            if (classDirs.isEmpty()) {
                Path n = dir.toAbsolutePath().normalize().getFileName();
                names.add(n == null ? "images" : n.toString());
                for (Path p : top) { files.add(p); labels.add(0); }
            } else {
                if (!top.isEmpty())
                    throw new IOException(dir + " holds both images (" + top.get(0).getFileName() + ") and class sub-folders: move the images into a sub-folder");
                for (Path c : classDirs) {
                    List<Path> imgs = children(c).stream().filter(ImageFiles::isImage).toList();
                    if (imgs.isEmpty()) continue;
                    int label = names.size();
                    names.add(c.getFileName().toString());
                    for (Path p : imgs) { files.add(p); labels.add(label); }
                }
            }
            if (files.isEmpty())
                throw new IOException("no images found in " + dir + " (looked for " + String.join(", ", ImageFiles.EXTENSIONS)
                        + " files, directly or in one sub-folder per class)");
        } else {
            if (parts.length == 1 && !Files.exists(Path.of(spec.trim())))
                throw new IOException("data folder " + spec.trim() + " does not exist (give a folder of images, one sub-folder per class; an image file; "
                        + "or 'fashion-mnist')");
            names.add("images");
            for (String s : parts) {
                Path p = Path.of(s.trim());
                if (!Files.exists(p)) throw new IOException("data: " + p + " does not exist");
                if (Files.isDirectory(p)) throw new IOException("data: " + p + " is a folder; give one folder alone, or a list of image files");
                if (!ImageFiles.isImage(p)) throw new IOException("data: " + p + " is not an image file (" + String.join(", ", ImageFiles.EXTENSIONS) + ")");
                files.add(p);
                labels.add(0);
            }
        }
        return new FileList(files, labels, names);
    }

    /** Each file's pages, size and whether it is in colour, read from the headers only. */
    public record Header(Path file, int pages, int width, int height, boolean colour) {}

    public static List<Header> headers(List<Path> files) throws IOException {
        List<Header> out = new ArrayList<>();
        for (Path p : files) {
            try (ImageInputStream in = ImageIO.createImageInputStream(p.toFile())) {
                ImageReader r = reader(in, p);
                try {
                    r.setInput(in, false, true);
                    javax.imageio.ImageTypeSpecifier type = r.getRawImageType(0);
                    if (type == null && r.getImageTypes(0).hasNext()) type = r.getImageTypes(0).next();
                    boolean colour = type != null && type.getColorModel().getNumColorComponents() >= 3;
                    out.add(new Header(p, r.getNumImages(true), r.getWidth(0), r.getHeight(0), colour));
                } catch (IOException | RuntimeException e) {
                    throw new IOException("cannot read image " + p + ": the file is damaged or truncated");
                } finally {
                    r.dispose();
                }
            }
        }
        return out;
    }

    /**
     * Reads every page of {@code files} (labels per file) at {@code scale}'s working size with {@code channels}
     * channels; {@code rangeSpec} is the value range option (auto, full or LOW,HIGH).
     */
    public static SourceImages read(FileList set, int channels, PixelScale scale, String rangeSpec, CancelToken cancel) throws IOException {
        List<Page> pages = new ArrayList<>();
        long total = 0;
        for (int f = 0; f < set.files().size(); f++) {
            Path p = set.files().get(f);
            try (ImageInputStream in = ImageIO.createImageInputStream(p.toFile())) {
                ImageReader r = reader(in, p);
                try {
                    r.setInput(in, false, true);
                    int n = r.getNumImages(true);
                    for (int i = 0; i < n; i++) {
                        if (cancel != null) cancel.check();
                        int w = r.getWidth(i), h = r.getHeight(i);
                        if (w > ImageFiles.MAX_SIDE || h > ImageFiles.MAX_SIDE || (long) w * h > ImageFiles.MAX_PIXELS)
                            throw new IllegalArgumentException(p + ": page " + (i + 1) + " is " + w + "x" + h + " px, too large (at most "
                                    + ImageFiles.MAX_SIDE + " px a side and " + (ImageFiles.MAX_PIXELS >> 20) + " megapixels): use a pixel scale or crop it");
                        BufferedImage img = r.read(i);
                        Image unit = ImageFiles.toUnit(img, p + (n > 1 ? " page " + (i + 1) : ""), rangeSpec);
                        unit = ImageAdapter.convertChannels(unit, channels);
                        int[] hw = scale.workingSize(unit.height(), unit.width());
                        unit = ImageAdapter.resize(unit, hw[0], hw[1]);
                        total += unit.data().length;
                        if (total > MAX_TOTAL_PIXELS)
                            throw new IllegalArgumentException("the training images hold more than " + (MAX_TOTAL_PIXELS >> 20)
                                    + " million pixels at scale " + scale + ": use a larger scale (e.g. 2), or fewer or smaller images");
                        String name = p.getFileName() + (n > 1 ? " [page " + (i + 1) + "]" : "");
                        pages.add(new Page(name, set.labels().get(f), unit.channels(), unit.height(), unit.width(), fixedPoint(unit.data())));
                    }
                } catch (IOException | RuntimeException e) {
                    if (e instanceof IllegalArgumentException || e instanceof org.nextscale.core.api.CancelledException) throw e;
                    throw new IOException("cannot read image " + p + ": the file is damaged or truncated" + detail(e));
                } finally {
                    r.dispose();
                }
            }
        }
        return new SourceImages(pages, set.classNames());
    }

    private static char[] fixedPoint(float[] unit) {
        char[] out = new char[unit.length];
        for (int i = 0; i < unit.length; i++) out[i] = (char) Math.round(Math.max(0f, Math.min(1f, unit[i])) * 65535f);
        return out;
    }

    private static ImageReader reader(ImageInputStream in, Path p) throws IOException {
        Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
        if (readers == null || !readers.hasNext())
            throw new IOException("cannot read image " + p + ": not a PNG, JPEG, TIFF, BMP or GIF file this Java can decode");
        return readers.next();
    }

    private static String detail(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() || m.contains("\n") ? "" : " (" + m + ")";
    }

    private static List<Path> children(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    /** "12 pages of 3 files, 1 class, 2.1 megapixels at scale 1" */
    public String describe(PixelScale scale) {
        long px = pages.stream().mapToLong(Page::pixels).sum();
        return String.format(Locale.ROOT, "%d image%s (pages), %d class%s, %.1f megapixels at scale %s", pages.size(), pages.size() == 1 ? "" : "s",
                classNames.size(), classNames.size() == 1 ? "" : "es", px / 1e6, scale);
    }
}
