package org.nextscale.core.data;

/**
 * Brings a labelled set to the model's geometry: square side {@code size} and {@code channels}. Images a
 * little smaller than the model (at most a quarter of their side, e.g. Fashion-MNIST 28 -> 32) are padded
 * with zeros around the centre, which keeps every pixel; others are resized bilinearly. Gray becomes RGB by
 * repetition, RGB becomes gray by luminance.
 */
public final class ImageFit {
    private ImageFit() {}

    public static LabeledImages fit(LabeledImages set, int size, int channels) {
        if (set.height() == size && set.width() == size && set.channels() == channels) return set;
        float[][] out = new float[set.size()][];
        for (int i = 0; i < set.size(); i++) {
            float[] img = convertChannels(set.images()[i], set.channels(), channels, set.height() * set.width());
            out[i] = fitPlane(img, channels, set.height(), set.width(), size);
        }
        return new LabeledImages(out, set.labels(), set.classNames(), channels, size, size);
    }

    /** True when (h, w) -> size is done by padding rather than resizing. */
    public static boolean pads(int h, int w, int size) {
        return h <= size && w <= size && (size - h) * 4 <= h && (size - w) * 4 <= w;
    }

    private static float[] convertChannels(float[] img, int from, int to, int plane) {
        if (from == to) return img;
        float[] o = new float[to * plane];
        if (from == 1) {
            for (int c = 0; c < to; c++) System.arraycopy(img, 0, o, c * plane, plane);
        } else {
            for (int j = 0; j < plane; j++) o[j] = 0.299f * img[j] + 0.587f * img[plane + j] + 0.114f * img[2 * plane + j];
        }
        return o;
    }

    private static float[] fitPlane(float[] img, int channels, int h, int w, int size) {
        float[] o = new float[channels * size * size];
        if (h == size && w == size) return img;
        if (pads(h, w, size)) {
            int top = (size - h) / 2, left = (size - w) / 2;
            for (int c = 0; c < channels; c++)
                for (int y = 0; y < h; y++)
                    System.arraycopy(img, (c * h + y) * w, o, (c * size + y + top) * size + left, w);
            return o;
        }
        // bilinear, half-pixel centres; when shrinking, average the source box first (area) to avoid aliasing
        boolean shrink = h > size || w > size;
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                    o[(c * size + y) * size + x] = shrink ? area(img, c, h, w, size, y, x) : bilinear(img, c, h, w, size, y, x);
        return o;
    }

    private static float area(float[] img, int c, int h, int w, int size, int y, int x) {
        int y0 = y * h / size, y1 = Math.max(y0 + 1, (int) Math.ceil((y + 1) * (double) h / size));
        int x0 = x * w / size, x1 = Math.max(x0 + 1, (int) Math.ceil((x + 1) * (double) w / size));
        double s = 0;
        for (int yy = y0; yy < y1; yy++) for (int xx = x0; xx < x1; xx++) s += img[(c * h + yy) * w + xx];
        return (float) (s / ((y1 - y0) * (x1 - x0)));
    }

    private static float bilinear(float[] img, int c, int h, int w, int size, int y, int x) {
        double sy = Math.max(0, (y + 0.5) * h / size - 0.5), sx = Math.max(0, (x + 0.5) * w / size - 0.5);
        int y0 = Math.min((int) sy, h - 1), x0 = Math.min((int) sx, w - 1);
        int y1 = Math.min(y0 + 1, h - 1), x1 = Math.min(x0 + 1, w - 1);
        double fy = sy - y0, fx = sx - x0;
        double top = img[(c * h + y0) * w + x0] * (1 - fx) + img[(c * h + y0) * w + x1] * fx;
        double bot = img[(c * h + y1) * w + x0] * (1 - fx) + img[(c * h + y1) * w + x1] * fx;
        return (float) (top * (1 - fy) + bot * fy);
    }
}
