package org.nextscale.imagej;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;
import ij.process.LUT;
import ij.process.ShortProcessor;
import ij.measure.ResultsTable;
import java.util.ArrayList;
import java.util.List;
import org.nextscale.core.api.TiledTokens;
import org.nextscale.core.api.TokenPyramid;
import org.nextscale.core.render.Render;

/**
 * Shows a {@link TokenPyramid}: one slice per scale whose pixel values are the token ids (hovering a pixel shows its
 * token), coloured by a colour table of the core's token colours (as every front end colours tokens), and a table
 * with one row per token.
 */
public final class TokenMaps {
    private TokenMaps() {}

    /** One slice per scale, each token map enlarged (nearest neighbour) to {@code side} pixels; {@code vocab} = the codebook's size. */
    public static ImagePlus stack(TokenPyramid p, int side, String title, int vocab) {
        List<String> labels = new ArrayList<>();
        ImageStack stack = new ImageStack(side, side);
        for (int k = 0; k < p.numScales(); k++) {
            int pn = p.sides().get(k);
            int[] ids = p.tokens().get(k);
            ImageProcessor ip = processor(side, side, vocab);
            for (int y = 0; y < side; y++)
                for (int x = 0; x < side; x++) ip.set(x, y, ids[(y * pn / side) * pn + x * pn / side]);
            stack.addSlice("scale " + (k + 1) + " (" + pn + "x" + pn + ")", ip);
        }
        return colour(new ImagePlus(title, stack), vocab);
    }

    /**
     * A tiled image's token maps, one slice per scale: each tile's map enlarged to {@code side} / (tiles a row) pixels at most
     * and laid out as the tiles lie in the image (row by row); one tile gives {@link #stack(TokenPyramid, int, String, int)}.
     */
    public static ImagePlus stack(TiledTokens t, int side, String title, int vocab) {
        if (t.tiles().size() == 1) return stack(t.tiles().get(0).tokens(), side, title, vocab);
        TokenPyramid first = t.tiles().get(0).tokens();
        int cell = Math.max(first.sides().get(first.numScales() - 1), Math.min(side, 2048 / Math.max(t.rows(), t.cols())));
        ImageStack stack = new ImageStack(t.cols() * cell, t.rows() * cell);
        for (int k = 0; k < first.numScales(); k++) {
            int pn = first.sides().get(k);
            ImageProcessor sheet = processor(t.cols() * cell, t.rows() * cell, vocab);
            for (TiledTokens.Tile tile : t.tiles()) {
                int[] ids = tile.tokens().tokens().get(k);
                for (int y = 0; y < cell; y++)
                    for (int x = 0; x < cell; x++) sheet.set(tile.col() * cell + x, tile.row() * cell + y, ids[(y * pn / cell) * pn + x * pn / cell]);
            }
            stack.addSlice("scale " + (k + 1) + " (" + pn + "x" + pn + " per tile, " + t.rows() + "x" + t.cols() + " tiles)", sheet);
        }
        return colour(new ImagePlus(title, stack), vocab);
    }

    /** 8-bit when every id fits, else 16-bit. */
    private static ImageProcessor processor(int w, int h, int vocab) {
        return vocab <= 256 ? new ByteProcessor(w, h) : new ShortProcessor(w, h);
    }

    /** The token colour table over the ids 0..vocab-1 (16-bit: 256 colours spread over the ids, display range 0..vocab-1). */
    private static ImagePlus colour(ImagePlus imp, int vocab) {
        byte[] r = new byte[256], g = new byte[256], b = new byte[256];
        for (int i = 0; i < 256; i++) {
            int id = vocab <= 256 ? i : (int) Math.round(i * (vocab - 1) / 255.0);
            float[] c = Render.tokenColor(id);
            r[i] = (byte) Math.round(c[0] * 255);
            g[i] = (byte) Math.round(c[1] * 255);
            b[i] = (byte) Math.round(c[2] * 255);
        }
        LUT lut = new LUT(r, g, b);
        if (vocab > 256) lut.min = 0;
        imp.getProcessor().setLut(lut);
        imp.getStack().setColorModel(lut);
        if (vocab > 256) imp.setDisplayRange(0, vocab - 1);
        imp.setProp("token_ids", "pixel values are token ids 0.." + (vocab - 1) + ", coloured by the token colour table");
        return imp;
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
