package org.nextscale.core.api;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;

/**
 * An image as float planes with values in [0, 1], laid out (channels, height, width) row-major. This is
 * what every front end converts to and from; the model works on its own square size, and
 * {@link ImageAdapter} converts other sizes and channel counts.
 */
public record Image(int channels, int height, int width, float[] data) {

    public Image {
        if (channels < 1 || height < 1 || width < 1 || data.length != channels * height * width)
            throw new IllegalArgumentException("image data of length " + data.length + " does not fit "
                    + channels + "x" + height + "x" + width);
    }

    public static Image zeros(int channels, int height, int width) {
        return new Image(channels, height, width, new float[channels * height * width]);
    }

    public float get(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }

    /** Gray images stay gray (1 channel); anything else becomes RGB (3 channels). 16-bit gray scales by 65535. */
    public static Image fromBufferedImage(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        Raster r = img.getRaster();
        int bands = r.getNumBands();
        boolean gray = bands <= 2 && img.getColorModel().getColorSpace().getNumComponents() == 1;
        if (gray) {
            int bits = img.getColorModel().getComponentSize(0);
            float max = (float) ((1L << bits) - 1);
            float[] d = new float[w * h];
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) d[y * w + x] = r.getSample(x, y, 0) / max;
            return new Image(1, h, w, d);
        }
        float[] d = new float[3 * w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                d[y * w + x] = ((rgb >> 16) & 255) / 255f;
                d[(h + y) * w + x] = ((rgb >> 8) & 255) / 255f;
                d[(2 * h + y) * w + x] = (rgb & 255) / 255f;
            }
        return new Image(3, h, w, d);
    }

    /** 8-bit gray or RGB, values clamped to [0, 1]. */
    public BufferedImage toBufferedImage() {
        BufferedImage out = new BufferedImage(width, height, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) {
                if (channels == 1) {
                    out.getRaster().setSample(x, y, 0, to8(get(0, y, x)));
                } else {
                    int rr = to8(get(0, y, x)), gg = to8(get(1, y, x)), bb = to8(get(2, y, x));
                    out.setRGB(x, y, (rr << 16) | (gg << 8) | bb);
                }
            }
        return out;
    }

    private static int to8(float v) {
        return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
    }
}
