package org.nextscale.imagej;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import java.util.ArrayList;
import java.util.List;
import org.nextscale.core.api.TokenPyramid;
import org.nextscale.core.render.Render;

/** Shows a {@link TokenPyramid}: one RGB slice per scale (colours from the core's Render, as everywhere), and a table with one row per token. */
public final class TokenMaps {
    private TokenMaps() {}

    /** One slice per scale, each token map enlarged (nearest neighbour) to {@code side} pixels, a colour per token id. */
    public static ImagePlus stack(TokenPyramid p, int side, String title) {
        List<String> labels = new ArrayList<>();
        for (int k = 0; k < p.numScales(); k++) labels.add("scale " + (k + 1) + " (" + p.sides().get(k) + "x" + p.sides().get(k) + ")");
        return ImageConversion.stack(Render.pyramid(p, side), title, labels);
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
}
