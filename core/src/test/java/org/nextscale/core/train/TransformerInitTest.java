package org.nextscale.core.train;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.model.ModelFile;
import org.nextscale.core.tokenizer.VqVae;

/**
 * {@code train init=MODEL.zip}: the transformer goes on from a trained model's weights (fresh optimizer and
 * schedule), also on a tokenizer whose decoder alone was fine-tuned, and every mismatch is refused in one line.
 */
class TransformerInitTest {
    @TempDir
    static Path dir;
    static Path tokenizer, base, sharpened;
    static Recorder baseRun = new Recorder();

    @BeforeAll
    static void models() throws IOException {
        tokenizer = Training.trainTokenizer(TrainOptions.parse(TinyRuns.tokenizer(dir.resolve("tok.zip").toString(), 40)), null, null);
        base = Training.trainVar(TrainOptions.parse(TinyRuns.var(tokenizer.toString(), dir.resolve("base.zip").toString(), 60)), baseRun, null);
        Map<String, String> dec = TinyRuns.tokenizer(dir.resolve("sharp.zip").toString(), 3);
        dec.put("init", base.toString());
        dec.put("train_part", "decoder");
        sharpened = Training.trainTokenizer(TrainOptions.parse(dec), null, null);
    }

    private static Map<String, String> initRun(String out, int steps) {
        Map<String, String> o = TinyRuns.var(tokenizer.toString(), dir.resolve(out).toString(), steps);
        o.remove("tokenizer");
        o.remove("depth");
        o.remove("width");
        o.remove("heads");
        o.put("init", base.toString());
        return o;
    }

    @Test
    void theTransformerStartsFromTheModelAndGoesOnLearning() throws IOException {
        Map<String, String> still = initRun("still.zip", 1);
        still.put("lr", "1e-12");
        Path out = Training.trainVar(TrainOptions.parse(still), null, null);
        Map<String, HostTensor> a = ModelFile.load(base).weights(), b = ModelFile.load(out).weights();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            float[] x = a.get(k).toFloats(), y = b.get(k).toFloats();
            for (int i = 0; i < x.length; i++) assertEquals(x[i], y[i], 1e-6, k + "[" + i + "]");
        }

        Recorder fresh = new Recorder(), resumed = new Recorder();
        Training.trainVar(TrainOptions.parse(TinyRuns.var(tokenizer.toString(), dir.resolve("fresh.zip").toString(), 5)), fresh, null);
        Training.trainVar(TrainOptions.parse(initRun("more.zip", 5)), resumed, null);
        double start = resumed.meanLoss(0, 5), scratch = fresh.meanLoss(0, 5), trained = baseRun.meanLoss(50, 60);
        assertTrue(start < scratch - 0.3, "a run from the model starts below a new one: " + start + " vs " + scratch);
        assertTrue(Math.abs(start - trained) < 0.3, "and near where the model's training ended: " + start + " vs " + trained);
        assertTrue(resumed.messages.stream().anyMatch(s -> s.contains("starts from the one in")), resumed.messages.toString());
    }

    @Test
    void aTokenizerWithAFineTunedDecoderIsAcceptedAndKeptInTheOutput() throws IOException {
        Map<String, String> o = initRun("on-sharp.zip", 2);
        o.put("tokenizer", sharpened.toString());
        Path out = Training.trainVar(TrainOptions.parse(o), null, null);
        Map<String, HostTensor> s = ModelFile.load(sharpened).weights(), m = ModelFile.load(out).weights(), b = ModelFile.load(base).weights();
        int decoderDiffers = 0;
        for (String k : s.keySet()) {
            if (!k.startsWith("vae.")) continue;
            assertEquals(s.get(k), m.get(k), k + " comes from the given tokenizer");
            if (VqVae.isDecoderWeight(k) && !s.get(k).equals(b.get(k))) decoderDiffers++;
        }
        assertTrue(decoderDiffers > 0, "the fine-tuned decoder differs from the model's own");
    }

    @Test
    void mismatchesAreRefusedWithTheReason() throws IOException {
        Map<String, String> noVar = initRun("x.zip", 1);
        noVar.put("init", tokenizer.toString());
        assertRefused(noVar, "holds no transformer");

        Map<String, String> deeper = initRun("x.zip", 1);
        deeper.put("depth", "3");
        assertRefused(deeper, "leave depth, width and heads out");

        Map<String, String> raster = initRun("x.zip", 1);
        raster.put("order", "raster");
        assertRefused(raster, "var-order transformer, but this run trains order=raster");

        Map<String, String> other = TinyRuns.tokenizer(dir.resolve("other.zip").toString(), 2);
        other.put("seed", "7");
        Path otherTok = Training.trainTokenizer(TrainOptions.parse(other), null, null);
        Map<String, String> wrongTokens = initRun("x.zip", 1);
        wrongTokens.put("tokenizer", otherTok.toString());
        assertRefused(wrongTokens, "gives other tokens");
    }

    private static void assertRefused(Map<String, String> o, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Training.trainVar(TrainOptions.parse(o), null, null));
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }
}
