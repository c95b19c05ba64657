package org.nextscale.core.data;

import java.util.List;

/**
 * An in-memory labelled image set: {@code images[i]} holds channels*size*size floats in [0, 1], laid out
 * (channels, height, width); {@code labels[i]} indexes {@code classNames}.
 */
public record LabeledImages(float[][] images, int[] labels, List<String> classNames, int channels, int height, int width) {

    public int size() {
        return images.length;
    }

    public int numClasses() {
        return classNames.size();
    }

    /** The first n images (or all when n >= size). */
    public LabeledImages head(int n) {
        if (n >= images.length) return this;
        return new LabeledImages(java.util.Arrays.copyOf(images, n), java.util.Arrays.copyOf(labels, n), classNames, channels, height, width);
    }

    /**
     * A large test image: rows x cols cells of {@code cell} px, each holding one image (gray, centred, zero around it),
     * images taken in order from {@code first} (wrapping around); values in [0, 1].
     */
    public org.nextscale.core.api.Image mosaic(int rows, int cols, int first, int cell) {
        int h = rows * cell, w = cols * cell, top = (cell - height) / 2, left = (cell - width) / 2;
        if (top < 0 || left < 0) throw new IllegalArgumentException("cells of " + cell + " px cannot hold " + width + "x" + height + " px images");
        float[] d = new float[h * w];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) {
                float[] img = images[Math.floorMod(first + r * cols + c, images.length)];
                for (int y = 0; y < height; y++) System.arraycopy(img, y * width, d, (r * cell + top + y) * w + c * cell + left, width);
            }
        return new org.nextscale.core.api.Image(1, h, w, d);
    }
}
