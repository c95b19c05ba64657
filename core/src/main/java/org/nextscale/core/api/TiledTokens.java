package org.nextscale.core.api;

import java.util.List;

/**
 * The token maps of an image of any size: one {@link TokenPyramid} per model-sized tile, with the part of the image
 * the tile covers ({@code y, x, height, width} in the input image's pixels; at a pixel scale other than 1 a tile
 * covers model side x scale pixels). Tiles are listed row by row; an image no larger than the model is one tile
 * covering all of it.
 */
public record TiledTokens(int height, int width, int rows, int cols, List<Tile> tiles) {

    /** Tile ({@code row}, {@code col}) of the grid, its place in the image, and its token maps. */
    public record Tile(int row, int col, int y, int x, int height, int width, TokenPyramid tokens) {}

    /** The one tile of an image processed whole. */
    public static TiledTokens whole(int height, int width, TokenPyramid tokens) {
        return new TiledTokens(height, width, 1, 1, List.of(new Tile(0, 0, 0, 0, height, width, tokens)));
    }
}
