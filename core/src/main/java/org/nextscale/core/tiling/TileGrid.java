package org.nextscale.core.tiling;

import org.nextscale.core.api.Image;

/** Where model-sized tiles and windows go along an image axis, and the pixel copies between images and tiles. */
public final class TileGrid {
    private TileGrid() {}

    /**
     * Start positions of tiles of {@code tile} px covering [0, length), neighbours sharing at least {@code overlap}
     * px: the first at 0, the last ending at {@code length}, the rest evenly spread. One tile at 0 when
     * {@code length <= tile} (the tile then reaches past the image; {@link #cut} repeats the border pixels).
     */
    static int[] starts(int length, int tile, int overlap) {
        if (length <= tile) return new int[] {0};
        int n = (int) Math.ceil((double) (length - overlap) / (tile - overlap));
        n = Math.max(n, 2);
        int[] s = new int[n];
        for (int i = 0; i < n; i++) s[i] = (int) Math.round((double) i * (length - tile) / (n - 1));
        return s;
    }

    /** A tile along one axis: where it starts and the blend weight of each of its {@code side} pixels (0 where it does not count). */
    record Span(int start, float[] weight) {}

    /**
     * The tiles along an axis of {@code length} for a blended reconstruction. Main tiles ({@link #starts} with no
     * overlap) own the pixels nearest their centre; the border between two neighbours is the midpoint of their
     * centres. A seam tile centred on each border blends the {@code band} px on either side of it: there the main
     * tile's weight falls linearly from 1 to 0 at the border (a tile's own edge is where its reconstruction is worst), and the
     * seam tile takes the rest. So every pixel's
     * weights add up to 1, a pixel farther than {@code band} from any border is its main tile's alone (exactly what
     * reconstructing that tile alone gives), and no tile edge falls where a result is taken from it.
     */
    static java.util.List<Span> blendedSpans(int length, int side, int band) {
        int[] main = starts(length, side, 0);
        int n = main.length;
        double[] border = new double[Math.max(0, n - 1)];               // between main tiles i and i+1
        for (int i = 0; i + 1 < n; i++) border[i] = (main[i] + main[i + 1] + side) / 2.0;
        java.util.List<Span> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] w = new float[side];
            for (int t = 0; t < side; t++) {
                double p = main[i] + t + 0.5;
                boolean owned = (i == 0 || p >= border[i - 1]) && (i == n - 1 || p < border[i]);
                if (!owned || main[i] + t >= length) continue;
                double d = Math.min(i == 0 ? Double.MAX_VALUE : p - border[i - 1], i == n - 1 ? Double.MAX_VALUE : border[i] - p);
                w[t] = (float) (d >= band ? 1 : d / band);
            }
            out.add(new Span(main[i], w));
        }
        for (int i = 0; i + 1 < n; i++) {
            int start = (int) Math.max(0, Math.min(length - side, Math.round(border[i] - side / 2.0)));
            float[] w = new float[side];
            for (int t = 0; t < side; t++) {
                double p = start + t + 0.5, d = Math.abs(p - border[i]);
                if (d < band) w[t] = (float) (1 - d / band);
            }
            out.add(new Span(start, w));
        }
        out.sort(java.util.Comparator.comparingInt(Span::start));
        return out;
    }

    /** The side x side tile of {@code img} at (y, x); pixels past the image's border repeat the nearest border pixel. */
    public static Image cut(Image img, int y, int x, int side) {
        return cut(img, y, x, side, side);
    }

    /** The th x tw part of {@code img} at (y, x), border pixels repeated past the image's edge. */
    public static Image cut(Image img, int y, int x, int th, int tw) {
        int c = img.channels(), h = img.height(), w = img.width();
        float[] out = new float[c * th * tw];
        float[] d = img.data();
        for (int ch = 0; ch < c; ch++)
            for (int ty = 0; ty < th; ty++) {
                int sy = Math.min(h - 1, Math.max(0, y + ty));
                int src = (ch * h + sy) * w, dst = (ch * th + ty) * tw;
                if (x >= 0 && x + tw <= w) {
                    System.arraycopy(d, src + x, out, dst, tw);
                } else {
                    for (int tx = 0; tx < tw; tx++) out[dst + tx] = d[src + Math.min(w - 1, Math.max(0, x + tx))];
                }
            }
        return new Image(c, th, tw, out);
    }

    /** Copies {@code part} into {@code img} at (y, x) where {@code which} (part-sized, row-major) is true and inside img. */
    static void paste(Image part, Image img, int y, int x, boolean[] which) {
        int c = img.channels(), h = img.height(), w = img.width(), ph = part.height(), pw = part.width();
        for (int ch = 0; ch < c; ch++)
            for (int ty = 0; ty < ph; ty++) {
                int iy = y + ty;
                if (iy < 0 || iy >= h) continue;
                for (int tx = 0; tx < pw; tx++) {
                    int ix = x + tx;
                    if (ix < 0 || ix >= w || !which[ty * pw + tx]) continue;
                    img.data()[(ch * h + iy) * w + ix] = part.data()[(ch * ph + ty) * pw + tx];
                }
            }
    }
}
