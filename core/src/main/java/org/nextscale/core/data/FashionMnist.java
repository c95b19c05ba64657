package org.nextscale.core.data;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Fashion-MNIST from its IDX files (60,000 train / 10,000 test, 28x28 gray, 10 classes), as Debian's
 * {@code dataset-fashion-mnist} installs them in {@link #DEFAULT_DIR}; plain or gzipped files are read.
 */
public final class FashionMnist {
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    public static final int SIDE = 28;

    private FashionMnist() {}

    /** The folder from -Dnextscale.fashionMnist, else NEXTSCALE_FASHION_MNIST, else the Debian location. */
    public static Path defaultDir() {
        String p = System.getProperty("nextscale.fashionMnist", System.getenv("NEXTSCALE_FASHION_MNIST"));
        return p != null && !p.isBlank() ? Path.of(p) : DEFAULT_DIR;
    }

    public static boolean available(Path dir) {
        return find(dir, "train-images-idx3-ubyte") != null && find(dir, "t10k-images-idx3-ubyte") != null;
    }

    /** Loads the training (60k) or test (10k) split, at most {@code limit} images (limit <= 0: all). */
    public static LabeledImages load(Path dir, boolean train, int limit) throws IOException {
        String prefix = train ? "train" : "t10k";
        Path images = find(dir, prefix + "-images-idx3-ubyte");
        Path labels = find(dir, prefix + "-labels-idx1-ubyte");
        if (images == null || labels == null)
            throw new IOException("Fashion-MNIST not found in " + dir + ": install it with 'apt-get install dataset-fashion-mnist'"
                    + " or point --data to a folder holding " + prefix + "-images-idx3-ubyte(.gz) and " + prefix + "-labels-idx1-ubyte(.gz)");
        byte[][] px = readImages(images, limit);
        byte[] lb = readLabels(labels, px.length);
        float[][] out = new float[px.length][SIDE * SIDE];
        int[] lab = new int[px.length];
        for (int i = 0; i < px.length; i++) {
            for (int j = 0; j < SIDE * SIDE; j++) out[i][j] = (px[i][j] & 0xff) / 255f;
            lab[i] = lb[i] & 0xff;
            if (lab[i] >= CLASS_NAMES.size()) throw new IOException(labels + ": label " + lab[i] + " out of range 0..9");
        }
        return new LabeledImages(out, lab, CLASS_NAMES, 1, SIDE, SIDE);
    }

    private static Path find(Path dir, String base) {
        for (String name : new String[] {base, base + ".gz"}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    private static DataInputStream open(Path p) throws IOException {
        InputStream in = Files.newInputStream(p);
        if (p.getFileName().toString().endsWith(".gz")) in = new GZIPInputStream(in, 1 << 16);
        return new DataInputStream(new java.io.BufferedInputStream(in, 1 << 16));
    }

    private static byte[][] readImages(Path p, int limit) throws IOException {
        try (DataInputStream in = open(p)) {
            int magic = in.readInt();
            if (magic != 0x00000803) throw new IOException(p + ": not an IDX image file (magic " + Integer.toHexString(magic) + ")");
            int n = in.readInt(), rows = in.readInt(), cols = in.readInt();
            if (rows != SIDE || cols != SIDE) throw new IOException(p + ": expected 28x28 images, found " + rows + "x" + cols);
            int take = limit > 0 ? Math.min(limit, n) : n;
            byte[][] out = new byte[take][SIDE * SIDE];
            for (int i = 0; i < take; i++) in.readFully(out[i]);
            return out;
        } catch (java.io.EOFException e) {
            throw new IOException(p + ": truncated IDX file");
        }
    }

    private static byte[] readLabels(Path p, int n) throws IOException {
        try (DataInputStream in = open(p)) {
            int magic = in.readInt();
            if (magic != 0x00000801) throw new IOException(p + ": not an IDX label file (magic " + Integer.toHexString(magic) + ")");
            int count = in.readInt();
            if (count < n) throw new IOException(p + ": has " + count + " labels for " + n + " images");
            byte[] out = new byte[n];
            in.readFully(out);
            return out;
        } catch (java.io.EOFException e) {
            throw new IOException(p + ": truncated IDX file");
        }
    }
}
