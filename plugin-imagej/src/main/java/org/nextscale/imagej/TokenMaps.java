package org.nextscale.imagej;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import java.util.ArrayList;
import java.util.List;
import org.nextscale.core.api.TiledTokens;
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

    /**
     * A tiled image's token maps, one slice per scale: each tile's map enlarged to {@code side} / (tiles a row) pixels at most
     * and laid out as the tiles lie in the image (row by row); one tile gives {@link #stack(TokenPyramid, int, String)}.
     */
    public static ImagePlus stack(TiledTokens t, int side, String title) {
        if (t.tiles().size() == 1) return stack(t.tiles().get(0).tokens(), side, title);
        TokenPyramid first = t.tiles().get(0).tokens();
        int cell = Math.max(first.sides().get(first.numScales() - 1), Math.min(side, 2048 / Math.max(t.rows(), t.cols())));
        List<org.nextscale.core.api.Image> slices = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int k = 0; k < first.numScales(); k++) {
            int pn = first.sides().get(k);
            org.nextscale.core.api.Image sheet = org.nextscale.core.api.Image.zeros(3, t.rows() * cell, t.cols() * cell);
            for (TiledTokens.Tile tile : t.tiles()) {
                org.nextscale.core.api.Image map = Render.tokenMap(tile.tokens().tokens().get(k), pn, cell);
                for (int ch = 0; ch < 3; ch++)
                    for (int y = 0; y < cell; y++)
                        System.arraycopy(map.data(), (ch * cell + y) * cell, sheet.data(), (ch * sheet.height() + tile.row() * cell + y) * sheet.width()
                                + tile.col() * cell, cell);
            }
            slices.add(sheet);
            labels.add("scale " + (k + 1) + " (" + pn + "x" + pn + " per tile, " + t.rows() + "x" + t.cols() + " tiles)");
        }
        return ImageConversion.stack(slices, title, labels);
    }

    /** {@link #table(TokenPyramid)} for every tile, with the tile's grid place and its position in the image (pixels); one tile: that table. */
    public static ResultsTable table(TiledTokens t) {
        if (t.tiles().size() == 1) return table(t.tiles().get(0).tokens());
        ResultsTable out = new ResultsTable();
        for (TiledTokens.Tile tile : t.tiles()) {
            TokenPyramid p = tile.tokens();
            for (int k = 0; k < p.numScales(); k++) {
                int pn = p.sides().get(k);
                int[] ids = p.tokens().get(k);
                for (int i = 0; i < ids.length; i++) {
                    out.incrementCounter();
                    out.addValue("Tile_Row", tile.row());
                    out.addValue("Tile_Col", tile.col());
                    out.addValue("Tile_X", tile.x());
                    out.addValue("Tile_Y", tile.y());
                    out.addValue("Tile_Width", tile.width());
                    out.addValue("Tile_Height", tile.height());
                    out.addValue("Scale", k + 1);
                    out.addValue("Side", pn);
                    out.addValue("Y", i / pn);
                    out.addValue("X", i % pn);
                    out.addValue("Token", ids[i]);
                }
            }
        }
        return out;
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
