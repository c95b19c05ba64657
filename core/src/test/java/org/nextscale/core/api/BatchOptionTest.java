package org.nextscale.core.api;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.TestPaths;
import org.nextscale.core.tiling.Tiles;

/**
 * How many images or tiles go through the model in one call (--batch, batch=): what a GPU that runs out of memory is told
 * to lower. The default is unchanged (32 images, 64 tiles, the same images as before), a smaller batch gives every image
 * in more calls, deterministically, and tiles give the same reconstruction and tokens whatever the batch.
 */
class BatchOptionTest {
    @TempDir
    Path dir;

    @Test
    void generateAndTilesTakeABatchPerModelCall() throws Exception {
        try (VarModel m = VarModel.load(TestPaths.parityModel("tiny-a", dir), Devices.parse("cpu"))) {
            SampleOptions o = SampleOptions.defaults().withClass(2).withCount(5).withSeed(9);
            List<Image> dflt = m.generate(o, ProgressListener.NONE, CancelToken.none());
            List<Image> explicit = m.generate(o.withBatch(32), ProgressListener.NONE, CancelToken.none());
            for (int i = 0; i < 5; i++) assertArrayEquals(dflt.get(i).data(), explicit.get(i).data(), "batch 32 is the default");
            List<Image> small = m.generate(o.withBatch(2), ProgressListener.NONE, CancelToken.none());
            List<Image> again = m.generate(o.withBatch(2), ProgressListener.NONE, CancelToken.none());
            assertEquals(5, small.size(), "every image, in three calls of at most 2");
            for (int i = 0; i < 5; i++) assertArrayEquals(small.get(i).data(), again.get(i).data(), "the same batch gives the same images");

            Image big = Image.zeros(3, 72, 80);
            for (int i = 0; i < big.data().length; i++) big.data()[i] = (i * 31 % 97) / 96f;
            Image a = Tiles.reconstruct(m, big, PixelScale.AUTO, 0, ProgressListener.NONE, CancelToken.none());
            Image b = Tiles.reconstruct(m, big, PixelScale.AUTO, 1, ProgressListener.NONE, CancelToken.none());
            double worst = 0;
            for (int i = 0; i < a.data().length; i++) worst = Math.max(worst, Math.abs(a.data()[i] - b.data()[i]));
            assertTrue(worst < 1e-4, "tile batches of 1 and 64 give the same reconstruction: max difference " + worst);
            TiledTokens ta = Tiles.tokenize(m, big, PixelScale.AUTO, 0, ProgressListener.NONE, CancelToken.none());
            TiledTokens tb = Tiles.tokenize(m, big, PixelScale.AUTO, 2, ProgressListener.NONE, CancelToken.none());
            assertEquals(ta.tiles().size(), tb.tiles().size());
            for (int t = 0; t < ta.tiles().size(); t++)
                for (int k = 0; k < ta.tiles().get(t).tokens().numScales(); k++)
                    assertArrayEquals(ta.tiles().get(t).tokens().tokens().get(k), tb.tiles().get(t).tokens().tokens().get(k), "tile " + t + " scale " + k);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SampleOptions.defaults().withBatch(-1));
        assertTrue(e.getMessage().startsWith("batch (images per model call) must be at least 1"), e.getMessage());
    }
}
