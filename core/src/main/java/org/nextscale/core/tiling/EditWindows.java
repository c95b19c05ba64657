package org.nextscale.core.tiling;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.EditMask;
import org.nextscale.core.api.EditMode;
import org.nextscale.core.api.Extension;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.ImageAdapter;
import org.nextscale.core.api.PixelScale;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.api.ScaleListener;
import org.nextscale.core.api.SeamMode;
import org.nextscale.core.api.VarModel;

/**
 * Zero-shot edits of images of any size at a {@link PixelScale}. An image no larger than the model is edited
 * whole, as {@link VarModel#edit} does. A larger one is edited in model-sized windows (side S) at the working
 * resolution:
 * <ol>
 *   <li>The pixels to regenerate: the selection (in-paint, class edit); for out-paint, the windows around the kept
 *       selection less the selection; for a grown canvas ({@link Extension}), the new border.</li>
 *   <li>Windows: one window centred on those pixels when they fit in it, with as much context around them as fits;
 *       otherwise a grid of windows over them and S/4 around, neighbours overlapping by S/4.</li>
 *   <li>Order: windows whose pixels lie nearest to known pixels go first (by the mean chessboard distance of the
 *       pixels they fill to the nearest kept pixel; ties row by row), so the fill grows in from the border of the
 *       selection, or out from the image into a grown canvas.</li>
 *   <li>Each window regenerates its still-unfilled pixels, conditioned on everything else in it: kept pixels and
 *       the pixels earlier windows filled. A window with no known pixel at all is generated from the class alone.</li>
 * </ol>
 * Kept pixels come back bit for bit. Progress counts windows ("windows"); cancel is checked between windows (and
 * between scales inside each).
 */
public final class EditWindows {
    private EditWindows() {}

    /** Edits {@code image} (the model's units) inside or around {@code mask}; the result has the image's size. */
    public static Image edit(VarModel m, Image image, EditMask mask, EditMode mode, SampleOptions o, SeamMode seams, PixelScale scale,
                             ProgressListener progress, CancelToken cancel, ScaleListener scales) {
        ImageAdapter.check(image);
        if (mask.height() != image.height() || mask.width() != image.width())
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the mask is %dx%d px but the image is %dx%d px: give a mask of the "
                    + "image's size", mask.width(), mask.height(), image.width(), image.height()));
        int side = m.imageSize();
        if (scale.whole(image.height(), image.width(), side)) {
            Image out = m.edit(image, mask, mode, o, seams, progress, cancel, scales);
            progress.progress("windows", 1, 1);
            return out;
        }
        mask.requireEditable(mode);
        boolean[] regenerate = mode == EditMode.OUTPAINT ? around(mask, scale, side) : mask.selected();
        return fill(m, image, regenerate, mode == EditMode.CLASS_EDIT ? EditMode.CLASS_EDIT : EditMode.INPAINT, o, seams, scale,
                progress, cancel, scales);
    }

    /**
     * Out-paints past the image's border: the canvas grows by {@code ext} and the new pixels are generated window by
     * window, outwards from the image, which is kept bit for bit.
     */
    public static Image extend(VarModel m, Image image, Extension ext, SampleOptions o, SeamMode seams, PixelScale scale,
                               ProgressListener progress, CancelToken cancel) {
        ImageAdapter.check(image);
        if (ext.isNone()) throw new IllegalArgumentException("extend: give at least one side to grow, e.g. left=64");
        int h = image.height() + ext.top() + ext.bottom(), w = image.width() + ext.left() + ext.right();
        if ((long) h * w > org.nextscale.core.data.ImageFiles.MAX_PIXELS)
            throw new IllegalArgumentException(String.format(Locale.ROOT, "extend: the canvas would be %dx%d px, more than %d megapixels: "
                    + "grow it less", w, h, org.nextscale.core.data.ImageFiles.MAX_PIXELS >> 20));
        Image canvas = TileGrid.cut(image, -ext.top(), -ext.left(), h, w);              // new area: border pixels repeated
        boolean[] regenerate = new boolean[h * w];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                regenerate[y * w + x] = y < ext.top() || y >= ext.top() + image.height() || x < ext.left() || x >= ext.left() + image.width();
        PixelScale windowed = scale.fit() ? PixelScale.AUTO : scale;                         // a grown canvas is always done in windows
        return fill(m, canvas, regenerate, EditMode.INPAINT, o, seams, windowed, progress, cancel, ScaleListener.NONE);
    }

    /** Out-paint on a large image: the windows over the kept selection, less the selection. */
    private static boolean[] around(EditMask mask, PixelScale scale, int side) {
        int h = mask.height(), w = mask.width();
        double f = scale.factor();
        int reach = (int) Math.round(side * f);                                         // a window's size in image pixels
        int[] box = bbox(mask.selected(), h, w);
        int[] ys = span(box[0], box[2], h, reach), xs = span(box[1], box[3], w, reach);
        boolean[] out = new boolean[h * w];
        for (int y = ys[0]; y < ys[1]; y++)
            for (int x = xs[0]; x < xs[1]; x++) out[y * w + x] = !mask.selected()[y * w + x];
        return out;
    }

    /** [lo, hi) of the windows over [a, b) on an axis of {@code length}: one window centred on it, or it plus a margin. */
    private static int[] span(int a, int b, int length, int window) {
        if (b - a >= window) return new int[] {Math.max(0, a - window / 4), Math.min(length, b + window / 4)};
        int lo = Math.max(0, Math.min(length - window, (a + b - window) / 2));
        return new int[] {lo, Math.min(length, lo + window)};
    }

    /** Regenerates the pixels marked in {@code regenerate} (image-sized), window by window at the working resolution. */
    static Image fill(VarModel m, Image image, boolean[] regenerate, EditMode windowMode, SampleOptions o, SeamMode seams, PixelScale scale,
                      ProgressListener progress, CancelToken cancel, ScaleListener scales) {
        int side = m.imageSize(), h = image.height(), w = image.width();
        int[] hw = scale.workingSize(h, w);
        Image work = Tiles.atScale(image, scale);
        boolean[] regen = hw[0] == h && hw[1] == w ? regenerate : ImageAdapter.resize(new EditMask(h, w, regenerate), hw[0], hw[1]).selected();
        int wh = hw[0], ww = hw[1];
        if (count(regen) == 0)
            throw new IllegalArgumentException("the selection vanishes at scale " + scale + " (it is smaller than one working pixel): use a "
                    + "smaller scale or select more");
        work = new Image(work.channels(), wh, ww, work.data() == image.data() ? work.data().clone() : work.data());
        List<int[]> windows = plan(regen, wh, ww, side);
        boolean[] filled = new boolean[wh * ww];
        progress.progress("windows", 0, windows.size());
        int done = 0;
        for (int[] win : windows) {
            cancel.check();
            int wy = win[0], wx = win[1];
            // the window's unfilled pixels to regenerate; one past the image's edge repeats the border pixel, and so its state
            boolean[] todo = new boolean[side * side];
            int inImage = 0, inWindow = 0;
            for (int ty = 0; ty < side; ty++)
                for (int tx = 0; tx < side; tx++) {
                    int i = Math.min(wh - 1, wy + ty) * ww + Math.min(ww - 1, wx + tx);
                    if (!regen[i] || filled[i]) continue;
                    todo[ty * side + tx] = true;
                    inWindow++;
                    if (wy + ty < wh && wx + tx < ww) inImage++;
                }
            if (inImage > 0) {
                Image part = TileGrid.cut(work, wy, wx, side);
                Image result = inWindow == side * side
                        ? m.generate(o.withCount(1).withSeed(o.seed() + done), ProgressListener.NONE, cancel).get(0)
                        : m.edit(part, new EditMask(side, side, todo), windowMode, o.withSeed(o.seed() + done), seams, ProgressListener.NONE,
                                cancel, windows.size() == 1 ? scales : ScaleListener.NONE);
                if (result.channels() != work.channels()) result = ImageAdapter.convertChannels(result, work.channels());
                TileGrid.paste(result, work, wy, wx, todo);
                for (int ty = 0; ty < side && wy + ty < wh; ty++)
                    for (int tx = 0; tx < side && wx + tx < ww; tx++) if (todo[ty * side + tx]) filled[(wy + ty) * ww + wx + tx] = true;
            }
            progress.progress("windows", ++done, windows.size());
        }
        Image back = wh == h && ww == w ? work : ImageAdapter.resize(work, h, w);
        float[] out = back.data();
        int plane = h * w;
        for (int c = 0; c < image.channels(); c++)
            for (int i = 0; i < plane; i++) if (!regenerate[i]) out[c * plane + i] = image.data()[c * plane + i];   // kept: bit for bit
        return new Image(image.channels(), h, w, out);
    }

    /** Window origins over the pixels to regenerate, in the order they are done (nearest to known pixels first). */
    static List<int[]> plan(boolean[] regen, int h, int w, int side) {
        int[] box = bbox(regen, h, w);
        int[] ys = starts(box[0], box[2], h, side), xs = starts(box[1], box[3], w, side);
        int[] dist = distanceToKept(regen, h, w);
        List<double[]> scored = new ArrayList<>();
        for (int y0 : ys)
            for (int x0 : xs) {
                long sum = 0;
                int n = 0;
                for (int y = y0; y < Math.min(h, y0 + side); y++)
                    for (int x = x0; x < Math.min(w, x0 + side); x++)
                        if (regen[y * w + x]) {
                            sum += dist[y * w + x];
                            n++;
                        }
                if (n > 0) scored.add(new double[] {(double) sum / n, y0, x0});
            }
        scored.sort(Comparator.<double[]>comparingDouble(s -> s[0]).thenComparingDouble(s -> s[1]).thenComparingDouble(s -> s[2]));
        List<int[]> out = new ArrayList<>(scored.size());
        for (double[] s : scored) out.add(new int[] {(int) s[1], (int) s[2]});
        return out;
    }

    /** Window starts on an axis over [a, b): one window centred on it when it fits, else a grid over it and S/4 around. */
    private static int[] starts(int a, int b, int length, int side) {
        if (b - a <= side) return new int[] {Math.max(0, Math.min(length - side, (a + b - side) / 2))};
        int lo = Math.max(0, a - side / 4), hi = Math.min(length, b + side / 4);
        int[] s = TileGrid.starts(hi - lo, side, side / 4);
        for (int i = 0; i < s.length; i++) s[i] += lo;
        return s;
    }

    /** Rows [y0, y1) and columns [x0, x1) holding every marked pixel: {y0, x0, y1, x1}. */
    private static int[] bbox(boolean[] marked, int h, int w) {
        int y0 = h, x0 = w, y1 = 0, x1 = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                if (marked[y * w + x]) {
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y + 1);
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x + 1);
                }
        return new int[] {y0, x0, y1, x1};
    }

    /** Chessboard distance of every marked pixel to the nearest unmarked one (two passes); 0 on unmarked pixels. */
    static int[] distanceToKept(boolean[] marked, int h, int w) {
        int big = h + w;
        int[] d = new int[h * w];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (!marked[i]) continue;
                int v = big;
                if (y > 0) {
                    v = Math.min(v, d[i - w] + 1);
                    if (x > 0) v = Math.min(v, d[i - w - 1] + 1);
                    if (x + 1 < w) v = Math.min(v, d[i - w + 1] + 1);
                }
                if (x > 0) v = Math.min(v, d[i - 1] + 1);
                d[i] = v;
            }
        for (int y = h - 1; y >= 0; y--)
            for (int x = w - 1; x >= 0; x--) {
                int i = y * w + x;
                if (!marked[i]) continue;
                int v = d[i];
                if (y + 1 < h) {
                    v = Math.min(v, d[i + w] + 1);
                    if (x + 1 < w) v = Math.min(v, d[i + w + 1] + 1);
                    if (x > 0) v = Math.min(v, d[i + w - 1] + 1);
                }
                if (x + 1 < w) v = Math.min(v, d[i + 1] + 1);
                d[i] = v;
            }
        return d;
    }

    private static int count(boolean[] b) {
        int n = 0;
        for (boolean v : b) if (v) n++;
        return n;
    }
}
