package org.nextscale.core.train;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.api.CancelledException;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.TokenPyramid;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.data.SyntheticImages;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.model.ModelFile;
import org.nextscale.core.nn.Ops;
import org.nextscale.core.tokenizer.VqVae;

/**
 * The adversarial decoder loss (hinge, generator term, adaptive weight checked by hand and against autograd)
 * and decoder-only fine-tuning: frozen weights stay bit-equal, every token an image gets is unchanged, a
 * transformer in the starting model is carried along, the discriminator lives in the checkpoint only, and a
 * run with the discriminator resumes bit for bit.
 */
class AdversarialTrainingTest {
    @TempDir
    static Path dir;
    static Path base;      // tokenizer + transformer, trained for a few steps

    @BeforeAll
    static void baseModel() throws IOException {
        Path tok = Training.trainTokenizer(TrainOptions.parse(TinyRuns.tokenizer(dir.resolve("tok.zip").toString(), 20)), null, null);
        base = Training.trainVar(TrainOptions.parse(TinyRuns.var(tok.toString(), dir.resolve("base.zip").toString(), 3)), null, null);
    }

    @Test
    void hingeGeneratorAndAdaptiveWeightByHand() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray real = m.create(new float[] {2f, 0.5f, -1f}), fake = m.create(new float[] {-2f, 0.3f});
            // relu(1 - real) = 0, 0.5, 2 -> mean 5/6; relu(1 + fake) = 0, 1.3 -> mean 0.65
            assertEquals(0.5 * (5.0 / 6 + 0.65), AdversarialLoss.hinge(real, fake).getFloat(), 1e-6);
            assertEquals(0.85, AdversarialLoss.generator(fake).getFloat(), 1e-6);
        }
        assertEquals(3 / (1 + 1e-4) * 0.5, AdversarialLoss.adaptiveWeight(3, 1, 0.5), 1e-12);
        assertEquals(1e4 * 0.8, AdversarialLoss.adaptiveWeight(5, 0, 0.8), 1e-9, "clamped at 1e4");
        assertEquals(0, AdversarialLoss.adaptiveWeight(0, 2, 1), 0);
    }

    @Test
    void lastLayerGradientNormAndReconstructionGradientMatchAutograd() {
        Random r = new Random(3);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray features = m.create(gauss(r, 2 * 32 * 6 * 6), new Shape(2, 32, 6, 6));
            NDArray w = m.create(gauss(r, 32 * 9), new Shape(1, 32, 3, 3));
            NDArray img = m.create(gauss(r, 2 * 36), new Shape(2, 1, 6, 6));
            w.setRequiresGradient(true);
            NDArray out;
            double expectedNorm;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                out = Ops.conv2dMatmul(features, w, null, 1, 1);                  // (2, 1, 6, 6)
                NDArray diff = out.sub(img);
                gc.backward(diff.abs().mean().add(diff.square().mean()));
            }
            try (NDArray g = w.getGradient()) {
                expectedNorm = g.norm().getFloat();
            }
            NDArray gradOut = AdversarialLoss.reconstructionGradient(out.sub(img));
            assertEquals(expectedNorm, AdversarialLoss.lastLayerGradNorm(features, gradOut, 3), 1e-5 * expectedNorm);
            // and dL/dout itself, through autograd with out as a leaf
            NDArray leaf = out.stopGradient().duplicate();
            leaf.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray diff = leaf.sub(img);
                gc.backward(diff.abs().mean().add(diff.square().mean()));
            }
            try (NDArray g = leaf.getGradient()) {
                float[] a = g.toFloatArray(), b = gradOut.toFloatArray();
                for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-6 * Math.max(1, Math.abs(a[i])), "dL/dout at " + i);
            }
        }
    }

    @Test
    void discriminatorGivesOneLogitPerPatch() {
        try (NDManager m = NDManager.newBaseManager()) {
            Discriminator d = new Discriminator(org.nextscale.core.nn.Params.fromHost(Discriminator.init(1, 16, 2, 0), m), 2);
            NDArray logits = d.forward(m.zeros(new Shape(3, 1, 32, 32)));
            assertEquals(new Shape(3, 1, 6, 6), logits.getShape());
            assertEquals(6, Discriminator.logitSide(32, 2));
        }
    }

    @Test
    void decoderOnlyFineTuningKeepsTokensFrozenWeightsAndTheTransformer() throws IOException {
        Path out = dir.resolve("dec.zip");
        Recorder rec = new Recorder();
        Training.trainTokenizer(TrainOptions.parse(decoderRun(out, 6)), rec, null);
        assertTrue(rec.messages.stream().anyMatch(s -> s.contains("adaptive weight")), "the adversarial term was active: " + rec.messages);

        ModelFile.Loaded before = ModelFile.load(base), after = ModelFile.load(out);
        assertNotNull(after.config().var(), "the transformer of the starting model is kept");
        assertEquals(before.weights().keySet(), after.weights().keySet(), "no discriminator weights in the model file");
        int changed = 0;
        for (String k : before.weights().keySet()) {
            boolean trained = VqVae.isDecoderWeight(k);
            if (!trained) assertEquals(before.weights().get(k), after.weights().get(k), k + " is frozen");
            else if (!before.weights().get(k).equals(after.weights().get(k))) changed++;
        }
        assertTrue(changed > 10, "decoder weights were trained (" + changed + " changed)");
        Checkpoint c = Checkpoint.read(TrainRun.checkpointPath(out));
        assertTrue(c.optimizer().containsKey("disc.conv0.weight") && c.optimizer().containsKey("m.disc.out.weight"),
                "the discriminator and its moments live in the checkpoint");

        List<Image> images = new ArrayList<>();
        float[][] px = SyntheticImages.generate(6, 16, 1, 9).images();
        for (float[] p : px) images.add(new Image(1, 16, 16, p));
        try (VarModel a = VarModel.load(base, ai.djl.Device.cpu()); VarModel b = VarModel.load(out, ai.djl.Device.cpu())) {
            int differentPixels = 0;
            for (Image im : images) {
                TokenPyramid ta = a.tokenize(im), tb = b.tokenize(im);
                for (int s = 0; s < ta.numScales(); s++) assertArrayEquals(ta.tokens().get(s), tb.tokens().get(s), "scale " + s);
                float[] ra = a.reconstruct(im).data(), rb = b.reconstruct(im).data();
                for (int i = 0; i < ra.length; i++) if (ra[i] != rb[i]) differentPixels++;
            }
            assertTrue(differentPixels > 0, "the decoder changed what the tokens decode to");
        }
    }

    @Test
    void decoderOnlyNeedsAStartingModel() {
        Map<String, String> o = TinyRuns.tokenizer(dir.resolve("x.zip").toString(), 3);
        o.put("train_part", "decoder");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainOptions.parse(o));
        assertTrue(e.getMessage().contains("init="), e.getMessage());
    }

    @Test
    void resumesBitForBitWithTheDiscriminator() throws IOException {
        Map<String, String> o = decoderRun(dir.resolve("ra.zip"), 10);
        o.put("disc_start", "3");                 // the checkpoint at step 5 holds a discriminator that has trained
        Recorder a = new Recorder();
        Path outA = Training.trainTokenizer(TrainOptions.parse(o), a, a.cancel);

        o.put("out", dir.resolve("rb.zip").toString());
        Recorder b = new Recorder(5);
        assertThrows(CancelledException.class, () -> Training.trainTokenizer(TrainOptions.parse(o), b, b.cancel));
        Recorder r = new Recorder();
        Path outB = Training.trainTokenizer(TrainOptions.parse(Map.of("resume", TrainRun.checkpointPath(dir.resolve("rb.zip")).toString())), r, r.cancel);
        assertEquals(5, r.events.size());
        for (int i = 0; i < 5; i++) assertEquals(a.events.get(5 + i).loss(), r.events.get(i).loss(), 0.0, "loss of step " + (6 + i));
        Map<String, HostTensor> wa = ModelFile.load(outA).weights(), wb = ModelFile.load(outB).weights();
        for (String k : wa.keySet()) assertEquals(wa.get(k), wb.get(k), k);
        Map<String, HostTensor> da = Checkpoint.read(TrainRun.checkpointPath(outA)).optimizer(), db = Checkpoint.read(TrainRun.checkpointPath(outB)).optimizer();
        for (String k : da.keySet()) if (k.contains("disc.")) assertEquals(da.get(k), db.get(k), k);
    }

    private static Map<String, String> decoderRun(Path out, int steps) {
        Map<String, String> o = TinyRuns.tokenizer(out.toString(), steps);
        o.put("init", base.toString());
        o.put("train_part", "decoder");
        o.put("disc_weight", "0.5");
        o.put("disc_ch", "16");
        o.put("log_every", "2");
        o.put("lr", "1e-3");
        return o;
    }

    private static float[] gauss(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }
}
