package org.nextscale.jupyter;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.config.ConfigJson;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.data.ImageFiles;
import org.nextscale.core.io.SafeTensors;
import org.nextscale.core.model.ModelFile;

/**
 * The magics on a real model: the parity model tiny-a (RGB 32x32, 10 classes, scales 1,2,3,4,6,8,
 * random weights) saved as a model file, driven through the same entry point the kernels call.
 */
class ModelMagicsTest {

    @TempDir
    static Path dir;

    static Path modelFile, png;
    static ModelConfig config;

    @BeforeAll
    static void tinyModel() throws Exception {
        Path repo = Path.of(System.getProperty("nextscale.repo", "..")).toAbsolutePath().normalize();
        Path parity = repo.resolve("parity/tiny-a");
        assertTrue(Files.isDirectory(parity), "parity model not found at " + parity + ": the repository's parity/ folder is incomplete");
        config = ConfigJson.parse(Files.readString(parity.resolve("config.json")));
        modelFile = dir.resolve("tiny-a.zip");
        ModelFile.save(modelFile, config, SafeTensors.read(parity.resolve("weights.safetensors")), false);

        BufferedImage b = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++)
            for (int x = 0; x < 32; x++) b.setRGB(x, y, (8 * x) << 16 | (8 * y) << 8 | 128);
        png = dir.resolve("ramp.png");
        ImageIO.write(b, "png", png.toFile());
    }

    @AfterAll
    static void unload() {
        VarSession.setModel(null, null, "cpu");
    }

    private static VarMagicsTest.Recorder line(String... args) {
        VarMagicsTest.Recorder nb = new VarMagicsTest.Recorder();
        VarMagics.line(List.of(args), nb);
        return nb;
    }

    @Test
    void loadGenerateTokenizeReconstructEdit() throws Exception {
        VarMagicsTest.Recorder load = line("load", modelFile.toString());
        assertTrue(load.text.get(0).startsWith(modelFile.toString() + "\n"), load.text.get(0));
        assertEquals(modelFile, VarSession.modelFile());
        VarModel m = VarSession.model();
        assertEquals(config.patchNums(), m.config().patchNums());
        assertTrue(load.text.get(0).contains("MB in memory"), "the summary says what the model holds: " + load.text.get(0));
        VarMagicsTest.Recorder again = line("load", modelFile.toString());
        assertTrue(again.text.get(0).startsWith(modelFile + " (already loaded in this session)"), again.text.get(0));
        assertSame(m, VarSession.model(), "loaded once per session");

        // generate: one grid; the samples are what the core returns for the same options
        VarMagicsTest.Recorder gen = line("generate", "class=3", "n=2", "cfg=1.5", "top_k=5", "seed=7");
        assertEquals(1, gen.images.size());
        List<Image> samples = VarSession.rawImages();
        assertEquals(2, samples.size());
        assertEquals(List.of(3, 32, 32), List.of(samples.get(0).channels(), samples.get(0).height(), samples.get(0).width()));
        List<Image> direct = m.generate(SampleOptions.defaults().withClass(3).withCount(2).withCfg(1.5).withTopK(5).withSeed(7),
                ProgressListener.NONE, CancelToken.none());
        assertArrayEquals(direct.get(1).data(), samples.get(1).data());

        // tokenize: the pyramid has the model's scales; input + one map per scale are shown
        VarMagicsTest.Recorder tok = line("tokenize", png.toString());
        assertEquals(config.patchNums(), VarSession.pyramid().sides());
        assertEquals(2, tok.images.size(), "token maps, then the coarse-to-fine strip");
        assertTrue(tok.text.get(0).startsWith(config.patchNums().size() + " scales, " + config.totalTokens()
                + " tokens (colour = codebook index); below them the image decoded after each scale"), tok.text.get(0));
        List<Image> frames = VarSession.scales().get(0);
        assertEquals(config.patchNums().size(), frames.size());
        assertArrayEquals(m.reconstruct(ImageFiles.read(png)).data(), frames.get(frames.size() - 1).data(), "the last frame is the reconstruction");

        // generate scales=true: the last frame of each strip is the sample
        VarMagicsTest.Recorder watched = line("generate", "class=1", "n=2", "seed=3", "scales=true");
        assertEquals(1, watched.images.size());
        for (int i = 0; i < 2; i++)
            assertArrayEquals(VarSession.rawImages().get(i).data(), VarSession.scales().get(i).get(config.patchNums().size() - 1).data());

        // reconstruct: PSNR of the reconstruction the core returns
        line("reconstruct", png.toString());
        Image in = VarSession.rawImages().get(0), rec = VarSession.rawImages().get(1);
        assertEquals(VarMagics.psnr(in, m.reconstruct(in)), VarSession.psnr(), 1e-9);
        assertEquals(List.of(in.height(), in.width()), List.of(rec.height(), rec.width()));
        assertTrue(Double.isFinite(VarSession.psnr()));

        // edits: result at the input's size
        for (String[] cmd : List.of(new String[] {"inpaint", png.toString(), "box=0.25,0.25,0.75,0.75", "seed=1"},
                new String[] {"outpaint", png.toString(), "box=0.25,0.25,0.75,0.75"},
                new String[] {"edit", png.toString(), "box=0,0,0.5,1", "class=2"})) {
            VarMagicsTest.Recorder e = line(cmd);
            assertEquals(1, e.images.size(), cmd[0]);
            BufferedImage out = VarSession.image();
            assertEquals(32, out.getWidth(), cmd[0]);
            assertEquals(32, out.getHeight(), cmd[0]);
        }

        VarMagicError bad = assertThrows(VarMagicError.class, () -> line("generate", "class=Zebra", "n=1"));
        assertTrue(bad.getMessage().startsWith("%var generate: "), bad.getMessage());
        assertFalse(bad.getMessage().contains("\n"));
    }

    @Test
    void trainTokenizerFineTunesTheDecoderAdversariallyAndKeepsTheTransformer() throws Exception {
        Path out = dir.resolve("fine-tuned.zip");
        VarMagicsTest.Recorder nb = new VarMagicsTest.Recorder();
        VarMagics.cell(List.of("train", "tokenizer"), "data=synthetic:8\ninit=" + modelFile + "\ntrain_part=decoder\ndisc_weight=0.5\n"
                + "disc_ch=16\nsteps=2\nbatch=4\nlog_every=1\ncheckpoint_every=0\nout=" + out, nb);
        ModelFile.Loaded before = ModelFile.load(modelFile), after = ModelFile.load(out);
        assertNotNull(after.config().var(), "the transformer of init= is kept");
        assertEquals(before.weights().get("vae.encoder.conv_in.weight"), after.weights().get("vae.encoder.conv_in.weight"), "the encoder is frozen");
        assertNotEquals(before.weights().get("vae.decoder.conv_out.weight"), after.weights().get("vae.decoder.conv_out.weight"), "the decoder trained");
        assertTrue(String.join("\n", nb.text).contains("adaptive weight"), nb.text.toString());
    }

    @Test
    void loadingADirectoryOrBrokenFileIsOneLine() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.zip"), "not a zip");
        VarMagicError e = assertThrows(VarMagicError.class, () -> line("load", broken.toString()));
        assertTrue(e.getMessage().startsWith("%var load: ") && e.getMessage().contains("broken.zip"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
