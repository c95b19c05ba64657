package org.nextscale.core.tiling;

import java.io.IOException;
import org.nextscale.core.api.Image;
import org.nextscale.core.data.FashionMnist;
import org.nextscale.core.data.LabeledImages;

/** Large test images made of real Fashion-MNIST test images: each 28 px image centred in a 32 px cell, as the model was trained. */
final class Mosaics {
    static final int CELL = 32;
    private static LabeledImages test;

    private Mosaics() {}

    static synchronized LabeledImages test() throws IOException {
        if (test == null) test = FashionMnist.load(FashionMnist.defaultDir(), false, 4000);
        return test;
    }

    /** rows x cols cells, starting at test image {@code first}, in [0, 1]. */
    static Image mosaic(int rows, int cols, int first) throws IOException {
        return test().mosaic(rows, cols, first, CELL);
    }

    /** The 32 px cell (r, c) of a mosaic. */
    static Image cell(Image mosaic, int r, int c) {
        return TileGrid.cut(mosaic, r * CELL, c * CELL, CELL);
    }

    /** Mean absolute 4-neighbour Laplacian over the marked pixels (their fine detail). */
    static double detail(Image img, boolean[] marked) {
        return Seams.detail(img, marked);
    }
}
