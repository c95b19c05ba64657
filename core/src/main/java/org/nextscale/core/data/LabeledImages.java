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
}
