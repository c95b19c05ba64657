package org.nextscale.core.eval;

import org.nextscale.core.api.Image;
import org.nextscale.core.api.ImageAdapter;

/**
 * Fashion-MNIST's 28x28 images to and from a model's square side, with the one rule every part of
 * nextscale uses ({@link ImageAdapter#toModel} / {@link ImageAdapter#fromModel}): a slightly larger model
 * side (e.g. 32) is the 28x28 content zero-padded around the centre, so real images are padded on the way
 * in and model images center-cropped on the way out; other sides are resized both ways; colour becomes
 * gray by luminance. Generated images are thus classified exactly like real ones, and like training saw them.
 */
public final class ClassifierInput {
    static final int SIDE = Classifier.SIDE;
    private static final Image FASHION_MNIST = Image.zeros(1, SIDE, SIDE);

    private ClassifierInput() {}

    /** Any image to the classifier's input: 28*28 gray floats in [0, 1] (values clamped). */
    public static float[] of(Image img) {
        Image g = ImageAdapter.convertChannels(img, 1);
        Image c = g.height() == g.width() ? ImageAdapter.fromModel(g, FASHION_MNIST) : ImageAdapter.resize(g, SIDE, SIDE);
        float[] out = c.data().clone();
        for (int i = 0; i < out.length; i++) out[i] = Math.max(0f, Math.min(1f, out[i]));
        return out;
    }

    /** A 28x28 Fashion-MNIST image as a 1-channel image of the model's side (zero-padded or resized). */
    public static Image toModel(float[] image28, int side) {
        return ImageAdapter.toModel(new Image(1, SIDE, SIDE, image28), side, 1);
    }
}
