package org.nextscale.core.data;

import org.nextscale.core.api.Image;
import org.nextscale.core.api.ImageAdapter;

/**
 * Brings a labelled set to the model's geometry (square side {@code size}, {@code channels}) with the
 * same rule the models apply to users' images at inference, {@link ImageAdapter#toModel}: slightly
 * smaller images (e.g. Fashion-MNIST 28 -> 32) are zero-padded around the centre, other sizes resized;
 * gray becomes RGB by repetition, RGB becomes gray by luminance. One rule for training and inference.
 */
public final class ImageFit {
    private ImageFit() {}

    public static LabeledImages fit(LabeledImages set, int size, int channels) {
        if (set.height() == size && set.width() == size && set.channels() == channels) return set;
        float[][] out = new float[set.size()][];
        for (int i = 0; i < set.size(); i++)
            out[i] = ImageAdapter.toModel(new Image(set.channels(), set.height(), set.width(), set.images()[i]), size, channels).data();
        return new LabeledImages(out, set.labels(), set.classNames(), channels, size, size);
    }

    /** True when (h, w) -> size is done by padding rather than resizing. */
    public static boolean pads(int h, int w, int size) {
        return ImageAdapter.pads(h, w, size);
    }
}
