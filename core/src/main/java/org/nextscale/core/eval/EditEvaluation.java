package org.nextscale.core.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.EditMask;
import org.nextscale.core.api.EditMode;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.PixelScale;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.api.ScaleListener;
import org.nextscale.core.api.SeamMode;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.data.LabeledImages;
import org.nextscale.core.tiling.EditWindows;
import org.nextscale.core.tiling.Seams;

/**
 * How good edits are, on Fashion-MNIST test images (the {@code eval --edits N} section):
 * <ul>
 *   <li>In-painting: the centre box (rows and columns 0.25-0.75, 14 x 14 px of 28) of N test images regenerated,
 *       conditioned on the image's class. FD of the in-painted images to the real ones in the classifier's
 *       features, with each {@link SeamMode}; the floor is the same images with the box replaced by the tokenizer's
 *       reconstruction of it (the best an in-paint through this tokenizer can be expected to reach).</li>
 *   <li>Seams: {@link Seams#score} pooled over the N images (1 = steps across the box's border as in the real image),
 *       for each seam mode and for the reconstruction-pasted floor.</li>
 *   <li>Large images: one garment cell of a 320 x 256 mosaic of test images in-painted at the image's own scale and
 *       fitted whole, for 10 cells: the fill's detail (mean |Laplacian|) over that of its surroundings (the 3 x 3 cells
 *       around it, less the selection); 1 = as detailed as the image around it.</li>
 * </ul>
 */
public final class EditEvaluation {
    private EditEvaluation() {}

    public static Map<String, Object> evaluate(VarModel model, LabeledImages test, Classifier classifier, int n, long seed,
                                               ProgressListener progress, CancelToken cancel) {
        int[] idx = Evaluator.balancedSubset(test, n, seed + 2);
        int side = test.height();
        EditMask box = EditMask.box(side, test.width(), 0.25, 0.25, 0.75, 0.75);
        List<float[]> real = new ArrayList<>(), blend = new ArrayList<>(), plain = new ArrayList<>(), floor = new ArrayList<>();
        double[] seamBlend = new double[2], seamPlain = new double[2], seamFloor = new double[2];
        progress.progress("edit test images", 0, idx.length);
        for (int i = 0; i < idx.length; i++) {
            cancel.check();
            Image img = new Image(1, side, test.width(), test.images()[idx[i]]);
            SampleOptions o = SampleOptions.defaults().withClass(test.labels()[idx[i]]).withCount(1).withSeed(seed + i);
            Image b = model.edit(img, box, EditMode.INPAINT, o, SeamMode.BLEND, ProgressListener.NONE, cancel, ScaleListener.NONE);
            Image p = model.edit(img, box, EditMode.INPAINT, o, SeamMode.PLAIN, ProgressListener.NONE, cancel, ScaleListener.NONE);
            Image f = Seams.compose(img, model.reconstruct(img), box.selected(), SeamMode.PLAIN);
            real.add(img.data());
            blend.add(b.data());
            plain.add(p.data());
            floor.add(f.data());
            add(seamBlend, Seams.borderSteps(b, img, box.selected()));
            add(seamPlain, Seams.borderSteps(p, img, box.selected()));
            add(seamFloor, Seams.borderSteps(f, img, box.selected()));
            progress.progress("edit test images", i + 1, idx.length);
        }
        float[][] realF = classifier.classify(real, 250).features();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("n", idx.length);
        out.put("box", "0.25,0.25,0.75,0.75");
        out.put("fd_inpaint_blend", Frechet.distance(classifier.classify(blend, 250).features(), realF));
        out.put("fd_inpaint_plain", Frechet.distance(classifier.classify(plain, 250).features(), realF));
        out.put("fd_inpaint_floor", Frechet.distance(classifier.classify(floor, 250).features(), realF));
        out.put("seam_blend", seamBlend[0] / seamBlend[1]);
        out.put("seam_plain", seamPlain[0] / seamPlain[1]);
        out.put("seam_floor", seamFloor[0] / seamFloor[1]);
        double[] detail = largeImageDetail(model, test, seed, progress, cancel);
        out.put("large_fill_detail_own_scale", detail[0]);
        out.put("large_fill_detail_fit", detail[1]);
        return out;
    }

    /** Mean over 10 cells of a 320 x 256 mosaic: the fill's detail over its surroundings', at the image's own scale and fitted whole. */
    static double[] largeImageDetail(VarModel model, LabeledImages test, long seed, ProgressListener progress, CancelToken cancel) {
        int rows = 8, cols = 10, cell = model.imageSize(), h = rows * cell, w = cols * cell, pad = (cell - test.height()) / 2;
        int first = (int) Math.floorMod(seed * 7919, (long) test.size() - rows * cols);
        Image mosaic = test.mosaic(rows, cols, first, cell);
        double own = 0, fit = 0;
        int cells = 10;
        progress.progress("edit a large image", 0, cells);
        for (int k = 0; k < cells; k++) {
            cancel.check();
            int r = 1 + k % (rows - 2), c = 1 + (k * 3) % (cols - 2);
            EditMask sel = EditMask.rect(h, w, c * cell + pad, r * cell + pad, test.width(), test.height());
            boolean[] around = new boolean[h * w];
            for (int y = (r - 1) * cell; y < (r + 2) * cell; y++)
                for (int x = (c - 1) * cell; x < (c + 2) * cell; x++) around[y * w + x] = !sel.selected()[y * w + x];
            double surroundings = Seams.detail(mosaic, around);
            SampleOptions o = SampleOptions.defaults().withClass(test.labels()[first + r * cols + c]).withCount(1).withSeed(seed + k);
            own += Seams.detail(EditWindows.edit(model, mosaic, sel, EditMode.INPAINT, o, SeamMode.BLEND, PixelScale.AUTO, ProgressListener.NONE,
                    cancel, ScaleListener.NONE), sel.selected()) / surroundings;
            fit += Seams.detail(EditWindows.edit(model, mosaic, sel, EditMode.INPAINT, o, SeamMode.BLEND, PixelScale.FIT, ProgressListener.NONE,
                    cancel, ScaleListener.NONE), sel.selected()) / surroundings;
            progress.progress("edit a large image", k + 1, cells);
        }
        return new double[] {own / cells, fit / cells};
    }

    /** The section as table lines. */
    public static String table(Map<String, Object> e) {
        return String.format(Locale.ROOT, """
                edits (in-paint of the centre box of %s test images, class-conditioned):
                  FD of in-painted images     blend %.3f   plain %.3f   floor (box = tokenizer reconstruction) %.3f
                  seam score (1 = as real)    blend %.3f   plain %.3f   floor %.3f
                  large image (320x256): fill detail over surroundings  own scale %.3f   fit whole %.3f
                """, e.get("n"), e.get("fd_inpaint_blend"), e.get("fd_inpaint_plain"), e.get("fd_inpaint_floor"), e.get("seam_blend"),
                e.get("seam_plain"), e.get("seam_floor"), e.get("large_fill_detail_own_scale"), e.get("large_fill_detail_fit"));
    }

    /**
     * In-painting on images of the user's own kind (held out from training), at their own scale: {@code n} square boxes
     * of the model's side, each centred on the brightest of 16 candidate places (where objects are; images taken in turn),
     * regenerated unconditionally with seam blending. Reports whether every pixel outside the boxes came back bit for bit,
     * the seam score, and the fill's detail over that of the box's surroundings (a ring of half a box around it; 1 = as
     * detailed as the image around it).
     */
    public static Map<String, Object> onImages(VarModel model, List<Image> images, int n, long seed, ProgressListener progress, CancelToken cancel) {
        int side = model.imageSize();
        double detail = 0, changedOutside = 0;
        double[] seams = new double[2];
        progress.progress("edit held-out images", 0, n);
        org.nextscale.core.data.SeededRandom r = org.nextscale.core.data.SeededRandom.of(seed, 0xED17L);
        for (int k = 0; k < n; k++) {
            cancel.check();
            Image img = images.get(k % images.size());
            int h = img.height(), w = img.width(), m = side / 2;
            if (h < 2 * side || w < 2 * side)
                throw new IllegalArgumentException(String.format(Locale.ROOT, "a held-out image of %dx%d px is too small to edit at its own scale with a %d px model "
                        + "(at least %d px a side)", w, h, side, 2 * side));
            int bx = 0, by = 0;
            double best = -1;
            for (int c = 0; c < 16; c++) {                                   // the brightest candidate box holds an object
                int x = m + r.nextInt(w - side - 2 * m + 1), y = m + r.nextInt(h - side - 2 * m + 1);
                double mean = 0;
                for (int yy = y; yy < y + side; yy++) for (int xx = x; xx < x + side; xx++) mean += img.get(0, yy, xx);
                if (mean > best) { best = mean; bx = x; by = y; }
            }
            EditMask sel = EditMask.rect(h, w, bx, by, side, side);
            boolean[] around = new boolean[h * w];
            for (int y = by - m; y < by + side + m; y++)
                for (int x = bx - m; x < bx + side + m; x++) around[y * w + x] = !sel.selected()[y * w + x];
            SampleOptions o = SampleOptions.defaults().withClass(-1).withCount(1).withSeed(seed + k);
            Image out = EditWindows.edit(model, img, sel, EditMode.INPAINT, o, SeamMode.BLEND, PixelScale.AUTO, ProgressListener.NONE, cancel,
                    ScaleListener.NONE);
            for (int i = 0; i < img.data().length; i++)
                if (!sel.selected()[i % (h * w)] && out.data()[i] != img.data()[i]) changedOutside++;
            detail += Seams.detail(out, sel.selected()) / Math.max(1e-9, Seams.detail(img, around));
            add(seams, Seams.borderSteps(out, img, sel.selected()));
            progress.progress("edit held-out images", k + 1, n);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("n", n);
        out.put("box_side", side);
        out.put("pixels_changed_outside", (long) changedOutside);
        out.put("seam_blend", seams[0] / seams[1]);
        out.put("fill_detail_over_surroundings", detail / n);
        return out;
    }

    /** The held-out section as table lines. */
    public static String imagesTable(Map<String, Object> e) {
        return String.format(Locale.ROOT, """
                edits of held-out images at their own scale (%s boxes of %s px, unconditional, seam blend):
                  pixels changed outside the boxes   %s
                  seam score (1 = as real)           %.3f
                  fill detail over surroundings      %.3f
                """, e.get("n"), e.get("box_side"), e.get("pixels_changed_outside"), e.get("seam_blend"), e.get("fill_detail_over_surroundings"));
    }

    private static void add(double[] acc, double[] s) {
        acc[0] += s[0];
        acc[1] += s[1];
    }
}
