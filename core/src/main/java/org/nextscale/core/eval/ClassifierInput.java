package org.nextscale.core.eval;

import org.nextscale.core.api.Image;
import org.nextscale.core.api.ImageAdapter;

/**
 * The geometry rule between Fashion-MNIST's 28x28 images and a model's square side, used both ways so
 * that generated images are classified exactly like real ones.
 * <ul>
 *   <li>A model side of 28 + 2m with 0 < m <= {@link #MAX_PAD} (e.g. 32 = 2 px each side) is Fashion-MNIST
 *       zero-padded by m pixels on every side: real images are padded on the way in, and model images are
 *       center-cropped by m pixels on the way out (the padding is thrown away, the 28x28 content kept).</li>
 *   <li>Any other side (or a non-square image) is resized with {@link ImageAdapter#resize} both ways.</li>
 *   <li>Color images become gray by luminance ({@link ImageAdapter#convertChannels}).</li>
 * </ul>
 */
public final class ClassifierInput {
    /** Largest zero border (pixels per side) treated as padding rather than as a different scale. */
    public static final int MAX_PAD = 4;
    static final int SIDE = Classifier.SIDE;

    private ClassifierInput() {}

    /** Pixels of padding per side when {@code side} is a padded Fashion-MNIST size, else -1. */
    public static int padding(int side) {
        int extra = side - SIDE;
        return extra >= 0 && extra % 2 == 0 && extra / 2 <= MAX_PAD ? extra / 2 : -1;
    }

    /** Any image to the classifier's input: 28*28 gray floats in [0, 1] (values clamped). */
    public static float[] of(Image img) {
        Image g = ImageAdapter.convertChannels(img, 1);
        int m = g.height() == g.width() ? padding(g.height()) : -1;
        float[] out = new float[SIDE * SIDE];
        if (m >= 0) {
            for (int y = 0; y < SIDE; y++)
                for (int x = 0; x < SIDE; x++) out[y * SIDE + x] = g.get(0, y + m, x + m);
        } else {
            System.arraycopy(ImageAdapter.resize(g, SIDE, SIDE).data(), 0, out, 0, out.length);
        }
        for (int i = 0; i < out.length; i++) out[i] = Math.max(0f, Math.min(1f, out[i]));
        return out;
    }

    /** A 28x28 Fashion-MNIST image as a 1-channel image of the model's side (zero-padded or resized). */
    public static Image toModel(float[] image28, int side) {
        Image src = new Image(1, SIDE, SIDE, image28);
        int m = padding(side);
        if (m < 0) return ImageAdapter.resize(src, side, side);
        float[] out = new float[side * side];
        for (int y = 0; y < SIDE; y++) System.arraycopy(image28, y * SIDE, out, (y + m) * side + m, SIDE);
        return new Image(1, side, side, out);
    }
}
