package org.nextscale.core.model;

import java.util.Locale;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.EditMask;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.PixelScale;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.eval.ImageMetrics;
import org.nextscale.core.tiling.Tiles;

/**
 * Whether an image is of the kind a model knows, judged as cheaply as it can be: how well the model's tokenizer
 * reconstructs the image (or the part an edit works on), against how well it reconstructed its own validation data.
 * An image far from the training data (a ramp for a clothing model) comes back much worse, and an edit of it fills
 * with the training data's look; the front ends say so in one line, without stopping the work.
 */
public final class Familiarity {
    /** The warning is given when the image's reconstruction is this many dB below the model's validation PSNR. */
    public static final double MARGIN_DB = 6;

    private Familiarity() {}

    /** The one-line warning for a reconstruction PSNR, or null when the image looks familiar or the model does not say what is. */
    public static String warning(ModelCard card, double psnrDb) {
        if (card == null || Double.isNaN(card.validationPsnrDb()) || !(psnrDb < card.validationPsnrDb() - MARGIN_DB)) return null;
        return String.format(Locale.ROOT, "this image is unlike what %s was trained on%s: its tokenizer reconstructs it at %.1f dB, against %.1f dB on "
                        + "its own validation data, so results will look like that data rather than like this image; train a model on images like "
                        + "yours (docs/training.md, \"Your own images\")", card.name(), card.trainedOn().isEmpty() ? "" : " (" + card.trainedOn() + ")",
                psnrDb, card.validationPsnrDb());
    }

    /**
     * The reconstruction PSNR of what an edit of {@code area} works on: the area's bounding box grown to at least one
     * model window (at {@code scale}) around it, reconstructed as {@link Tiles#reconstruct} would.
     */
    public static double contextPsnr(VarModel m, Image img, EditMask area, PixelScale scale, CancelToken cancel) {
        int h = img.height(), w = img.width(), y0 = h, x0 = w, y1 = -1, x1 = -1;
        boolean[] sel = area.selected();
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                if (sel[y * w + x]) { y0 = Math.min(y0, y); x0 = Math.min(x0, x); y1 = Math.max(y1, y); x1 = Math.max(x1, x); }
        if (y1 < 0) { y0 = 0; x0 = 0; y1 = h - 1; x1 = w - 1; }
        int side = (int) Math.ceil(m.imageSize() * (scale.fit() ? Math.max(h, w) / (double) m.imageSize() : scale.factor()));
        int cy = (y0 + y1) / 2, cx = (x0 + x1) / 2, hh = Math.max(side, y1 - y0 + 1), ww = Math.max(side, x1 - x0 + 1);
        int top = Math.max(0, Math.min(h - Math.min(h, hh), cy - hh / 2)), left = Math.max(0, Math.min(w - Math.min(w, ww), cx - ww / 2));
        Image crop = region(img, top, left, Math.min(h, hh), Math.min(w, ww));
        Image rec = Tiles.reconstruct(m, crop, scale.fit() ? PixelScale.FIT : scale, ProgressListener.NONE, cancel);
        return ImageMetrics.psnr(crop, rec);
    }

    /** The h x w part of the image from (top, left). */
    private static Image region(Image img, int top, int left, int h, int w) {
        if (top == 0 && left == 0 && h == img.height() && w == img.width()) return img;
        int c = img.channels();
        float[] out = new float[c * h * w];
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < h; y++)
                System.arraycopy(img.data(), (ch * img.height() + top + y) * img.width() + left, out, (ch * h + y) * w, w);
        return new Image(c, h, w, out);
    }
}
