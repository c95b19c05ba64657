package org.nextscale.imagej;

import static org.junit.jupiter.api.Assertions.*;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.process.ShortProcessor;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nextscale.core.data.FashionMnist;

/** The Fiji commands on a 12-bit image in a 16-bit stack larger than the model (the shipped 32 px model, real garments). */
class LargeImageCommandsTest {
    private static CommandHarness ij;
    private static File model;
    static final int W = 384, H = 256;

    @BeforeAll
    static void start() throws Exception {
        ij = new CommandHarness();
        model = TestModels.repo().resolve("models/fashion-mnist.zip").toFile();
    }

    @AfterAll
    static void stop() {
        ij.close();
    }

    /** Garments in 32 px cells, 12-bit values over an offset of 100, display range set to the data's as Fiji does on opening. */
    static ImagePlus twelveBit() throws Exception {
        float[] m = FashionMnist.load(FashionMnist.defaultDir(), false, 200).mosaic(H / 32, W / 32, 0, 32).data();
        ShortProcessor sp = new ShortProcessor(W, H);
        for (int i = 0; i < W * H; i++) sp.set(i, Math.round(100 + m[i] * 3995));
        sp.resetMinAndMax();
        return new ImagePlus("cells", sp);
    }

    @Test
    void inpaintOfARoiInALargeSixteenBitImageChangesOnlyTheRoiAtItsOwnResolution() throws Exception {
        ImagePlus in = twelveBit();
        short[] before = ((short[]) in.getProcessor().getPixels()).clone();
        in.setRoi(new Roi(98, 66, 28, 28));
        ij.clear();
        InpaintCommand c = ij.run(InpaintCommand.class, "image", in, "model", model, "classId", "Bag", "showScales", "no");
        assertNull(c.failure(), c.failure());
        ImagePlus out = c.result();
        assertEquals(ImagePlus.GRAY16, out.getType());
        short[] after = (short[]) out.getProcessor().getPixels();
        int changed = 0, max = 0;
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                boolean inside = x >= 98 && x < 126 && y >= 66 && y < 94;
                if (!inside) assertEquals(before[y * W + x], after[y * W + x], "pixel " + x + "," + y);
                else if (before[y * W + x] != after[y * W + x]) changed++;
                max = Math.max(max, after[y * W + x] & 0xffff);
            }
        assertTrue(changed > 100, "the ROI was regenerated: " + changed);
        assertTrue(max <= 4095, "the fill stays in the image's 12-bit range: " + max);
        List<String> stages = new ArrayList<>();
        synchronized (ij.progress) { ij.progress.forEach(e -> stages.add(e.stage())); }
        assertTrue(stages.contains("windows"), "progress counts windows: " + stages);
    }

    @Test
    void reconstructKeepsTheTwelveBitRangeAndBadScalesAreOneLine() throws Exception {
        ImagePlus in = twelveBit();
        ReconstructCommand c = ij.run(ReconstructCommand.class, "image", in, "model", model);
        assertNull(c.failure(), c.failure());
        double meanIn = in.getStatistics().mean, meanOut = c.reconstruction().getStatistics().mean;
        System.out.printf("Fiji 12-bit %dx%d reconstruct: mean %.0f -> %.0f, PSNR %.2f dB%n", W, H, meanIn, meanOut, c.psnr());
        assertEquals(meanIn, meanOut, 0.1 * meanIn);
        assertTrue(c.psnr() > 20, "tiled at the image's own scale: " + c.psnr());
        ReconstructCommand fit = ij.run(ReconstructCommand.class, "image", in, "model", model, "scale", "fit");
        assertNull(fit.failure(), fit.failure());
        assertTrue(fit.psnr() < c.psnr() - 6, "fit " + fit.psnr() + " vs own scale " + c.psnr());
        ReconstructCommand bad = ij.run(ReconstructCommand.class, "image", in, "model", model, "scale", "-1");
        assertTrue(bad.failure().startsWith("scale must be auto, fit, or"), bad.failure());
        TokenizeCommand t = ij.run(TokenizeCommand.class, "image", in, "model", model);
        assertNull(t.failure(), t.failure());
        assertEquals((H / 32) * (W / 32) * 130, t.tokens().size(), "every tile's 1+4+9+16+36+64 tokens");
        assertEquals(3 * 32, (int) t.tokens().getValue("Tile_X", 130 * 3), "the fourth tile starts at x = 96");
        assertEquals(6, t.tokenMaps().getStackSize());
        ImagePlus grown = null;
        OutpaintCommand o = ij.run(OutpaintCommand.class, "image", in, "model", model, "extend", "top=20");
        assertNull(o.failure(), o.failure());
        grown = o.result();
        assertEquals(H + 20, grown.getHeight());
        assertEquals(in.getProcessor().get(5, 7), grown.getProcessor().get(5, 27), "the image is kept below the new rows");
    }
}
