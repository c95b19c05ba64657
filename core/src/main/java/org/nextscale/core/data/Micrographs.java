package org.nextscale.core.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferUShort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Example data as a scientist has it ({@code nextscale example-data DIR}, the own-images walk-through and tests): a few
 * large 16-bit TIFFs of different sizes and a multi-page TIFF stack, made from real Fashion-MNIST test images scattered
 * over a dark background (12-bit values: background about 200 with noise, objects up to about 3,200), so most of each
 * image is empty, as in fluorescence micrographs; and, in a folder of its own, one more image to hold out.
 */
public final class Micrographs {
    private Micrographs() {}

    /** Sizes (width x height) of the single images, and of the stack's pages. */
    public static final int[][] SINGLES = {{300, 260}, {420, 300}, {260, 400}};
    public static final int[] STACK = {256, 256, 3};

    /** Writes {@code folder}/a.tif, b.tif, c.tif and stack.tif (3 pages); returns the folder. */
    public static Path write(Path folder, long seed) throws IOException {
        if (Files.exists(folder) && !isEmptyFolder(folder))
            throw new IllegalArgumentException(folder + " exists and is not empty: give a new folder for the example images");
        Files.createDirectories(folder);
        LabeledImages test = FashionMnist.load(FashionMnist.defaultDir(), false, 2000);
        SeededRandom r = SeededRandom.of(seed);
        String[] names = {"a.tif", "b.tif", "c.tif"};
        for (int i = 0; i < SINGLES.length; i++) ImageIO.write(image(test, SINGLES[i][0], SINGLES[i][1], r), "tiff", folder.resolve(names[i]).toFile());
        ImageWriter w = ImageIO.getImageWritersByFormatName("tiff").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(folder.resolve("stack.tif").toFile())) {
            w.setOutput(out);
            w.prepareWriteSequence(null);
            for (int p = 0; p < STACK[2]; p++) w.writeToSequence(new IIOImage(image(test, STACK[0], STACK[1], r), null, null), null);
            w.endWriteSequence();
        } finally {
            w.dispose();
        }
        return folder;
    }

    /** One more w x h image like them, from other garments (test images 5,000 on), for a held-out check: {@code file}. */
    public static Path writeHeldOut(Path file, int w, int h, long seed) throws IOException {
        LabeledImages test = FashionMnist.load(FashionMnist.defaultDir(), false, 0);
        LabeledImages other = new LabeledImages(java.util.Arrays.copyOfRange(test.images(), 5000, 10000), java.util.Arrays.copyOfRange(test.labels(), 5000, 10000),
                test.classNames(), test.channels(), test.height(), test.width());
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(image(other, w, h, SeededRandom.of(seed)), "tiff", file.toFile());
        return file;
    }

    private static boolean isEmptyFolder(Path p) throws IOException {
        if (!Files.isDirectory(p)) return false;
        try (var s = Files.list(p)) {
            return s.findAny().isEmpty();
        }
    }

    /** One w x h 16-bit image: noisy background, a garment every ~60x60 px at a random place. */
    public static BufferedImage image(LabeledImages src, int w, int h, SeededRandom r) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        short[] px = ((DataBufferUShort) img.getRaster().getDataBuffer()).getData();
        float[] v = new float[w * h];
        for (int i = 0; i < v.length; i++) v[i] = 200f + 20f * (float) r.nextGaussian();
        int count = Math.max(1, w * h / 3600), side = FashionMnist.SIDE;
        for (int k = 0; k < count; k++) {
            float[] g = src.images()[r.nextInt(src.size())];
            int x0 = r.nextInt(w - side), y0 = r.nextInt(h - side);
            for (int y = 0; y < side; y++)
                for (int x = 0; x < side; x++) v[(y0 + y) * w + x0 + x] = Math.max(v[(y0 + y) * w + x0 + x], 200f + 3000f * g[y * side + x]);
        }
        for (int i = 0; i < v.length; i++) px[i] = (short) Math.round(Math.max(0, Math.min(65535, v[i])));
        return img;
    }

    public static List<String> files() {
        return List.of("a.tif", "b.tif", "c.tif", "stack.tif");
    }
}
