package org.nextscale.core.transformer;

import org.nextscale.core.api.EditMask;

/**
 * Keep masks of zero-shot editing (reference demo_zero_shot_edit.ipynb): a final-scale mask over the
 * last token grid, 1 = keep the edited image's token, 0 = let the model generate it, and from it one
 * mask per scale. Everything here is host arithmetic, reproducing the reference's float32 steps.
 */
public final class EditMasks {
    private EditMasks() {}

    /**
     * The reference's get_edit_mask: ones on rows [round(y0*side), round(y1*side)) and columns
     * [round(x0*side), round(x1*side)) with Python's round (half to even); inverted when in-painting (the
     * box is regenerated, the rest kept). Row-major (side*side) with values 0 or 1.
     */
    public static float[] box(int side, double y0, double x0, double y1, double x1, boolean inpainting) {
        int r0 = (int) Math.rint(y0 * side), r1 = (int) Math.rint(y1 * side);
        int c0 = (int) Math.rint(x0 * side), c1 = (int) Math.rint(x1 * side);
        float[] m = new float[side * side];
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++) {
                boolean inBox = y >= r0 && y < r1 && x >= c0 && x < c1;
                m[y * side + x] = inBox != inpainting ? 1f : 0f;
            }
        return m;
    }

    /**
     * A pixel mask on the final token grid: each token averages the selection over its pixels (adaptive
     * average pooling windows [floor(i*H/side), ceil((i+1)*H/side)), the same as area resizing). With
     * {@code keepSelected} (out-painting) a token is kept where more than half of its pixels are selected;
     * otherwise (in-painting, class editing: the selection is regenerated) where more than half of its
     * pixels are not selected. Row-major (side*side), 0 or 1.
     */
    public static float[] fromPixels(EditMask mask, int side, boolean keepSelected) {
        int h = mask.height(), w = mask.width();
        float[] m = new float[side * side];
        for (int ty = 0; ty < side; ty++) {
            int y0 = (int) Math.floor((double) ty * h / side), y1 = (int) Math.ceil((double) (ty + 1) * h / side);
            for (int tx = 0; tx < side; tx++) {
                int x0 = (int) Math.floor((double) tx * w / side), x1 = (int) Math.ceil((double) (tx + 1) * w / side);
                int selected = 0, total = 0;
                for (int y = y0; y < y1; y++)
                    for (int x = x0; x < x1; x++) {
                        total++;
                        if (mask.selected()[y * w + x]) selected++;
                    }
                double kept = (keepSelected ? selected : total - selected) / (double) total;
                m[ty * side + tx] = kept > 0.5 ? 1f : 0f;
            }
        }
        return m;
    }

    /**
     * The keep mask of a scale with pn x pn tokens (reference replace_embedding): the final mask resized
     * bilinearly (align_corners=False) in float32 and kept where > 0.5; a scale of at most 3 tokens keeps
     * them all. Row-major (pn*pn).
     */
    public static boolean[] forScale(float[] finalMask, int side, int pn) {
        boolean[] keep = new boolean[pn * pn];
        if (pn * pn <= 3) {
            java.util.Arrays.fill(keep, true);
            return keep;
        }
        float[] r = bilinear(finalMask, side, side, pn, pn);
        for (int i = 0; i < keep.length; i++) keep[i] = r[i] > 0.5f;
        return keep;
    }

    /**
     * PyTorch's CPU bilinear resize (align_corners=False, no antialias) in float32: per axis
     * scale = (float) in / out, src = scale * (i + 0.5) - 0.5 evaluated in double and not rounded to
     * float (so 8 -> 6 gives src = 5.5000002, not 5.5: the reference's masks depend on it), clamped at 0,
     * i0 = (int) src, i1 = min(i0 + 1, in - 1), w1 = (float) (src - i0), w0 = 1 - w1 (same size: a copy); output =
     * (x[i0,j0] w0x + x[i0,j1] w1x) w0y + (x[i1,j0] w0x + x[i1,j1] w1x) w1y, rounded at every step.
     */
    static float[] bilinear(float[] x, int inH, int inW, int outH, int outW) {
        int[] y0 = new int[outH], y1 = new int[outH];
        float[] wy0 = new float[outH], wy1 = new float[outH];
        taps(inH, outH, y0, y1, wy0, wy1);
        int[] x0 = new int[outW], x1 = new int[outW];
        float[] wx0 = new float[outW], wx1 = new float[outW];
        taps(inW, outW, x0, x1, wx0, wx1);
        float[] out = new float[outH * outW];
        for (int i = 0; i < outH; i++)
            for (int j = 0; j < outW; j++) {
                float top = x[y0[i] * inW + x0[j]] * wx0[j] + x[y0[i] * inW + x1[j]] * wx1[j];
                float bottom = x[y1[i] * inW + x0[j]] * wx0[j] + x[y1[i] * inW + x1[j]] * wx1[j];
                out[i * outW + j] = top * wy0[i] + bottom * wy1[i];
            }
        return out;
    }

    private static void taps(int in, int out, int[] i0, int[] i1, float[] w0, float[] w1) {
        float scale = (float) in / out;
        for (int i = 0; i < out; i++) {
            if (in == out) {
                i0[i] = i1[i] = i;
                w0[i] = 1f;
                w1[i] = 0f;
                continue;
            }
            double src = scale * (i + 0.5) - 0.5;   // float scale, double arithmetic, not rounded
            if (src < 0) src = 0;
            i0[i] = (int) src;
            i1[i] = i0[i] < in - 1 ? i0[i] + 1 : i0[i];
            w1[i] = (float) (src - i0[i]);
            w0[i] = 1f - w1[i];
        }
    }
}
