package org.nextscale.core.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A folder of images as a labelled set: one sub-folder per class (class names are the folder names,
 * sorted), or images directly in the folder (one class named after the folder). PNG, JPEG and TIFF, gray
 * or RGB, 8 or 16 bit or float. All images must have the same size; gray images in a set that holds colour
 * images are repeated over three channels. 8-bit values are divided by 255; 16-bit and float values are
 * scaled by the set's range (0..max for integers, min..max for floats), since microscopy data rarely fills
 * the full 16-bit range.
 */
public final class ImageFolder {

    private ImageFolder() {}

    /**
     * Reads at most {@code limit} images (limit <= 0: all), in sorted class then file order; the folder (or file, or list
     * of files) is read as {@link SourceImages#list} reads the data option.
     */
    public static LabeledImages load(Path dir, int limit) throws IOException {
        SourceImages.FileList set = SourceImages.list(dir.toString());
        List<Path> files = set.files();
        List<Integer> labels = new ArrayList<>(set.labels());
        if (limit > 0 && files.size() > limit) {
            // keep every class: take images round-robin over the classes rather than the first classes only
            files = roundRobin(files, labels, set.classNames().size(), limit, labels);
        }
        return read(files, labels, set.classNames());
    }

    private static List<Path> roundRobin(List<Path> files, List<Integer> labels, int classes, int limit, List<Integer> outLabels) {
        List<List<Path>> per = new ArrayList<>();
        for (int c = 0; c < classes; c++) per.add(new ArrayList<>());
        for (int i = 0; i < files.size(); i++) per.get(labels.get(i)).add(files.get(i));
        List<Path> out = new ArrayList<>();
        List<Integer> lab = new ArrayList<>();
        for (int k = 0; out.size() < limit; k++)
            for (int c = 0; c < classes && out.size() < limit; c++)
                if (k < per.get(c).size()) { out.add(per.get(c).get(k)); lab.add(c); }
        outLabels.clear();
        outLabels.addAll(lab);
        return out;
    }

    private static LabeledImages read(List<Path> files, List<Integer> labels, List<String> names) throws IOException {
        int n = files.size();
        float[][] raw = new float[n][];
        int[] bands = new int[n];
        int width = -1, height = -1;
        Path first = null;
        boolean eightBit = true, isFloat = false;
        for (int i = 0; i < n; i++) {
            Path p = files.get(i);
            BufferedImage img;
            try {
                img = ImageIO.read(p.toFile());
            } catch (IOException | RuntimeException e) {
                throw new IOException("cannot read image " + p + ": " + e.getMessage() + " (is it a valid PNG, JPEG or TIFF file?)");
            }
            if (img == null) throw new IOException("cannot read image " + p + ": not a PNG, JPEG or TIFF file this Java can decode");
            if (first == null) { first = p; width = img.getWidth(); height = img.getHeight(); }
            else if (img.getWidth() != width || img.getHeight() != height)
                throw new IOException("images differ in size: " + first.getFileName() + " is " + width + "x" + height + " but " + p
                        + " is " + img.getWidth() + "x" + img.getHeight() + "; resize them to one size first");
            Raster r = img.getRaster();
            int colorBands = img.getColorModel().getNumColorComponents();
            bands[i] = colorBands >= 3 ? 3 : 1;
            int type = r.getDataBuffer().getDataType();
            if (type == DataBuffer.TYPE_FLOAT || type == DataBuffer.TYPE_DOUBLE) isFloat = true;
            else if (r.getSampleModel().getSampleSize(0) > 8) eightBit = false;
            boolean indexed = img.getColorModel() instanceof java.awt.image.IndexColorModel;
            raw[i] = pixels(img, r, bands[i], indexed);
        }
        int channels = 1;
        for (int b : bands) channels = Math.max(channels, b);
        float lo = 0, hi = 255;
        if (isFloat || !eightBit) {
            lo = isFloat ? Float.POSITIVE_INFINITY : 0;
            hi = Float.NEGATIVE_INFINITY;
            for (float[] a : raw) for (float v : a) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
            if (!(hi > lo)) hi = lo + 1;
        }
        float[][] out = new float[n][];
        int plane = width * height;
        for (int i = 0; i < n; i++) {
            float[] a = raw[i];
            float[] o = new float[channels * plane];
            for (int c = 0; c < channels; c++) {
                int src = bands[i] == 1 ? 0 : c;
                for (int j = 0; j < plane; j++) o[c * plane + j] = Math.min(1f, Math.max(0f, (a[src * plane + j] - lo) / (hi - lo)));
            }
            out[i] = o;
        }
        int[] lab = labels.stream().mapToInt(Integer::intValue).toArray();
        return new LabeledImages(out, lab, List.copyOf(names), channels, height, width);
    }

    /** (bands, H, W) raw sample values; indexed and packed colour images go through their RGB values. */
    private static float[] pixels(BufferedImage img, Raster r, int bands, boolean indexed) {
        int w = img.getWidth(), h = img.getHeight(), plane = w * h;
        float[] a = new float[bands * plane];
        boolean packed = indexed || r.getNumBands() < bands || img.getType() == BufferedImage.TYPE_INT_RGB
                || img.getType() == BufferedImage.TYPE_INT_ARGB;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                if (packed) {
                    int rgb = img.getRGB(x, y);
                    if (bands == 1) a[y * w + x] = rgb & 0xff;
                    else for (int c = 0; c < 3; c++) a[c * plane + y * w + x] = (rgb >> (16 - 8 * c)) & 0xff;
                } else {
                    for (int c = 0; c < bands; c++) a[c * plane + y * w + x] = r.getSampleFloat(x, y, c);
                }
            }
        return a;
    }
}
