package org.nextscale.imagej;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.ResultsTable;
import ij.process.ColorProcessor;
import java.awt.Color;
import org.nextscale.core.api.TokenPyramid;

/** Shows a {@link TokenPyramid}: one RGB slice per scale, and a table with one row per token. */
public final class TokenMaps {
    private TokenMaps() {}

    /** One slice per scale, each token map enlarged (nearest neighbour) to {@code side} pixels, a colour per token id. */
    public static ImagePlus stack(TokenPyramid p, int side, String title) {
        ImageStack stack = new ImageStack(side, side);
        for (int k = 0; k < p.numScales(); k++) {
            int pn = p.sides().get(k);
            int[] ids = p.tokens().get(k);
            int[] px = new int[side * side];
            for (int y = 0; y < side; y++)
                for (int x = 0; x < side; x++) px[y * side + x] = colour(ids[(y * pn / side) * pn + x * pn / side]);
            stack.addSlice("scale " + (k + 1) + " (" + pn + "x" + pn + ")", new ColorProcessor(side, side, px));
        }
        return new ImagePlus(title, stack);
    }

    /** Columns Scale (1-based), Side, Y, X, Token: one row per token, scales in order, rows top to bottom. */
    public static ResultsTable table(TokenPyramid p) {
        ResultsTable t = new ResultsTable();
        for (int k = 0; k < p.numScales(); k++) {
            int pn = p.sides().get(k);
            int[] ids = p.tokens().get(k);
            for (int i = 0; i < ids.length; i++) {
                t.incrementCounter();
                t.addValue("Scale", k + 1);
                t.addValue("Side", pn);
                t.addValue("Y", i / pn);
                t.addValue("X", i % pn);
                t.addValue("Token", ids[i]);
            }
        }
        return t;
    }

    /** A fixed, well-spread colour per token id (golden-ratio hues, alternating brightness). */
    static int colour(int id) {
        float hue = (float) ((id * 0.6180339887498949) % 1.0);
        float brightness = (id & 1) == 0 ? 0.95f : 0.7f;
        float saturation = (id & 2) == 0 ? 0.85f : 0.55f;
        return Color.HSBtoRGB(hue, saturation, brightness) | 0xff000000;
    }
}
