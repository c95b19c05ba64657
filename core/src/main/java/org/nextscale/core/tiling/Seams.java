package org.nextscale.core.tiling;

import org.nextscale.core.api.Image;
import org.nextscale.core.api.SeamMode;

/**
 * Where an edit's regenerated pixels meet the kept ones: the seam score that measures it and the blend that
 * removes the step ({@link SeamMode}). Host arithmetic on {@link Image}s; {@code regenerated[y * w + x]} marks
 * the pixels the model made.
 */
public final class Seams {
    private Seams() {}

    /**
     * The pixel steps across the selection's border against the steps the reference image has at the same
     * places: mean |a(p) - a(q)| over 4-neighbour pairs with p regenerated and q kept, over all channels, divided
     * by the same mean in {@code reference} (the unedited image). 1 = as smooth as a real image there; a
     * visible seam scores above 1. NaN when the border has no pairs or the reference is flat along it.
     */
    public static double score(Image edited, Image reference, boolean[] regenerated) {
        double[] s = borderSteps(edited, reference, regenerated);
        return s[1] > 0 ? s[0] / s[1] : Double.NaN;
    }

    /** The summed border steps of {@code edited} and of {@code reference} (for pooling over many images). */
    public static double[] borderSteps(Image edited, Image reference, boolean[] regenerated) {
        int h = edited.height(), w = edited.width();
        double e = 0, r = 0;
        for (int c = 0; c < edited.channels(); c++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    boolean in = regenerated[y * w + x];
                    if (x + 1 < w && in != regenerated[y * w + x + 1]) {
                        e += Math.abs(edited.get(c, y, x) - edited.get(c, y, x + 1));
                        r += Math.abs(reference.get(c, y, x) - reference.get(c, y, x + 1));
                    }
                    if (y + 1 < h && in != regenerated[(y + 1) * w + x]) {
                        e += Math.abs(edited.get(c, y, x) - edited.get(c, y + 1, x));
                        r += Math.abs(reference.get(c, y, x) - reference.get(c, y + 1, x));
                    }
                }
        return new double[] {e, r};
    }

    /**
     * The edited image: {@code original} where kept, the model's {@code decoded} pixels where regenerated,
     * and with {@link SeamMode#BLEND} those plus the kept pixels' residual (original - decoded), filled smoothly into
     * the regenerated area and feathered over its outer 2 px ({@link #feather}: a fill that carried the residual
     * everywhere measured FD 2.81 against 2.61 plain, the feathered one 2.65 with the same seam score), kept within
     * [0, 1] or the kept pixels' own range where that is wider (so a fill never leaves the value range the image
     * has). Both images have the same size and channels.
     */
    public static Image compose(Image original, Image decoded, boolean[] regenerated, SeamMode mode) {
        int hw = original.height() * original.width();
        float[] out = decoded.data().clone();
        int[] distance = mode == SeamMode.BLEND ? EditWindows.distanceToKept(regenerated, original.height(), original.width()) : null;
        int band = 2;                                                        // px: the border pixel and its inner neighbour
        for (int c = 0; c < original.channels(); c++) {
            int off = c * hw;
            if (mode == SeamMode.BLEND) {
                float[] residual = new float[hw];
                float lo = 0f, hi = 1f;                 // the fill stays within the model's range, or the kept pixels' where wider
                for (int i = 0; i < hw; i++)
                    if (!regenerated[i]) {
                        float v = original.data()[off + i];
                        residual[i] = v - decoded.data()[off + i];
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                float[] fill = membrane(residual, regenerated, original.height(), original.width());
                for (int i = 0; i < hw; i++)
                    if (regenerated[i]) out[off + i] = Math.max(lo, Math.min(hi, out[off + i] + fill[i] * feather(distance[i], band)));
            }
            for (int i = 0; i < hw; i++) if (!regenerated[i]) out[off + i] = original.data()[off + i];
        }
        return new Image(original.channels(), original.height(), original.width(), out);
    }

    /** The share of the border residual a fill pixel takes at chessboard distance {@code d} from the kept pixels: 1 at the border, 0 past the band. */
    static float feather(int d, int band) {
        return Math.max(0f, 1f - (d - 1) / (float) band);
    }

    /**
     * Fills the unknown pixels of {@code v} (where {@code unknown}) from the known ones by push-pull: averages of
     * the known values on ever coarser grids, then from coarse to fine each unknown pixel takes the coarser
     * level's bilinear value (a smooth, membrane-like interpolation in O(pixels)). Known pixels keep their values.
     */
    static float[] membrane(float[] v, boolean[] unknown, int h, int w) {
        float[] weight = new float[h * w];
        float[] val = v.clone();
        boolean any = false;
        for (int i = 0; i < weight.length; i++) {
            weight[i] = unknown[i] ? 0f : 1f;
            any |= !unknown[i];
        }
        if (!any) return new float[h * w];
        return pushPull(val, weight, h, w);
    }

    private static float[] pushPull(float[] val, float[] weight, int h, int w) {
        if (h == 1 && w == 1) return val;
        int ch = (h + 1) / 2, cw = (w + 1) / 2;
        float[] cv = new float[ch * cw], cwt = new float[ch * cw];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int j = (y / 2) * cw + x / 2;
                cv[j] += val[y * w + x] * weight[y * w + x];
                cwt[j] += weight[y * w + x];
            }
        for (int j = 0; j < cv.length; j++) {
            cv[j] = cwt[j] > 0 ? cv[j] / cwt[j] : 0f;
            cwt[j] = Math.min(1f, cwt[j]);
        }
        float[] coarse = pushPull(cv, cwt, ch, cw);
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            double sy = Math.max(0, Math.min(ch - 1, (y + 0.5) / 2 - 0.5));
            int y0 = (int) sy, y1 = Math.min(y0 + 1, ch - 1);
            double fy = sy - y0;
            for (int x = 0; x < w; x++) {
                double sx = Math.max(0, Math.min(cw - 1, (x + 0.5) / 2 - 0.5));
                int x0 = (int) sx, x1 = Math.min(x0 + 1, cw - 1);
                double fx = sx - x0;
                double up = (1 - fy) * ((1 - fx) * coarse[y0 * cw + x0] + fx * coarse[y0 * cw + x1])
                        + fy * ((1 - fx) * coarse[y1 * cw + x0] + fx * coarse[y1 * cw + x1]);
                float wt = weight[y * w + x];
                out[y * w + x] = (float) (wt * val[y * w + x] + (1 - wt) * up);
            }
        }
        return out;
    }

    /** Mean absolute 4-neighbour Laplacian of channel 0 over the marked interior pixels: how much fine detail they hold. */
    public static double detail(Image img, boolean[] marked) {
        int h = img.height(), w = img.width();
        double sum = 0;
        int n = 0;
        for (int y = 1; y < h - 1; y++)
            for (int x = 1; x < w - 1; x++) {
                if (!marked[y * w + x]) continue;
                sum += Math.abs(4 * img.get(0, y, x) - img.get(0, y - 1, x) - img.get(0, y + 1, x) - img.get(0, y, x - 1) - img.get(0, y, x + 1));
                n++;
            }
        return n == 0 ? 0 : sum / n;
    }
}
