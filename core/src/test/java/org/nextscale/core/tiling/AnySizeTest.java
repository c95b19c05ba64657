package org.nextscale.core.tiling;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nextscale.core.TestPaths;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.CancelledException;
import org.nextscale.core.api.EditMask;
import org.nextscale.core.api.EditMode;
import org.nextscale.core.api.Extension;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.PixelScale;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.api.ScaleListener;
import org.nextscale.core.api.SeamMode;
import org.nextscale.core.api.TiledTokens;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.eval.ImageMetrics;

/** Images larger than the shipped 32 px model, made of real Fashion-MNIST test images: tiles, windows, pixel scales. */
class AnySizeTest {
    static VarModel model;

    @BeforeAll
    static void load() throws Exception {
        model = VarModel.load(TestPaths.repo().resolve("models/fashion-mnist.zip"), Device.cpu());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void tiledReconstructionOfAMosaicIsAsGoodAsEachTileAloneAndShowsNoTileGrid() throws Exception {
        Image mosaic = Mosaics.mosaic(8, 10, 0);                                  // 320 x 256, the example
        Image tiled = Tiles.reconstruct(model, mosaic, PixelScale.AUTO, ProgressListener.NONE, CancelToken.none());
        List<Image> cells = new ArrayList<>();
        for (int r = 0; r < 8; r++) for (int c = 0; c < 10; c++) cells.add(Mosaics.cell(mosaic, r, c));
        List<Image> alone = model.reconstruct(cells);
        Image assembled = Image.zeros(1, 256, 320);
        boolean[] all = new boolean[32 * 32];
        java.util.Arrays.fill(all, true);
        for (int i = 0; i < alone.size(); i++) TileGrid.paste(alone.get(i), assembled, (i / 10) * 32, (i % 10) * 32, all);
        double psnrTiled = ImageMetrics.psnr(mosaic, tiled), psnrAlone = ImageMetrics.psnr(mosaic, assembled);
        Image fit = Tiles.reconstruct(model, mosaic, PixelScale.FIT, ProgressListener.NONE, CancelToken.none());
        double psnrFit = ImageMetrics.psnr(mosaic, fit);
        System.out.printf("mosaic 320x256: tiled %.2f dB, each cell alone %.2f dB, whole-image fit %.2f dB%n", psnrTiled, psnrAlone, psnrFit);
        assertTrue(psnrTiled >= psnrAlone - 0.5, "tiled " + psnrTiled + " vs alone " + psnrAlone);
        assertTrue(psnrFit < psnrTiled - 6, "fit " + psnrFit + " vs tiled " + psnrTiled);
        // no tile grid: on a mosaic shifted by half a cell, tile borders cut through garments. Tiles put side by side unblended
        // show their grid as lines of larger error (this tokenizer fades to black at a tile's edge, as its training images do);
        // blended, the error along the lines where tiles meet is that of the rest of the image
        Image shifted = TileGrid.cut(Mosaics.mosaic(9, 11, 0), 16, 16, 256, 320);
        boolean[] nearGrid = new boolean[256 * 320];
        for (int y = 0; y < 256; y++)
            for (int x = 0; x < 320; x++) nearGrid[y * 320 + x] = (x % 32 == 0 || x % 32 == 31 || y % 32 == 0 || y % 32 == 31) && x > 0 && y > 0 && x < 319 && y < 255;
        Image blended = Tiles.reconstructTiled(model, shifted, 32, 4, Tiles.BATCH, ProgressListener.NONE, CancelToken.none());
        Image sideBySide = Tiles.reconstructTiled(model, shifted, 32, 0, Tiles.BATCH, ProgressListener.NONE, CancelToken.none());
        double blendedRatio = errorRatio(blended, shifted, nearGrid), plainRatio = errorRatio(sideBySide, shifted, nearGrid);
        System.out.printf("half-cell-shifted mosaic, error next to tile borders over error elsewhere: blended %.3f, unblended %.3f; PSNR %.2f / %.2f dB%n",
                blendedRatio, plainRatio, ImageMetrics.psnr(shifted, blended), ImageMetrics.psnr(shifted, sideBySide));
        assertTrue(plainRatio > 2.5, "the measure sees the grid of unblended tiles: " + plainRatio);
        // what remains is this tokenizer's own weakness away from a garment's centre (docs/cli.md#large-images)
        assertTrue(blendedRatio < 1.3, "blended tiles show no grid: " + blendedRatio);
        assertTrue(ImageMetrics.psnr(shifted, blended) > ImageMetrics.psnr(shifted, sideBySide) + 3, "blending gains");
    }

    /** Mean |a - b| over the marked pixels over the mean elsewhere. */
    private static double errorRatio(Image a, Image b, boolean[] marked) {
        double in = 0, out = 0;
        int nIn = 0, nOut = 0;
        for (int i = 0; i < marked.length; i++) {
            double e = Math.abs(a.data()[i] - b.data()[i]);
            if (marked[i]) { in += e; nIn++; } else { out += e; nOut++; }
        }
        return (in / nIn) / (out / nOut);
    }

    @Test
    void aLargeImageEditedAtItsOwnScaleChangesNothingOutsideAndFillsWithTheSurroundingsDetail() throws Exception {
        Image big = Mosaics.mosaic(48, 64, 100);                                   // 2048 x 1536
        int r = 20, c = 30;
        EditMask rect = EditMask.rect(big.height(), big.width(), c * 32 + 2, r * 32 + 2, 28, 28);   // one garment
        int label = Mosaics.test().labels()[(100 + r * 64 + c) % Mosaics.test().size()];
        SampleOptions o = SampleOptions.defaults().withClass(label).withCount(1).withSeed(3);
        AtomicLong windows = new AtomicLong();
        Image edited = EditWindows.edit(model, big, rect, EditMode.INPAINT, o, SeamMode.BLEND, PixelScale.AUTO,
                (stage, done, total) -> { if (stage.equals("windows")) windows.set(total); }, CancelToken.none(), ScaleListener.NONE);
        assertEquals(1, windows.get(), "a 28 px selection fits one window");
        assertOnlySelectionChanged(big, edited, rect.selected());
        boolean[] around = new boolean[big.height() * big.width()];
        for (int y = (r - 1) * 32; y < (r + 2) * 32; y++)
            for (int x = (c - 1) * 32; x < (c + 2) * 32; x++) around[y * big.width() + x] = !rect.selected()[y * big.width() + x];
        double fill = Mosaics.detail(edited, rect.selected()), surroundings = Mosaics.detail(big, around);
        System.out.printf("2048x1536 in-paint of one garment: detail of the fill %.4f, of the surroundings %.4f%n", fill, surroundings);
        assertTrue(fill > 0.5 * surroundings, "fill detail " + fill + " vs surroundings " + surroundings);
        // fitted whole to the model, a 28 px selection of a 2048 px image is less than one model pixel: one clear line
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EditWindows.edit(model, big, rect, EditMode.INPAINT, o,
                SeamMode.BLEND, PixelScale.FIT, ProgressListener.NONE, CancelToken.none(), ScaleListener.NONE));
        assertTrue(e.getMessage().contains("use scale auto"), e.getMessage());
        // the 320x256 mosaic: at its own scale the fill has the surroundings' detail, fitted whole it is an upscaled thumbnail
        Image mosaic = Mosaics.mosaic(8, 10, 0);
        EditMask one = EditMask.rect(256, 320, 4 * 32, 3 * 32, 32, 32);
        boolean[] near = new boolean[256 * 320];
        for (int y = 2 * 32; y < 5 * 32; y++) for (int x = 3 * 32; x < 6 * 32; x++) near[y * 320 + x] = !one.selected()[y * 320 + x];
        SampleOptions o2 = o.withClass(Mosaics.test().labels()[3 * 10 + 4]);
        Image own = EditWindows.edit(model, mosaic, one, EditMode.INPAINT, o2, SeamMode.BLEND, PixelScale.AUTO, ProgressListener.NONE,
                CancelToken.none(), ScaleListener.NONE);
        Image fit = EditWindows.edit(model, mosaic, one, EditMode.INPAINT, o2, SeamMode.BLEND, PixelScale.FIT, ProgressListener.NONE,
                CancelToken.none(), ScaleListener.NONE);
        assertOnlySelectionChanged(mosaic, own, one.selected());
        assertOnlySelectionChanged(mosaic, fit, one.selected());
        double ownDetail = Mosaics.detail(own, one.selected()), fitDetail = Mosaics.detail(fit, one.selected()), nearDetail = Mosaics.detail(mosaic, near);
        System.out.printf("320x256 in-paint of one cell: detail of the fill %.4f at its own scale, %.4f fitted whole; surroundings %.4f%n",
                ownDetail, fitDetail, nearDetail);
        assertTrue(ownDetail > 0.5 * nearDetail, "own-scale fill " + ownDetail + " vs surroundings " + nearDetail);
        assertTrue(fitDetail < 0.25 * nearDetail, "fit fill " + fitDetail + " vs surroundings " + nearDetail);
    }

    @Test
    void aSelectionLargerThanAWindowIsFilledWindowByWindowAndCancelStopsBetweenWindows() throws Exception {
        Image big = Mosaics.mosaic(12, 16, 500);                                   // 512 x 384
        EditMask rect = EditMask.rect(big.height(), big.width(), 100, 90, 90, 70);
        SampleOptions o = SampleOptions.defaults().withClass(-1).withCount(1).withSeed(5);
        List<Long> seen = new ArrayList<>();
        Image edited = EditWindows.edit(model, big, rect, EditMode.INPAINT, o, SeamMode.BLEND, PixelScale.AUTO,
                (stage, done, total) -> { if (stage.equals("windows")) seen.add(total); }, CancelToken.none(), ScaleListener.NONE);
        long total = seen.get(seen.size() - 1);
        assertTrue(total >= 9, "90x70 px needs several 32 px windows, planned " + total);
        assertOnlySelectionChanged(big, edited, rect.selected());
        assertTrue(Mosaics.detail(edited, rect.selected()) > 0.01, "the fill has content");
        // the same at half resolution needs fewer windows
        List<Long> half = new ArrayList<>();
        Image halfEdited = EditWindows.edit(model, big, rect, EditMode.INPAINT, o, SeamMode.BLEND, PixelScale.parse("2"),
                (stage, done, t) -> { if (stage.equals("windows")) half.add(t); }, CancelToken.none(), ScaleListener.NONE);
        assertTrue(half.get(half.size() - 1) < total, "scale 2: " + half + " windows vs " + total);
        assertOnlySelectionChanged(big, halfEdited, rect.selected());
        CancelToken cancel = new CancelToken();
        AtomicLong after = new AtomicLong();
        assertThrows(CancelledException.class, () -> EditWindows.edit(model, big, rect, EditMode.INPAINT, o, SeamMode.BLEND, PixelScale.AUTO,
                (stage, done, t) -> { if (stage.equals("windows") && done >= 1) { after.set(done); cancel.cancel(); } }, cancel, ScaleListener.NONE));
        assertEquals(1, after.get(), "stopped after the first window");
    }

    @Test
    void outpaintGrowsTheCanvasKeepingTheImageBitForBit() throws Exception {
        Image img = Mosaics.mosaic(2, 3, 40);                                      // 96 x 64
        Image grown = EditWindows.extend(model, img, Extension.parse("left=40,top=16"), SampleOptions.defaults().withCount(1).withClass(-1),
                SeamMode.BLEND, PixelScale.AUTO, ProgressListener.NONE, CancelToken.none());
        assertEquals(136, grown.width());
        assertEquals(80, grown.height());
        for (int y = 0; y < 64; y++)
            for (int x = 0; x < 96; x++) assertEquals(img.get(0, y, x), grown.get(0, y + 16, x + 40), "kept pixel " + x + "," + y);
        boolean[] fresh = new boolean[80 * 136];
        for (int y = 0; y < 80; y++) for (int x = 0; x < 136; x++) fresh[y * 136 + x] = y < 16 || x < 40;
        assertTrue(Mosaics.detail(grown, fresh) > 0.005, "the new border has content, not repeated edge pixels");
        // out-paint around a kept selection of a large image regenerates the window around it only
        Image big = Mosaics.mosaic(8, 10, 0);
        EditMask keep = EditMask.rect(256, 320, 140, 100, 20, 20);
        Image out = EditWindows.edit(model, big, keep, EditMode.OUTPAINT, SampleOptions.defaults().withCount(1).withClass(-1), SeamMode.BLEND,
                PixelScale.AUTO, ProgressListener.NONE, CancelToken.none(), ScaleListener.NONE);
        int changed = 0, changedFar = 0;
        for (int y = 0; y < 256; y++)
            for (int x = 0; x < 320; x++) {
                boolean diff = out.get(0, y, x) != big.get(0, y, x);
                if (keep.selected()[y * 320 + x]) assertFalse(diff, "kept selection pixel " + x + "," + y);
                if (diff) changed++;
                if (diff && (Math.abs(x - 150) > 32 || Math.abs(y - 110) > 32)) changedFar++;
            }
        assertTrue(changed > 200, "the window around the selection is regenerated: " + changed + " px");
        assertEquals(0, changedFar, "nothing beyond the window changes");
    }

    @Test
    void tiledTokensSayWhereEachTileIs() throws Exception {
        Image img = Mosaics.mosaic(3, 5, 7);                                        // 160 x 96: 5 x 3 tiles
        TiledTokens t = Tiles.tokenize(model, img, PixelScale.AUTO, ProgressListener.NONE, CancelToken.none());
        assertEquals(3, t.rows());
        assertEquals(5, t.cols());
        assertEquals(15, t.tiles().size());
        TiledTokens.Tile tile = t.tiles().get(7);
        assertEquals(1, tile.row());
        assertEquals(2, tile.col());
        assertEquals(64, tile.x());
        assertEquals(32, tile.y());
        // a tile's tokens are those of that cell tokenized alone
        assertArrayEquals(model.tokenize(Mosaics.cell(img, 1, 2)).tokens().get(5), tile.tokens().tokens().get(5));
        // at scale 2 a tile covers 64 image pixels
        TiledTokens half = Tiles.tokenize(model, Mosaics.mosaic(4, 8, 7), PixelScale.parse("2"), ProgressListener.NONE, CancelToken.none());
        assertEquals(2, half.rows());
        assertEquals(64, half.tiles().get(1).x());
        assertEquals(64, half.tiles().get(1).width());
    }

    @Test
    void aListOfSmallAndLargeImagesBatchesTheSmallOnesAndTilesTheLargeOnes() throws Exception {
        Image small = Mosaics.cell(Mosaics.mosaic(1, 2, 11), 0, 1), large = Mosaics.mosaic(2, 3, 20), small2 = Mosaics.cell(Mosaics.mosaic(1, 1, 30), 0, 0);
        List<Image> in = List.of(small, large, small2);
        List<Image> rec = Tiles.reconstruct(model, in, PixelScale.AUTO, ProgressListener.NONE, CancelToken.none());
        List<TiledTokens> tok = Tiles.tokenize(model, in, PixelScale.AUTO, ProgressListener.NONE, CancelToken.none());
        for (int i = 0; i < in.size(); i++) {
            assertArrayEquals(Tiles.reconstruct(model, in.get(i), PixelScale.AUTO, ProgressListener.NONE, CancelToken.none()).data(), rec.get(i).data(), 1e-6f,
                    "image " + i);
            TiledTokens one = Tiles.tokenize(model, in.get(i), PixelScale.AUTO, ProgressListener.NONE, CancelToken.none());
            assertEquals(one.tiles().size(), tok.get(i).tiles().size(), "image " + i);
            assertArrayEquals(one.tiles().get(0).tokens().tokens().get(5), tok.get(i).tiles().get(0).tokens().tokens().get(5), "image " + i);
        }
        assertEquals(List.of(1, 6, 1), tok.stream().map(t -> t.tiles().size()).toList());
    }

    @Test
    void wrongScalesAndSelectionsOutsideTheImageAreOneClearLine() {
        for (String bad : new String[] {"0", "-2", "abc", "1e9", "NaN", "0.1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PixelScale.parse(bad));
            assertTrue(e.getMessage().startsWith("scale must be auto, fit, or"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EditMask.rect(256, 320, 300, 10, 64, 64));
        assertTrue(e.getMessage().contains("reaches outside the 320x256 px image"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PixelScale.parse("200").workingSize(256, 320));
        assertTrue(e.getMessage().contains("too small to work on"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Extension.parse("left=abc"));
        assertTrue(e.getMessage().startsWith("extend must be"), e.getMessage());
    }

    private static void assertOnlySelectionChanged(Image before, Image after, boolean[] selected) {
        int hw = before.height() * before.width(), changedInside = 0;
        for (int i = 0; i < hw; i++) {
            if (!selected[i]) {
                if (before.data()[i] != after.data()[i]) fail("pixel " + (i % before.width()) + "," + (i / before.width()) + " outside the selection changed");
            } else if (before.data()[i] != after.data()[i]) {
                changedInside++;
            }
        }
        assertTrue(changedInside > 0, "the selection was regenerated");
    }
}
