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
        LabeledImages t = test();
        int h = rows * CELL, w = cols * CELL, pad = (CELL - FashionMnist.SIDE) / 2;
        float[] d = new float[h * w];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) {
                float[] img = t.images()[(first + r * cols + c) % t.images().length];
                for (int y = 0; y < FashionMnist.SIDE; y++)
                    System.arraycopy(img, y * FashionMnist.SIDE, d, (r * CELL + pad + y) * w + c * CELL + pad, FashionMnist.SIDE);
            }
        return new Image(1, h, w, d);
    }

    /** The 32 px cell (r, c) of a mosaic. */
    static Image cell(Image mosaic, int r, int c) {
        return TileGrid.cut(mosaic, r * CELL, c * CELL, CELL);
    }

    /** Mean absolute 4-neighbour Laplacian over the marked pixels (their fine detail). */
    static double detail(Image img, boolean[] marked) {
        int h = img.height(), w = img.width();
        double s = 0;
        int n = 0;
        for (int y = 1; y < h - 1; y++)
            for (int x = 1; x < w - 1; x++) {
                if (!marked[y * w + x]) continue;
                double lap = 4 * img.get(0, y, x) - img.get(0, y - 1, x) - img.get(0, y + 1, x) - img.get(0, y, x - 1) - img.get(0, y, x + 1);
                s += Math.abs(lap);
                n++;
            }
        return n == 0 ? 0 : s / n;
    }
}
