package org.nextscale.jupyter;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.EditMask;
import org.nextscale.core.api.EditMode;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.api.ScaleListener;
import org.nextscale.core.api.TokenPyramid;
import org.nextscale.core.api.TrainEvent;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.config.ModelConfig;

/**
 * The magics' behaviour around the core call: what they show, what they keep in {@link VarSession}
 * and how they fail. The model here is a stand-in that records what it was asked; the notebooks test
 * (NotebooksIT) runs the real model end to end.
 */
class VarMagicsTest {

    @TempDir
    Path dir;

    @AfterEach
    void forgetModel() {
        VarSession.setModel(null, null, "cpu");
    }

    /** A Notebook that records everything. */
    static final class Recorder implements Notebook {
        final List<String> text = new ArrayList<>();
        final List<BufferedImage> images = new ArrayList<>();
        final List<String> progress = new ArrayList<>();

        @Override
        public void print(String s) {
            text.add(s);
        }

        @Override
        public void show(BufferedImage image) {
            images.add(image);
        }

        @Override
        public Progress progress(String firstLine) {
            progress.add(firstLine);
            return progress::add;
        }
    }

    /** A 4-class gray 8x8 model whose outputs are simple functions of the inputs. */
    static final class StandIn implements VarModel {
        SampleOptions lastOptions;
        EditMode lastMode;
        EditMask lastMask;
        boolean closed;

        @Override
        public ModelConfig config() {
            return null;
        }

        @Override
        public int imageSize() {
            return 8;
        }

        @Override
        public String summary() {
            return "stand-in: 8x8 gray, 4 classes";
        }

        @Override
        public int classIndex(String s) {
            if (s.equals("uncond")) return -1;
            int c = Integer.parseInt(s);
            if (c < 0 || c >= 4) throw new IllegalArgumentException("class " + s + " does not exist: classes are 0..3");
            return c;
        }

        @Override
        public List<Image> generate(SampleOptions o, ProgressListener p, CancelToken cancel, ScaleListener scales) {
            lastOptions = o;
            List<Image> out = new ArrayList<>();
            for (int i = 0; i < o.count(); i++) {
                p.progress("scale", i + 1, o.count());
                cancel.check();
                float[] d = new float[64];
                Arrays.fill(d, (i + 1) / (float) o.count());
                out.add(new Image(1, 8, 8, d));
            }
            for (int k = 0; k < 2; k++) {                              // two scales: half as bright, then the images
                int scale = k;
                scales.onScale(new org.nextscale.core.api.ScaleFrame() {
                    @Override public int scale() { return scale; }
                    @Override public int numScales() { return 2; }
                    @Override public int side() { return scale + 1; }
                    @Override public int firstImage() { return 0; }
                    @Override public int count() { return out.size(); }
                    @Override public List<Image> decode() {
                        if (scale == 1) return out;
                        List<Image> half = new ArrayList<>();
                        for (Image im : out) {
                            float[] d = im.data().clone();
                            for (int i = 0; i < d.length; i++) d[i] *= 0.5f;
                            half.add(new Image(1, 8, 8, d));
                        }
                        return half;
                    }
                });
            }
            return out;
        }

        @Override
        public TokenPyramid tokenize(Image image) {
            return new TokenPyramid(List.of(1, 2), List.of(new int[] {3}, new int[] {0, 1, 2, 3}));
        }

        /** Two frames: the image darkened, then reconstruct's output. */
        @Override
        public List<Image> coarseToFine(Image image) {
            float[] d = image.data().clone();
            for (int i = 0; i < d.length; i++) d[i] *= 0.5f;
            return List.of(new Image(image.channels(), image.height(), image.width(), d), reconstruct(image));
        }

        @Override
        public double scaleViewCost() {
            return 0.01;
        }

        @Override
        public double scaleViewFlops() {
            return 1e6;
        }

        @Override
        public Image reconstruct(Image image) {
            float[] d = image.data().clone();
            for (int i = 0; i < d.length; i++) d[i] = Math.min(1f, d[i] + 0.1f);
            return new Image(image.channels(), image.height(), image.width(), d);
        }

        @Override
        public Image edit(Image image, EditMask mask, EditMode mode, SampleOptions o, ProgressListener p, CancelToken cancel, ScaleListener scales) {
            lastMode = mode;
            lastMask = mask;
            lastOptions = o;
            float[] d = image.data().clone();
            for (int i = 0; i < mask.selected().length; i++) if (mask.selected()[i]) d[i] = 1f;
            return new Image(image.channels(), image.height(), image.width(), d);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static List<String> args(String s) {
        return Arrays.asList(s.split(" "));
    }

    private Path grayPng(String name) throws IOException {
        BufferedImage b = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) b.getRaster().setSample(x, y, 0, 16 * y);
        Path p = dir.resolve(name);
        ImageIO.write(b, "png", p.toFile());
        return p;
    }

    @Test
    void helpPrintsTheTable() {
        Recorder nb = new Recorder();
        VarMagics.line(List.of("help"), nb);
        assertEquals(List.of(VarSyntax.help()), nb.text);
    }

    @Test
    void everyModelCommandSaysWhenNoModelIsLoaded() {
        for (String cmd : List.of("generate class=1 n=2", "tokenize a.png", "reconstruct a.png", "inpaint a.png box=0,0,1,1",
                "outpaint a.png box=0,0,1,1", "edit a.png box=0,0,1,1 class=1")) {
            VarMagicError e = assertThrows(VarMagicError.class, () -> VarMagics.line(args(cmd), new Recorder()));
            String name = cmd.substring(0, cmd.indexOf(' '));
            assertEquals("%var " + name + ": no model loaded: run %var load [PATH] (or %%var train) first", e.getMessage());
        }
    }

    @Test
    void loadOfAMissingFileIsOneLine() {
        VarMagicError e = assertThrows(VarMagicError.class, () -> VarMagics.line(List.of("load", dir.resolve("nope.zip").toString()), new Recorder()));
        assertEquals("%var load: no such file: " + dir.resolve("nope.zip").toAbsolutePath(), e.getMessage());
        VarMagicError d = assertThrows(VarMagicError.class, () -> VarMagics.line(List.of("load", "device=tpu"), new Recorder()));
        assertEquals("%var load: device must be auto, cpu, gpu or gpu:N, got 'tpu'", d.getMessage());
    }

    @Test
    void generateShowsOneGridAndKeepsTheSamples() {
        StandIn m = new StandIn();
        VarSession.use(m);
        Recorder nb = new Recorder();
        VarMagics.line(args("generate class=2 n=3 cfg=1.5 top_k=10 top_p=0.9 seed=5"), nb);
        assertEquals(new SampleOptions(2, 3, 1.5, 10, 0.9, 5, false, 32), m.lastOptions);
        assertEquals(1, nb.images.size());
        BufferedImage grid = nb.images.get(0);
        int f = Pictures.zoom(8); // three 8x8 samples, 1-pixel white gaps, enlarged
        assertEquals((3 * 8 + 4) * f, grid.getWidth());
        assertEquals((8 + 2) * f, grid.getHeight());
        assertEquals(255, grid.getRaster().getSample(f * (1 + 2 * 9) + 1, f + 1, 0)); // third sample is all 1
        assertEquals(255, grid.getRaster().getSample(f * 9, f + 1, 0)); // gap
        assertSame(grid, VarSession.picture());
        assertEquals(3, VarSession.images().size());
        assertEquals(Math.round(255 * 3 / 3f), VarSession.image().getRaster().getSample(0, 0, 0));
        assertEquals("generate: scale 3/3", nb.progress.get(nb.progress.size() - 1));
        assertEquals("generate: scale 1/3", nb.progress.get(0));

        VarMagicError e = assertThrows(VarMagicError.class, () -> VarMagics.line(args("generate class=9 n=1"), nb));
        assertEquals("%var generate: class 9 does not exist: classes are 0..3", e.getMessage());
    }

    @Test
    void anInterruptedThreadCancelsTheWork() {
        VarSession.use(new StandIn());
        Thread.currentThread().interrupt();
        VarMagicError e = assertThrows(VarMagicError.class, () -> VarMagics.line(args("generate class=1 n=2"), new Recorder()));
        assertEquals("%var generate: interrupted", e.getMessage());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void generateWithScalesShowsOneStripPerImageAndKeepsTheFrames() {
        VarSession.use(new StandIn());
        Recorder nb = new Recorder();
        VarMagics.line(args("generate class=1 n=2 scales=true"), nb);
        assertEquals(1, nb.images.size(), "one picture, redrawn in place (here: shown once when final)");
        BufferedImage strips = nb.images.get(0);
        int f = Pictures.zoom(8);
        assertEquals((2 * 8 + 3) * f, strips.getWidth(), "two frames per row");
        assertTrue(strips.getHeight() > (2 * 8 + 3) * f, "two rows and a caption line");
        assertEquals(2, VarSession.scales().size());
        assertEquals(2, VarSession.scales().get(0).size());
        assertSame(VarSession.rawImages().get(1), VarSession.scales().get(1).get(1), "the last frame is the image");
        assertTrue(nb.text.get(nb.text.size() - 1).startsWith("coarse to fine: 2 scales per image"), nb.text.toString());
        VarMagicError e = assertThrows(VarMagicError.class, () -> VarMagics.line(args("generate class=1 n=2 scales=maybe"), nb));
        assertTrue(e.getMessage().startsWith("%var generate: scales must be true or false, got 'maybe'"), e.getMessage());
    }

    @Test
    void tokenizeShowsInputAndOneMapPerScale() throws IOException {
        VarSession.use(new StandIn());
        Recorder nb = new Recorder();
        VarMagics.line(List.of("tokenize", grayPng("a.png").toString()), nb);
        assertEquals(2, nb.images.size(), "the token maps, then the coarse-to-fine strip");
        assertEquals(List.of(1, 2), VarSession.pyramid().sides());
        assertEquals(2, VarSession.scales().get(0).size());
        assertTrue(nb.text.get(0).startsWith("2 scales, 5 tokens (colour = codebook index); below them the image decoded after each scale"), nb.text.get(0));
        VarMagicError e = assertThrows(VarMagicError.class, () -> VarMagics.line(List.of("tokenize", dir.resolve("b.png").toString()), nb));
        assertEquals("%var tokenize: " + dir.resolve("b.png") + ": no such image file", e.getMessage());
        Path text = Files.writeString(dir.resolve("notes.png"), "not an image");
        VarMagicError t = assertThrows(VarMagicError.class, () -> VarMagics.line(List.of("tokenize", text.toString()), nb));
        assertEquals("%var tokenize: " + text + ": not a readable image (supported: PNG, JPEG, TIFF, BMP, GIF)", t.getMessage());
    }

    @Test
    void reconstructReportsPsnr() throws IOException {
        VarSession.use(new StandIn());
        Recorder nb = new Recorder();
        VarMagics.line(List.of("reconstruct", grayPng("a.png").toString()), nb);
        // the stand-in adds 0.1 (clamped at 1): PSNR follows from the input rows 16*y/255
        Image in = VarMagics.readImage(dir.resolve("a.png"));
        double se = 0;
        for (float v : in.data()) {
            double d = (double) Math.min(1f, v + 0.1f) - v;
            se += d * d;
        }
        double expected = 10 * Math.log10(64 / se);
        assertEquals(expected, VarSession.psnr(), 1e-6);
        assertEquals(String.format(java.util.Locale.ROOT, "PSNR %.2f dB", expected), nb.text.get(0));
        assertEquals(2, VarSession.images().size());
        assertEquals(1, nb.images.size());
    }

    @Test
    void editsPassModeMaskAndClass() throws IOException {
        StandIn m = new StandIn();
        VarSession.use(m);
        Path png = grayPng("a.png");
        Recorder nb = new Recorder();
        VarMagics.line(List.of("inpaint", png.toString(), "box=0,0,0.5,0.5"), nb);
        assertEquals(EditMode.INPAINT, m.lastMode);
        assertEquals(SampleOptions.UNCONDITIONAL, m.lastOptions.classId());
        assertEquals(16, m.lastMask.count());
        assertTrue(m.lastMask.selected()[0] && !m.lastMask.selected()[4]);
        assertEquals(255, VarSession.image().getRaster().getSample(0, 0, 0));

        VarMagics.line(List.of("outpaint", png.toString(), "box=0,0,1,0.25", "seed=4"), nb);
        assertEquals(EditMode.OUTPAINT, m.lastMode);
        assertEquals(4, m.lastOptions.seed());
        assertEquals(16, m.lastMask.count());

        VarMagics.line(List.of("edit", png.toString(), "box=0.5,0,1,1", "class=3"), nb);
        assertEquals(EditMode.CLASS_EDIT, m.lastMode);
        assertEquals(3, m.lastOptions.classId());
        assertEquals(32, m.lastMask.count());
        assertEquals(3, nb.images.size());
        assertEquals(2, VarSession.images().size());
    }

    @Test
    void loadingAnotherModelClosesThePreviousOne() {
        StandIn a = new StandIn(), b = new StandIn();
        VarSession.use(a);
        VarSession.use(a);
        assertFalse(a.closed);
        VarSession.use(b);
        assertTrue(a.closed);
        assertSame(b, VarSession.model());
    }

    @Test
    void trainingProgressLine() {
        assertEquals("var step 120/500  loss 1.2346  acc 45.1%  210 img/s  ETA 1:05",
                VarMagics.describe(new TrainEvent("var", 120, 500, 1.234567, 0.4512, 210.2, 65)));
        assertEquals("tokenizer step 3/10  loss 0.5000",
                VarMagics.describe(new TrainEvent("tokenizer", 3, 10, 0.5, Double.NaN, Double.NaN, Double.NaN)));
        assertEquals("1:01:01", VarMagics.clock(3661));
    }

    @Test
    void failuresBecomeOneLine() {
        assertEquals("bad; really bad", VarMagics.oneLine(new IllegalArgumentException("bad\n  really bad")));
        assertEquals("oops (NullPointerException)", VarMagics.oneLine(new NullPointerException("oops")));
        assertEquals("UnsupportedOperationException (UnsupportedOperationException)", VarMagics.oneLine(new UnsupportedOperationException()));
        assertTrue(VarMagics.oneLine(new OutOfMemoryError()).startsWith("out of memory"));
    }
}
