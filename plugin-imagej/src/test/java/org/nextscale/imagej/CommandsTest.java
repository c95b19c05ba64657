package org.nextscale.imagej;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.gui.OvalRoi;
import ij.gui.Roi;
import ij.measure.ResultsTable;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.ShortProcessor;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.eval.ImageMetrics;

/** Every sampling command run headless through SciJava on the tiny-a model (RGB 32x32, 10 classes, 6 scales). */
class CommandsTest {
    private static CommandHarness ij;
    private static File model;

    @BeforeAll
    static void start() throws Exception {
        ij = new CommandHarness();
        model = TestModels.tinyA().toFile();
    }

    @AfterAll
    static void stop() {
        ij.close();
    }

    @BeforeEach
    void clear() {
        ij.clear();
    }

    private static void assertSucceeded(VarCommand c) {
        assertNull(c.failure(), () -> c.label() + " failed: " + c.failure());
        assertFalse(c.isCanceled(), () -> c.label() + " was cancelled: " + c.getCancelReason());
    }

    @Test
    void generateMakesAStackOfCountImagesAndReportsProgress() throws Exception {
        GenerateCommand c = ij.run(GenerateCommand.class, "model", model, "classId", "3", "count", 3, "seed", 7L);
        assertSucceeded(c);
        ImagePlus imp = c.images();
        assertEquals(3, imp.getStackSize());
        assertEquals(32, imp.getWidth());
        assertEquals(32, imp.getHeight());
        assertEquals(ImagePlus.COLOR_RGB, imp.getType());

        assertFalse(ij.progress.isEmpty(), "no progress events");
        for (VarProgressEvent e : ij.progress) {
            assertEquals("VAR Generate", e.label());
            assertTrue(e.done() >= 0 && e.done() <= e.total(), e.toString());
        }
        VarProgressEvent last = ij.progress.get(ij.progress.size() - 1);
        assertEquals(last.total(), last.done(), "the last progress event should report completion: " + last);
        assertTrue(ij.awaitStatus(s -> s.getStatusMessage() != null && s.getStatusMessage().startsWith("VAR Generate")),
                "no status-bar event from VAR Generate");
    }

    @Test
    void generateShowsTheImagesFormingOneSlicePerScale() throws Exception {
        GenerateCommand c = ij.run(GenerateCommand.class, "model", model, "classId", "2", "count", 2, "seed", 3L, "showScales", "yes");
        assertSucceeded(c);
        ImagePlus scales = c.scales();
        assertNotNull(scales, "show_scales=yes gives the coarse-to-fine stack");
        assertEquals(6, scales.getNSlices(), "one slice per scale");
        assertEquals(2, scales.getNFrames(), "one frame per image");
        assertEquals("image 2, scale 6: 8x8", scales.getStack().getSliceLabel(12));
        for (int i = 0; i < 2; i++)   // the last scale of each image is the generated image
            assertArrayEquals((int[]) c.images().getStack().getPixels(i + 1), (int[]) scales.getStack().getPixels(6 * i + 6), "image " + (i + 1));
        assertNull(ij.run(GenerateCommand.class, "model", model, "count", 1, "showScales", "no").scales());
        assertNotNull(ij.run(GenerateCommand.class, "model", model, "count", 1).scales(), "auto shows the scales of a 32 px model");
        GenerateCommand bad = ij.run(GenerateCommand.class, "model", model, "count", 1, "showScales", "maybe");
        assertEquals("show_scales must be auto, yes or no, got 'maybe'", bad.failure());
    }

    @Test
    void theSameSeedGivesTheSameImagesAndAnotherSeedOthers() throws Exception {
        int[] a = pixels(ij.run(GenerateCommand.class, "model", model, "classId", "1", "count", 2, "seed", 5L).images());
        int[] b = pixels(ij.run(GenerateCommand.class, "model", model, "classId", "1", "count", 2, "seed", 5L).images());
        int[] c = pixels(ij.run(GenerateCommand.class, "model", model, "classId", "1", "count", 2, "seed", 6L).images());
        assertTrue(Arrays.equals(a, b), "same seed, different images");
        assertFalse(Arrays.equals(a, c), "different seeds, same images");
    }

    @Test
    void cancellingStopsGenerationAtTheNextStep() throws Exception {
        ij.onProgress = e -> e.command().cancel("stop");
        GenerateCommand c = ij.run(GenerateCommand.class, "model", model, "classId", "0", "count", 4, "seed", 1L);
        assertTrue(c.isCanceled());
        assertNull(c.failure(), "cancelling is not a failure");
        assertNull(c.images(), "a cancelled command makes no image");
        VarProgressEvent first = ij.progress.get(0);
        assertTrue(first.total() > 1, "generation should report more than one step: " + first);
        long maxDone = ij.progress.stream().mapToLong(VarProgressEvent::done).max().orElseThrow();
        assertTrue(maxDone < first.total(), "generation ran to the end after it was cancelled: " + ij.progress);
    }

    @Test
    void tokenizeShowsOneMapPerScaleAndATableOfTokenIds() throws Exception {
        ByteProcessor bp = new ByteProcessor(28, 20);
        for (int y = 0; y < 20; y++) for (int x = 0; x < 28; x++) bp.set(x, y, (x * 9 + y * 5) % 256);
        TokenizeCommand c = ij.run(TokenizeCommand.class, "image", new ImagePlus("gray", bp), "model", model);
        assertSucceeded(c);
        ImagePlus maps = c.tokenMaps();
        assertEquals(6, maps.getStackSize());
        assertEquals(32, maps.getWidth());
        assertEquals(ImagePlus.GRAY8, maps.getType(), "token ids as pixel values (a 64-entry codebook)");
        assertEquals("scale 6 (8x8)", maps.getStack().getSliceLabel(6));
        assertEquals("Tokens of gray", c.tableTitle(), "its own table, not the Results table");
        assertTrue(maps.getInfoProperty().startsWith("VAR Tokenize\nmodel: "), maps.getInfoProperty());
        ResultsTable t = c.tokens();
        assertEquals(1 + 4 + 9 + 16 + 36 + 64, t.size());
        for (int i = 0; i < t.size(); i++) {
            double id = t.getValue("Token", i);
            assertTrue(id >= 0 && id < 64, "token id out of the 64-entry codebook: " + id);
        }
        // the first scale's single token fills the whole first slice, in its colour
        int first = (int) t.getValue("Token", 0);
        assertEquals(first, maps.getStack().getProcessor(1).get(17, 5));
        assertEquals(TokenMapsTest.colour(first), ((java.awt.image.IndexColorModel) maps.getProcessor().getColorModel()).getRGB(first) | 0xff000000);
        ImagePlus scales = c.scales();                      // coarse to fine, at the input's size
        assertEquals(6, scales.getStackSize());
        assertEquals(28, scales.getWidth());
        assertEquals("scale 3: 3x3", scales.getStack().getSliceLabel(3));
    }

    @Test
    void reconstructReturnsTheInputsSizeAndTypeAndItsPsnr() throws Exception {
        ShortProcessor sp = new ShortProcessor(24, 20);
        for (int y = 0; y < 20; y++) for (int x = 0; x < 24; x++) sp.set(x, y, x * 2500 + y * 300);
        ImagePlus in = new ImagePlus("sixteen", sp);
        ReconstructCommand c = ij.run(ReconstructCommand.class, "image", in, "model", model);
        assertSucceeded(c);
        ImagePlus out = c.reconstruction();
        assertEquals(ImagePlus.GRAY16, out.getType());
        assertEquals(24, out.getWidth());
        assertEquals(20, out.getHeight());
        assertEquals(String.format(java.util.Locale.ROOT, "sixteen reconstructed (PSNR %.1f dB)", c.psnr()), out.getTitle());
        double expected = ImageMetrics.psnr(ImageConversion.toImage(in), ImageConversion.toImage(out));
        assertTrue(Double.isFinite(c.psnr()) && c.psnr() > 0, "psnr " + c.psnr());
        assertEquals(expected, c.psnr(), 0.01, "PSNR should be that of the returned image");
    }

    @Test
    void inpaintRegeneratesTheRoiOfAnRgbImage() throws Exception {
        ImagePlus in = new ImagePlus("rgb", pattern(32, 32));
        in.setRoi(new Roi(8, 8, 16, 16));
        InpaintCommand c = ij.run(InpaintCommand.class, "image", in, "model", model, "seed", 3L);
        assertSucceeded(c);
        ImagePlus out = c.result();
        assertEquals(ImagePlus.COLOR_RGB, out.getType());
        assertEquals(32, out.getWidth());
        assertEquals("rgb inpainted", out.getTitle());
        assertFalse(Arrays.equals((int[]) in.getProcessor().getPixels(), (int[]) out.getProcessor().getPixels()));
        assertFalse(ij.progress.isEmpty(), "no progress events");
    }

    @Test
    void aMaskImageCanGiveTheArea() throws Exception {
        ImagePlus in = new ImagePlus("gray", new ByteProcessor(40, 40));
        ByteProcessor m = new ByteProcessor(40, 40);
        m.setColor(255);
        m.fill(new OvalRoi(5, 5, 20, 20));
        OutpaintCommand c = ij.run(OutpaintCommand.class, "image", in, "mask", new ImagePlus("mask", m), "model", model);
        assertSucceeded(c);
        assertEquals(ImagePlus.GRAY8, c.result().getType());
        assertEquals(40, c.result().getWidth());
    }

    @Test
    void classEditNeedsAClassAndUsesIt() throws Exception {
        ImagePlus in = new ImagePlus("rgb", pattern(32, 32));
        in.setRoi(new Roi(0, 0, 16, 32));
        ClassEditCommand bad = ij.run(ClassEditCommand.class, "image", in, "model", model, "classId", "-1");
        assertFalse(bad.isCanceled(), "a failure is not reported as a cancellation");
        assertTrue(bad.failure() != null && bad.failure().contains("class="), "message: " + bad.failure());
        ClassEditCommand good = ij.run(ClassEditCommand.class, "image", in, "model", model, "classId", "4", "cfg", 2.0);
        assertSucceeded(good);
        assertEquals(ImagePlus.COLOR_RGB, good.result().getType());
    }

    @Test
    void cancellingStopsAnEdit() throws Exception {
        ij.onProgress = e -> e.command().cancel("stop");
        ImagePlus in = new ImagePlus("rgb", pattern(32, 32));
        in.setRoi(new Roi(8, 8, 16, 16));
        InpaintCommand c = ij.run(InpaintCommand.class, "image", in, "model", model);
        assertTrue(c.isCanceled());
        assertNull(c.failure());
        assertNull(c.result());
    }

    @Test
    void userErrorsAreOneLineMessagesNotExceptions() throws Exception {
        GenerateCommand missing = ij.run(GenerateCommand.class, "model", new File("no/such/model.zip"), "count", 1);
        assertFalse(missing.isCanceled(), "a failure is not reported as a cancellation");
        assertTrue(missing.failure().contains("model file not found"), missing.failure());
        assertFalse(missing.failure().contains("\n"), "one line");

        ImagePlus noRoi = new ImagePlus("plain", new ByteProcessor(32, 32));
        InpaintCommand edit = ij.run(InpaintCommand.class, "image", noRoi, "model", model);
        assertTrue(edit.failure().contains("select the area"), edit.failure());

        GenerateCommand badClass = ij.run(GenerateCommand.class, "model", model, "classId", "Unicorn", "count", 1);
        assertNotNull(badClass.failure(), "an unknown class name must be refused");
        assertFalse(badClass.failure().contains("\n"), "one line: " + badClass.failure());
    }

    @Test
    void aModelFileIsLoadedOnceAndOnlyTheRecentOnesStayLoaded(@TempDir Path dir) throws Exception {
        VarModelService models = ij.context.service(VarModelService.class);
        assertSame(models.model(model), models.model(model));
        File b = dir.resolve("b.zip").toFile(), c = dir.resolve("c.zip").toFile();
        Files.copy(model.toPath(), b.toPath());
        Files.copy(model.toPath(), c.toPath());
        models.model(b);
        assertTrue(models.isLoaded(model) && models.isLoaded(b));
        models.model(c);
        assertFalse(models.isLoaded(model), "the least recently used model should have been closed");
        assertTrue(models.isLoaded(b) && models.isLoaded(c));
        assertEquals(2, VarModelService.KEEP);
        // a closed model is loaded again when asked for
        GenerateCommand g = ij.run(GenerateCommand.class, "model", model, "count", 1);
        assertSucceeded(g);
    }

    private static ColorProcessor pattern(int w, int h) {
        ColorProcessor cp = new ColorProcessor(w, h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) cp.set(x, y, ((x * 8) << 16) | ((y * 8) << 8) | ((x + y) * 4));
        return cp;
    }

    private static int[] pixels(ImagePlus stack) {
        List<int[]> planes = new java.util.ArrayList<>();
        for (int i = 1; i <= stack.getStackSize(); i++) planes.add((int[]) stack.getStack().getProcessor(i).getPixels());
        return planes.stream().flatMapToInt(Arrays::stream).toArray();
    }

}
