package org.nextscale.core.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.PixelScale;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.data.FashionMnist;
import org.nextscale.core.tiling.TileGrid;
import org.nextscale.core.tiling.Tiles;

/**
 * {@code bench --tiled SIDE}: the reconstruction of a SIDE x SIDE image in blended tiles at its own scale (a mosaic of
 * Fashion-MNIST test garments, each in a model-sized cell) against tokenizing single model-sized images one call each,
 * in image pixels per second, and the process's peak resident memory.
 */
public final class TiledBench {
    private TiledBench() {}

    public static Map<String, Object> run(VarModel model, int side, Consumer<String> log, CancelToken cancel) throws IOException {
        int cell = model.imageSize();
        Image image = mosaic(side, cell);
        List<Image> singles = new ArrayList<>();
        for (int i = 0; i < 320; i++) singles.add(TileGrid.cut(image, (i / 16) * cell, (i % 16) * cell, cell));
        for (int i = 0; i < 40; i++) model.tokenize(singles.get(i));                      // warm-up
        long t0 = System.nanoTime();
        for (Image s : singles) model.tokenize(s);
        double singleSeconds = (System.nanoTime() - t0) / 1e9;
        double singlePxPerS = singles.size() * (double) cell * cell / singleSeconds;
        log.accept(String.format(java.util.Locale.ROOT, "tokenize single %d px images: %.1f images/s", cell, singles.size() / singleSeconds));
        long[] lastShown = {0};
        t0 = System.nanoTime();
        Tiles.reconstruct(model, image, PixelScale.AUTO, (stage, done, total) -> {
            if (done * 10 / Math.max(1, total) > lastShown[0]) {
                lastShown[0] = done * 10 / Math.max(1, total);
                log.accept("tiles " + done + "/" + total);
            }
        }, cancel);
        double tiledSeconds = (System.nanoTime() - t0) / 1e9;
        double tiledPxPerS = (double) side * side / tiledSeconds;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("tiled_side", side);
        r.put("tiled_reconstruct_s", round(tiledSeconds));
        r.put("tiled_reconstruct_mpx_per_s", round(tiledPxPerS / 1e6));
        r.put("single_tokenize_images_per_s", round(singles.size() / singleSeconds));
        r.put("single_tokenize_mpx_per_s", round(singlePxPerS / 1e6));
        r.put("tiled_over_single", round(tiledPxPerS / singlePxPerS));
        r.put("peak_rss_mb", round(PeakMemory.peakSinceStartMb()));
        r.put("image_mb", round(side * (double) side * 4 / 1e6));
        return r;
    }

    /** Garments of the test set in model-sized cells, repeated over the image; a smooth pattern where the data set is missing. */
    static Image mosaic(int side, int cell) throws IOException {
        int cells = (side + cell - 1) / cell;
        if (FashionMnist.available(FashionMnist.defaultDir()))
            return TileGrid.cut(FashionMnist.load(FashionMnist.defaultDir(), false, 1000).mosaic(cells, cells, 0, cell), 0, 0, side, side);
        float[] d = new float[side * side];
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++) d[y * side + x] = (float) (0.5 + 0.5 * Math.sin(y * 0.1) * Math.cos(x * 0.07));
        return new Image(1, side, side, d);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
