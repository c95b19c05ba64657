package org.nextscale.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import org.nextscale.core.api.ValueRange;

/**
 * Random square patches of the model's side cut from {@link SourceImages}, as CSBDeep (CARE) makes training data
 * from a few large images, with a validation split that no patch straddles.
 * <ul>
 *   <li><b>Split</b> (fraction {@code val}, a fixed seed, the same for tokenizer and transformer runs): with at least
 *       1/val pages, round(val x pages) whole pages are held out; with fewer, the bottom val fraction of every page's
 *       rows (at least one patch side) is, and training patches lie wholly above it. A page too short for both parts
 *       trains whole.</li>
 *   <li><b>Foreground filter</b> ({@code foreground} = t, 0 = off; CSBDeep's {@code no_background_patches}): a patch is
 *       drawn only where the page, max-filtered over a window of half the patch side, exceeds t times the page's
 *       99.9th percentile at the patch's centre, so empty background does not dominate.</li>
 *   <li><b>Drawing</b>: uniform over every allowed patch position of the training part, fresh for every step, a pure
 *       function of (seed, step), so a resumed run draws the same patches; optionally flipped ({@link Augment#FLIP}) or
 *       any of the 8 flips and 90-degree rotations ({@link Augment#DIHEDRAL}).</li>
 * </ul>
 */
public final class Patches {
    public enum Augment { NONE, FLIP, DIHEDRAL }

    /** The split's seed: fixed, so every run on the same data holds out the same part. */
    static final long SPLIT_SEED = 0x5A117L;
    private static final long PATCH_STREAM = 0x9A7CL, VAL_STREAM = 0x7A1L;

    /** Rows [y0, y1) of a page from which patches may be drawn, and its allowed top-left positions. */
    private static final class Region {
        final int page, y0, rows, cols;      // rows x cols top-left positions
        final BitSet allowed;                 // row-major over (rows, cols)
        final long[] before;                  // allowed positions in rows before r
        final long count;

        Region(int page, int y0, int rows, int cols, BitSet allowed) {
            this.page = page;
            this.y0 = y0;
            this.rows = rows;
            this.cols = cols;
            this.allowed = allowed;
            before = new long[rows + 1];
            for (int r = 0; r < rows; r++) before[r + 1] = before[r] + allowed.get(r * cols, (r + 1) * cols).cardinality();
            count = before[rows];
        }

        /** The k-th allowed position (0-based): {y, x} in page pixels. */
        int[] position(long k) {
            int r = locate(before, k);
            long skip = k - before[r];
            int bit = allowed.nextSetBit(r * cols);
            for (long i = 0; i < skip; i++) bit = allowed.nextSetBit(bit + 1);
            return new int[] {y0 + r, bit - r * cols};
        }
    }

    /** The part k (0-based) of a cumulative count falls in: the largest i with before[i] <= k (empty parts are skipped). */
    static int locate(long[] before, long k) {
        int lo = 0, hi = before.length - 1;              // before[0] <= k < before[last]
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (before[mid] <= k) lo = mid; else hi = mid;
        }
        return lo;
    }

    private final SourceImages source;
    private final int side;
    private final Augment augment;
    private final List<Region> train = new ArrayList<>(), validation = new ArrayList<>();
    private final long[] trainBefore;
    private final long trainCount;
    private final String split;

    /** @param valGiven whether val was given explicitly: a default split that cannot be made is dropped with a note, a given one is refused */
    public Patches(SourceImages source, int side, double val, boolean valGiven, double foreground, Augment augment) {
        this.source = source;
        this.side = side;
        this.augment = augment;
        List<SourceImages.Page> pages = source.pages();
        for (SourceImages.Page p : pages)
            if (p.height() < side || p.width() < side)
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s is %dx%d px at this scale, smaller than the model's %d px patches: "
                        + "use a smaller scale, leave it out, or train a smaller model", p.name(), p.width(), p.height(), side));
        int n = pages.size();
        boolean[] heldOut = new boolean[n];
        int[] trainRows = new int[n];                       // rows of each page for training (the rest is validation)
        Arrays.fill(trainRows, -1);
        if (val > 0 && n >= Math.ceil(1 / val - 1e-9)) {
            int k = (int) Math.max(1, Math.min(n - 1, Math.round(val * n)));
            int[] perm = SeededRandom.of(SPLIT_SEED).permutation(n);
            for (int i = 0; i < k; i++) heldOut[perm[i]] = true;
            split = k + " of " + n + " images held out whole for validation";
        } else if (val > 0) {
            int strips = 0;
            for (int i = 0; i < n; i++) {
                int h = pages.get(i).height(), hv = Math.max(side, (int) Math.round(val * h));
                if (h - hv >= side) { trainRows[i] = h - hv; strips++; }
            }
            if (strips == 0 && n < 2 && !valGiven) {
                split = "no validation split (" + pages.get(0).name() + " is too small to hold a part out; give val to be told why)";
            } else if (strips == 0) {
                if (n < 2) throw new IllegalArgumentException(String.format(Locale.ROOT, "%s is too small to hold out a validation part (%d px tall, "
                        + "patches of %d px): give more or larger images, or val=0 to train without validation", pages.get(0).name(), pages.get(0).height(), side));
                heldOut[SeededRandom.of(SPLIT_SEED).nextInt(n)] = true;
                split = "1 of " + n + " images held out whole for validation (too short to split)";
            } else {
                split = String.format(Locale.ROOT, "the bottom %.0f%% of the rows of %d of %d images held out for validation", val * 100, strips, n);
            }
        } else {
            split = "no validation split (val=0)";
        }
        for (int i = 0; i < n; i++) {
            SourceImages.Page p = pages.get(i);
            float[] mean = foreground > 0 ? channelMean(p) : null;
            float threshold = foreground > 0 ? (float) (foreground * ValueRange.percentile(mean, 99.9)) : -1f;
            float[] maxed = foreground > 0 ? maxFilter(mean, p.height(), p.width(), Math.max(1, side / 2)) : null;
            if (heldOut[i]) validation.add(region(p, i, 0, p.height(), maxed, threshold));
            else if (trainRows[i] < 0) train.add(region(p, i, 0, p.height(), maxed, threshold));
            else {
                train.add(region(p, i, 0, trainRows[i], maxed, threshold));
                validation.add(region(p, i, trainRows[i], p.height(), maxed, threshold));
            }
        }
        trainBefore = new long[train.size() + 1];
        for (int i = 0; i < train.size(); i++) trainBefore[i + 1] = trainBefore[i] + train.get(i).count;
        trainCount = trainBefore[train.size()];
        if (trainCount == 0)
            throw new IllegalArgumentException(String.format(Locale.ROOT, "no training patch passes the foreground filter (foreground=%s: the patch centre's "
                    + "neighbourhood must exceed that fraction of the image's 99.9th percentile): lower foreground, or 0 to turn the filter off", foreground));
    }

    private Region region(SourceImages.Page p, int page, int y0, int y1, float[] maxed, float threshold) {
        int rows = y1 - y0 - side + 1, cols = p.width() - side + 1;
        BitSet allowed = new BitSet(rows * cols);
        int half = side / 2;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                if (maxed == null || maxed[(y0 + r + half) * p.width() + c + half] > threshold) allowed.set(r * cols + c);
        return new Region(page, y0, rows, cols, allowed);
    }

    /** The page's mean over channels, (H, W) values in [0, 1]. */
    private static float[] channelMean(SourceImages.Page p) {
        int plane = p.height() * p.width();
        float[] mean = new float[plane];
        for (int c = 0; c < p.channels(); c++)
            for (int i = 0; i < plane; i++) mean[i] += p.values()[c * plane + i] / 65535f / p.channels();
        return mean;
    }

    /** {@code mean} (H, W), max-filtered over a (window x window) square centred on each pixel. */
    private static float[] maxFilter(float[] mean, int h, int w, int window) {
        int lo = window / 2, hi = window - 1 - lo;
        float[] rows = new float[h * w], out = new float[h * w];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                float m = Float.NEGATIVE_INFINITY;
                for (int d = Math.max(0, x - lo); d <= Math.min(w - 1, x + hi); d++) m = Math.max(m, mean[y * w + d]);
                rows[y * w + x] = m;
            }
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                float m = Float.NEGATIVE_INFINITY;
                for (int d = Math.max(0, y - lo); d <= Math.min(h - 1, y + hi); d++) m = Math.max(m, rows[d * w + x]);
                out[y * w + x] = m;
            }
        return out;
    }

    public int side() {
        return side;
    }

    public int channels() {
        return source.pages().get(0).channels();
    }

    public List<String> classNames() {
        return source.classNames();
    }

    /** Allowed training patch positions (each a distinct patch before augmentation). */
    public long trainPositions() {
        return trainCount;
    }

    /** Training pixels without overlap, in patches: the training area over the patch area. */
    public long distinctPatches() {
        long area = 0;
        for (Region r : train) area += (long) (r.rows + side - 1) * (r.cols + side - 1);
        return area / ((long) side * side);
    }

    public boolean hasValidation() {
        return validation.stream().anyMatch(r -> r.count > 0);
    }

    public String split() {
        return split;
    }

    /** Which page each training / validation region comes from, and its rows: {page, y0, y1, isValidation}. */
    public List<int[]> regions() {
        List<int[]> out = new ArrayList<>();
        for (Region r : train) out.add(new int[] {r.page, r.y0, r.y0 + r.rows + side - 1, 0});
        for (Region r : validation) out.add(new int[] {r.page, r.y0, r.y0 + r.rows + side - 1, 1});
        return out;
    }

    /** One batch of patches: (B, C, side, side) values in [-1, 1], each patch's class and {page, y, x, transform}. */
    public record Batch(float[] pixels, long[] labels, int[][] origins) {}

    /** The training patches of step {@code step}: a pure function of (seed, step). */
    public Batch batch(long seed, long step, int batch) {
        SeededRandom r = SeededRandom.of(seed, PATCH_STREAM, step);
        int c = channels(), n = c * side * side;
        float[] px = new float[batch * n];
        long[] labels = new long[batch];
        int[][] origins = new int[batch][];
        for (int i = 0; i < batch; i++) {
            long k = Math.floorMod(r.nextLong(), trainCount);
            int ri = locate(trainBefore, k);
            Region reg = train.get(ri);
            int[] yx = reg.position(k - trainBefore[ri]);
            int t = switch (augment) {
                case NONE -> 0;
                case FLIP -> r.nextBoolean() ? 4 : 0;
                case DIHEDRAL -> r.nextInt(8);
            };
            cut(reg.page, yx[0], yx[1], t, px, i * n);
            labels[i] = source.pages().get(reg.page).label();
            origins[i] = new int[] {reg.page, yx[0], yx[1], t};
        }
        return new Batch(px, labels, origins);
    }

    /** The validation patches: at most {@code max}, drawn once from the held-out part with a fixed seed, not augmented. */
    public Batch validation(int max) {
        long total = 0;
        for (Region v : validation) total += v.count;
        if (total == 0) return new Batch(new float[0], new long[0], new int[0][]);
        int count = (int) Math.min(max, total);
        SeededRandom r = SeededRandom.of(SPLIT_SEED, VAL_STREAM);
        int c = channels(), n = c * side * side;
        float[] px = new float[count * n];
        long[] labels = new long[count];
        int[][] origins = new int[count][];
        java.util.Set<Long> drawn = new java.util.HashSet<>();
        for (int i = 0; i < count; i++) {
            long k = Math.floorMod(r.nextLong(), total);
            while (!drawn.add(k)) k = Math.floorMod(r.nextLong(), total);   // distinct positions (count <= total)
            Region reg = null;
            for (Region v : validation) {
                if (k < v.count) { reg = v; break; }
                k -= v.count;
            }
            int[] yx = reg.position(k);
            cut(reg.page, yx[0], yx[1], 0, px, i * n);
            labels[i] = source.pages().get(reg.page).label();
            origins[i] = new int[] {reg.page, yx[0], yx[1], 0};
        }
        return new Batch(px, labels, origins);
    }

    /** Copies the patch at (y, x) of a page, transformed by t (rotation t & 3 quarter turns, then a left-right flip if t >= 4), as [-1, 1] values. */
    private void cut(int page, int y, int x, int t, float[] out, int offset) {
        SourceImages.Page p = source.pages().get(page);
        int s = side, plane = p.height() * p.width();
        for (int c = 0; c < p.channels(); c++)
            for (int oy = 0; oy < s; oy++)
                for (int ox = 0; ox < s; ox++) {
                    int fx = t >= 4 ? s - 1 - ox : ox, sy, sx;
                    switch (t & 3) {
                        case 1 -> { sy = fx; sx = s - 1 - oy; }
                        case 2 -> { sy = s - 1 - oy; sx = s - 1 - fx; }
                        case 3 -> { sy = s - 1 - fx; sx = oy; }
                        default -> { sy = oy; sx = fx; }
                    }
                    out[offset + (c * s + oy) * s + ox] = p.values()[c * plane + (y + sy) * p.width() + x + sx] / 65535f * 2f - 1f;
                }
    }
}
