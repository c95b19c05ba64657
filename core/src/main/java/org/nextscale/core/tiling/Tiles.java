package org.nextscale.core.tiling;

import java.util.ArrayList;
import java.util.List;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.ImageAdapter;
import org.nextscale.core.api.PixelScale;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.TiledTokens;
import org.nextscale.core.api.TokenPyramid;
import org.nextscale.core.api.VarModel;

/**
 * Tokenize and reconstruct images of any size at a {@link PixelScale}. An image larger than the model is cut
 * into model-sized tiles (side S), sent through the tokenizer {@link #BATCH} at a time, and put back:
 * <ul>
 *   <li>reconstruct: tiles overlap by S/4 and are blended with weights that ramp up over the overlap, so no tile
 *       grid shows; the image is done one row of tiles at a time, and a row of pixels is written out as soon as no
 *       later tile touches it, so the working memory is a few tile rows, whatever the image's height;</li>
 *   <li>tokenize: tiles overlap only where the image is not a multiple of S (the last tile of a row or column ends
 *       at the border); each tile's token maps come with its place in the image ({@link TiledTokens}).</li>
 * </ul>
 * Progress counts tiles ("tiles"); the cancel token is checked before every batch.
 */
public final class Tiles {
    /** Tiles per tokenizer call: large enough to keep the engine busy, small enough to keep memory flat. */
    public static final int BATCH = 64;

    private Tiles() {}

    /** Tiles per model call: {@code requested}, or {@link #BATCH} when it is 0. */
    static int perCall(int requested) {
        if (requested < 0) throw new IllegalArgumentException("batch (tiles per model call) must be at least 1, or 0 for the default, got " + requested);
        return requested > 0 ? requested : BATCH;
    }

    /** The reconstruction of {@code image} (values in the model's units) at its own size. */
    public static Image reconstruct(VarModel m, Image image, PixelScale scale, ProgressListener progress, CancelToken cancel) {
        return reconstruct(m, image, scale, 0, progress, cancel);
    }

    /** {@link #reconstruct(VarModel, Image, PixelScale, ProgressListener, CancelToken)} with {@code batch} tiles per model call (0 = 64). */
    public static Image reconstruct(VarModel m, Image image, PixelScale scale, int batch, ProgressListener progress, CancelToken cancel) {
        ImageAdapter.check(image);
        int side = m.imageSize();
        if (scale.whole(image.height(), image.width(), side)) {
            cancel.check();
            Image out = m.reconstruct(image);
            progress.progress("tiles", 1, 1);
            return out;
        }
        Image work = atScale(image, scale);
        Image rec = reconstructTiled(m, work, side, side / 8, perCall(batch), progress, cancel);
        return rec == work ? rec : ImageAdapter.resize(rec, image.height(), image.width());
    }

    /** The token maps of {@code image}, one pyramid per tile. */
    public static TiledTokens tokenize(VarModel m, Image image, PixelScale scale, ProgressListener progress, CancelToken cancel) {
        return tokenize(m, image, scale, 0, progress, cancel);
    }

    /** {@link #tokenize(VarModel, Image, PixelScale, ProgressListener, CancelToken)} with {@code batch} tiles per model call (0 = 64). */
    public static TiledTokens tokenize(VarModel m, Image image, PixelScale scale, int batch, ProgressListener progress, CancelToken cancel) {
        int per = perCall(batch);
        ImageAdapter.check(image);
        int side = m.imageSize();
        if (scale.whole(image.height(), image.width(), side)) {
            cancel.check();
            TiledTokens t = TiledTokens.whole(image.height(), image.width(), m.tokenize(image));
            progress.progress("tiles", 1, 1);
            return t;
        }
        Image work = atScale(image, scale);
        double f = (double) image.height() / work.height(), g = (double) image.width() / work.width();
        int[] ys = TileGrid.starts(work.height(), side, 0), xs = TileGrid.starts(work.width(), side, 0);
        List<TiledTokens.Tile> tiles = new ArrayList<>(ys.length * xs.length);
        List<int[]> places = new ArrayList<>();
        for (int r = 0; r < ys.length; r++)
            for (int c = 0; c < xs.length; c++) places.add(new int[] {r, c});
        long total = places.size();
        progress.progress("tiles", 0, total);
        for (int start = 0; start < places.size(); start += per) {
            cancel.check();
            List<int[]> group = places.subList(start, Math.min(places.size(), start + per));
            List<Image> cuts = new ArrayList<>(group.size());
            for (int[] rc : group) cuts.add(TileGrid.cut(work, ys[rc[0]], xs[rc[1]], side));
            List<TokenPyramid> tokens = m.tokenize(cuts);
            for (int i = 0; i < group.size(); i++) {
                int r = group.get(i)[0], c = group.get(i)[1];
                int y0 = (int) Math.round(ys[r] * f), x0 = (int) Math.round(xs[c] * g);
                int y1 = (int) Math.round(Math.min(work.height(), ys[r] + side) * f), x1 = (int) Math.round(Math.min(work.width(), xs[c] + side) * g);
                tiles.add(new TiledTokens.Tile(r, c, y0, x0, y1 - y0, x1 - x0, tokens.get(i)));
            }
            progress.progress("tiles", start + group.size(), total);
        }
        return new TiledTokens(image.height(), image.width(), ys.length, xs.length, List.copyOf(tiles));
    }

    /**
     * {@link #reconstruct} of several images, each back at its own size: the ones no larger than the model go through the
     * tokenizer together in one batch, larger ones tile by tile.
     */
    public static List<Image> reconstruct(VarModel m, List<Image> images, PixelScale scale, ProgressListener progress, CancelToken cancel) {
        List<Image> wholes = wholes(m, images, scale);
        java.util.Iterator<Image> batch = wholes.isEmpty() ? java.util.Collections.emptyIterator() : m.reconstruct(wholes).iterator();
        List<Image> out = new ArrayList<>(images.size());
        for (Image image : images)
            out.add(scale.whole(image.height(), image.width(), m.imageSize()) ? batch.next() : reconstruct(m, image, scale, progress, cancel));
        return out;
    }

    /** {@link #tokenize} of several images: the ones no larger than the model in one batch (one tile each), larger ones tile by tile. */
    public static List<TiledTokens> tokenize(VarModel m, List<Image> images, PixelScale scale, ProgressListener progress, CancelToken cancel) {
        List<Image> wholes = wholes(m, images, scale);
        java.util.Iterator<TokenPyramid> batch = wholes.isEmpty() ? java.util.Collections.emptyIterator() : m.tokenize(wholes).iterator();
        List<TiledTokens> out = new ArrayList<>(images.size());
        for (Image image : images)
            out.add(scale.whole(image.height(), image.width(), m.imageSize()) ? TiledTokens.whole(image.height(), image.width(), batch.next())
                    : tokenize(m, image, scale, progress, cancel));
        return out;
    }

    /** The images processed whole at {@code scale} (checked first, every one, so a bad image fails before any work). */
    private static List<Image> wholes(VarModel m, List<Image> images, PixelScale scale) {
        List<Image> wholes = new ArrayList<>();
        for (Image image : images) {
            ImageAdapter.check(image);
            if (scale.whole(image.height(), image.width(), m.imageSize())) wholes.add(image);
        }
        return wholes;
    }

    /** {@code image} resized to the working size of {@code scale} (the image itself at factor 1). */
    static Image atScale(Image image, PixelScale scale) {
        int[] hw = scale.workingSize(image.height(), image.width());
        return hw[0] == image.height() && hw[1] == image.width() ? image : ImageAdapter.resize(image, hw[0], hw[1]);
    }

    /**
     * Blended tiles ({@link TileGrid#blendedSpans}), one row of tiles at a time in the order they start: each tile's
     * reconstruction is added to the rows it covers with its weight (the product of its spans' weights along y and
     * x), and a row is written as soon as the next row of tiles starts below it. Rows are held only while open.
     */
    static Image reconstructTiled(VarModel m, Image img, int side, int band, int per, ProgressListener progress, CancelToken cancel) {
        int h = img.height(), w = img.width(), c = img.channels();
        List<TileGrid.Span> ys = TileGrid.blendedSpans(h, side, band), xs = TileGrid.blendedSpans(w, side, band);
        float[] out = new float[c * h * w];
        float[][] sum = new float[h][];                                  // open rows: (C * W) weighted sums
        long total = (long) ys.size() * xs.size(), done = 0;
        progress.progress("tiles", 0, total);
        int written = 0;
        for (int r = 0; r < ys.size(); r++) {
            TileGrid.Span row = ys.get(r);
            for (int start = 0; start < xs.size(); start += per) {
                cancel.check();
                int n = Math.min(per, xs.size() - start);
                List<Image> cuts = new ArrayList<>(n);
                for (int i = 0; i < n; i++) cuts.add(TileGrid.cut(img, row.start(), xs.get(start + i).start(), side));
                List<Image> recs = m.reconstruct(cuts);
                for (int i = 0; i < n; i++) add(recs.get(i), row, xs.get(start + i), sum, h, w);
                done += n;
                progress.progress("tiles", done, total);
            }
            int closed = r + 1 < ys.size() ? ys.get(r + 1).start() : h;
            for (; written < closed; written++) {
                for (int ch = 0; ch < c; ch++) System.arraycopy(sum[written], ch * w, out, (ch * h + written) * w, w);
                sum[written] = null;
            }
        }
        return new Image(c, h, w, out);
    }

    private static void add(Image tile, TileGrid.Span row, TileGrid.Span col, float[][] sum, int h, int w) {
        int side = tile.height(), c = tile.channels();
        for (int ty = 0; ty < side && row.start() + ty < h; ty++) {
            float wy = row.weight()[ty];
            if (wy == 0) continue;
            int y = row.start() + ty;
            if (sum[y] == null) sum[y] = new float[c * w];
            for (int tx = 0; tx < side && col.start() + tx < w; tx++) {
                float wt = wy * col.weight()[tx];
                if (wt == 0) continue;
                for (int ch = 0; ch < c; ch++) sum[y][ch * w + col.start() + tx] += wt * tile.get(ch, ty, tx);
            }
        }
    }
}
