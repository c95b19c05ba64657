package org.nextscale.core.api;

/**
 * Converts user images to the model's geometry and back, the same way in every front end.
 * <ul>
 *   <li>Channels: a gray image given to an RGB model is replicated to three channels; an RGB image given
 *       to a gray model becomes its luminance (0.299 R + 0.587 G + 0.114 B). Results come back with the
 *       input's channel count (luminance again, or replication).</li>
 *   <li>Size: an image a little smaller than the model (each side short by at most a quarter of itself,
 *       e.g. Fashion-MNIST's 28 px for a 32 px model) is zero-padded around the centre, keeping every
 *       pixel, and results are cropped back; this is also how training fits such data sets. Any other
 *       size is resized to the model's square side with bilinear interpolation (area-averaged when
 *       shrinking) and results are resized back the same way; non-square images are stretched.</li>
 *   <li>Values: {@link Image} holds [0, 1]; front ends map bit depths to that range (8-bit /255, 16-bit
 *       /65535, float images by their display range) before calling.</li>
 * </ul>
 */
public final class ImageAdapter {
    private ImageAdapter() {}

    /** True when {@code img} already has the model's size and channels. */
    public static boolean fits(Image img, int side, int channels) {
        return img.height() == side && img.width() == side && img.channels() == channels;
    }

    /** Smallest side an image may have: below it there is nothing for a model to see. */
    public static final int MIN_SIDE = 8;

    /** Refuses images no model can work on: too small, or holding NaN or infinite values. */
    public static void check(Image img) {
        if (img.height() < MIN_SIDE || img.width() < MIN_SIDE)
            throw new IllegalArgumentException("the image is " + img.width() + "x" + img.height() + " px, too small to work on (at least "
                    + MIN_SIDE + "x" + MIN_SIDE + " px)");
        for (float v : img.data())
            if (!Float.isFinite(v)) throw new IllegalArgumentException("the image has NaN or infinite pixel values: replace them with numbers first");
    }

    public static Image toModel(Image img, int side, int channels) {
        check(img);
        Image c = convertChannels(img, channels);
        return pads(img.height(), img.width(), side) ? pad(c, side) : resize(c, side, side);
    }

    /** The inverse of {@link #toModel}: back to {@code like}'s size and channel count. */
    public static Image fromModel(Image result, Image like) {
        Image sized = pads(like.height(), like.width(), result.height())
                ? crop(result, like.height(), like.width())
                : resize(result, like.height(), like.width());
        return convertChannels(sized, like.channels());
    }

    /** True when an (h, w) image is brought to {@code side} by zero padding rather than resizing. */
    public static boolean pads(int h, int w, int side) {
        return h <= side && w <= side && (h < side || w < side) && (side - h) * 4 <= h && (side - w) * 4 <= w;
    }

    /** Zero padding around the centre to side x side (the extra pixel, if odd, goes bottom/right). */
    public static Image pad(Image img, int side) {
        int h = img.height(), w = img.width(), c = img.channels(), top = (side - h) / 2, left = (side - w) / 2;
        float[] out = new float[c * side * side];
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < h; y++)
                System.arraycopy(img.data(), (ch * h + y) * w, out, (ch * side + y + top) * side + left, w);
        return new Image(c, side, side, out);
    }

    /** The centre h x w of an image padded by {@link #pad}. */
    public static Image crop(Image img, int h, int w) {
        int c = img.channels(), side = img.height(), top = (side - h) / 2, left = (img.width() - w) / 2;
        float[] out = new float[c * h * w];
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < h; y++)
                System.arraycopy(img.data(), (ch * side + y + top) * img.width() + left, out, (ch * h + y) * w, w);
        return new Image(c, h, w, out);
    }

    public static Image convertChannels(Image img, int channels) {
        if (img.channels() == channels) return img;
        int hw = img.height() * img.width();
        float[] out = new float[channels * hw];
        if (channels == 1) {
            if (img.channels() < 3) {
                System.arraycopy(img.data(), 0, out, 0, hw);
            } else {
                float[] d = img.data();
                for (int i = 0; i < hw; i++) out[i] = 0.299f * d[i] + 0.587f * d[hw + i] + 0.114f * d[2 * hw + i];
            }
        } else {
            for (int c = 0; c < channels; c++) System.arraycopy(img.data(), Math.min(c, img.channels() - 1) * hw, out, c * hw, hw);
        }
        return new Image(channels, img.height(), img.width(), out);
    }

    /** Bilinear resize (align_corners=False); shrinking averages each output pixel's footprint first. */
    public static Image resize(Image img, int outH, int outW) {
        if (img.height() == outH && img.width() == outW) return img;
        Image src = img;
        // shrink by an integer box filter first so bilinear does not alias
        int fy = Math.max(1, img.height() / outH), fx = Math.max(1, img.width() / outW);
        if (fy > 1 || fx > 1) src = boxShrink(img, fy, fx);
        int h = src.height(), w = src.width(), c = src.channels();
        float[] out = new float[c * outH * outW];
        for (int y = 0; y < outH; y++) {
            double sy = Math.max(0, (y + 0.5) * h / outH - 0.5);
            int y0 = Math.min((int) sy, h - 1), y1 = Math.min(y0 + 1, h - 1);
            double wy = sy - y0;
            for (int x = 0; x < outW; x++) {
                double sx = Math.max(0, (x + 0.5) * w / outW - 0.5);
                int x0 = Math.min((int) sx, w - 1), x1 = Math.min(x0 + 1, w - 1);
                double wx = sx - x0;
                for (int ch = 0; ch < c; ch++) {
                    double v = (1 - wy) * ((1 - wx) * src.get(ch, y0, x0) + wx * src.get(ch, y0, x1))
                            + wy * ((1 - wx) * src.get(ch, y1, x0) + wx * src.get(ch, y1, x1));
                    out[(ch * outH + y) * outW + x] = (float) v;
                }
            }
        }
        return new Image(c, outH, outW, out);
    }

    private static Image boxShrink(Image img, int fy, int fx) {
        int h = img.height() / fy, w = img.width() / fx, c = img.channels();
        float[] out = new float[c * h * w];
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int dy = 0; dy < fy; dy++)
                        for (int dx = 0; dx < fx; dx++) s += img.get(ch, y * fy + dy, x * fx + dx);
                    out[(ch * h + y) * w + x] = (float) (s / (fy * fx));
                }
        return new Image(c, h, w, out);
    }

    /** Resizes a pixel mask to (outH, outW) by nearest neighbour (pixel centres). */
    public static EditMask resize(EditMask m, int outH, int outW) {
        if (m.height() == outH && m.width() == outW) return m;
        boolean[] out = new boolean[outH * outW];
        for (int y = 0; y < outH; y++) {
            int sy = Math.min(m.height() - 1, (int) ((y + 0.5) * m.height() / outH));
            for (int x = 0; x < outW; x++) {
                int sx = Math.min(m.width() - 1, (int) ((x + 0.5) * m.width() / outW));
                out[y * outW + x] = m.selected()[sy * m.width() + sx];
            }
        }
        return new EditMask(outH, outW, out);
    }
}
