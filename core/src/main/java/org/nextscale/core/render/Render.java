package org.nextscale.core.render;

import java.util.ArrayList;
import java.util.List;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.ImageAdapter;
import org.nextscale.core.api.TokenPyramid;

/**
 * Pictures every front end shows the same way: token maps (a fixed colour per token id, nearest
 * upscaled), image grids, before/after strips.
 */
public final class Render {
    private Render() {}

    /** A stable, well-spread colour for a token id (golden-ratio hue walk), as r,g,b in [0,1]. */
    public static float[] tokenColor(int id) {
        double h = (id * 0.618033988749895) % 1.0;
        double s = 0.55 + 0.35 * ((id * 7 % 5) / 4.0);
        double v = 0.65 + 0.35 * ((id * 3 % 4) / 3.0);
        return hsv(h, s, v);
    }

    private static float[] hsv(double h, double s, double v) {
        int i = (int) Math.floor(h * 6);
        double f = h * 6 - i, p = v * (1 - s), q = v * (1 - f * s), t = v * (1 - (1 - f) * s);
        double r, g, b;
        switch (i % 6) {
            case 0 -> { r = v; g = t; b = p; }
            case 1 -> { r = q; g = v; b = p; }
            case 2 -> { r = p; g = v; b = t; }
            case 3 -> { r = p; g = q; b = v; }
            case 4 -> { r = t; g = p; b = v; }
            default -> { r = v; g = p; b = q; }
        }
        return new float[] {(float) r, (float) g, (float) b};
    }

    /** One token map (side x side ids, row-major) as an RGB image of {@code size} x {@code size}, nearest-upscaled. */
    public static Image tokenMap(int[] tokens, int side, int size) {
        float[] out = new float[3 * size * size];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++) {
                float[] c = tokenColor(tokens[(y * side / size) * side + x * side / size]);
                for (int ch = 0; ch < 3; ch++) out[(ch * size + y) * size + x] = c[ch];
            }
        return new Image(3, size, size, out);
    }

    /** One panel per scale, each {@code size} x {@code size}. */
    public static List<Image> pyramid(TokenPyramid p, int size) {
        List<Image> out = new ArrayList<>();
        for (int k = 0; k < p.numScales(); k++) out.add(tokenMap(p.tokens().get(k), p.sides().get(k), size));
        return out;
    }

    /** Images laid out in rows of {@code cols}, separated by {@code pad} white pixels; all resized to the first's size. */
    public static Image grid(List<Image> images, int cols, int pad) {
        if (images.isEmpty()) throw new IllegalArgumentException("no images to lay out");
        Image first = images.get(0);
        int c = images.stream().mapToInt(Image::channels).max().orElse(1);
        int h = first.height(), w = first.width();
        int rows = (images.size() + cols - 1) / cols;
        int gh = rows * h + (rows + 1) * pad, gw = cols * w + (cols + 1) * pad;
        float[] out = new float[c * gh * gw];
        java.util.Arrays.fill(out, 1f);
        for (int i = 0; i < images.size(); i++) {
            Image im = ImageAdapter.convertChannels(ImageAdapter.resize(images.get(i), h, w), c);
            int oy = pad + (i / cols) * (h + pad), ox = pad + (i % cols) * (w + pad);
            for (int ch = 0; ch < c; ch++)
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++) out[(ch * gh + oy + y) * gw + ox + x] = im.get(ch, y, x);
        }
        return new Image(c, gh, gw, out);
    }

    /**
     * Coarse-to-fine frames of one image side by side, left to right, separated by {@code pad} white pixels;
     * frames smaller than 96 px are enlarged by an integer factor (nearest) so that small images stay visible.
     */
    public static Image strip(List<Image> frames, int pad) {
        int factor = Math.max(1, 96 / Math.max(1, frames.get(0).height()));
        List<Image> big = new ArrayList<>();
        for (Image f : frames) big.add(enlarge(f, factor));
        return grid(big, big.size(), pad);
    }

    /** Nearest-neighbour enlargement by an integer factor (small images become visible). */
    public static Image enlarge(Image img, int factor) {
        if (factor <= 1) return img;
        int h = img.height() * factor, w = img.width() * factor, c = img.channels();
        float[] out = new float[c * h * w];
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) out[(ch * h + y) * w + x] = img.get(ch, y / factor, x / factor);
        return new Image(c, h, w, out);
    }
}
