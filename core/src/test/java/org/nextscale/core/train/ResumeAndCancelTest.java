package org.nextscale.core.train;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.api.CancelledException;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.model.ModelFile;

/**
 * A run cancelled after step 5 and resumed from its checkpoint gives, at every later step, exactly the loss
 * of an uninterrupted run, and the same final weights; the cancelled run left a loadable checkpoint. Also
 * with micro-batches (the option is kept in the checkpoint, so the resumed run splits its batches alike).
 */
class ResumeAndCancelTest {
    @TempDir
    static Path dir;
    static Path tokenizer;

    @BeforeAll
    static void tokenizer() throws IOException {
        tokenizer = Training.trainTokenizer(TrainOptions.parse(TinyRuns.tokenizer(dir.resolve("base-tok.zip").toString(), 30)), null, null);
    }

    @Test
    void tokenizerResumesBitForBit() throws IOException {
        Map<String, String> o = TinyRuns.tokenizer("", 12);
        o.put("log_every", "4"); // a usage window (and dead-code re-initialisation) spans the checkpoint
        o.put("flip", "true");
        check(o, true);
    }

    @Test
    void transformerResumesBitForBit() throws IOException {
        Map<String, String> o = TinyRuns.var(tokenizer.toString(), "", 12);
        o.put("flip", "true");
        o.put("label_smooth", "0.1");
        o.put("cond_drop", "0.3");
        check(o, false);
    }

    @Test
    void tokenizerWithMicroBatchesResumesBitForBit() throws IOException {
        Map<String, String> o = TinyRuns.tokenizer("", 12);
        o.put("log_every", "4");
        o.put("micro_batch", "8");                   // 16 = 2 x 8
        check(o, true, "tok-micro");
    }

    @Test
    void transformerWithMicroBatchesResumesBitForBit() throws IOException {
        Map<String, String> o = TinyRuns.var(tokenizer.toString(), "", 12);
        o.put("micro_batch", "4");                   // 16 = 4 x 4: gradients accumulated over four passes
        o.put("cond_drop", "0.3");
        check(o, false, "var-micro");
    }

    @Test
    void transformerWithAMovingAverageResumesBitForBitAndWritesTheAverage() throws IOException {
        Map<String, String> o = TinyRuns.var(tokenizer.toString(), "", 12);
        o.put("ema", "0.9");
        check(o, false, "var-ema");
        // the model file holds the average the final checkpoint keeps, not the trained weights
        Checkpoint last = Checkpoint.read(dir.resolve("var-ema-b.ckpt.zip"));
        assertEquals(12, last.step());
        Map<String, HostTensor> model = ModelFile.load(dir.resolve("var-ema-b.zip")).weights();
        int averaged = 0, differ = 0;
        for (String k : last.optimizer().keySet()) {
            if (!k.startsWith("ema.")) continue;
            String n = k.substring(4);
            averaged++;
            assertEquals(last.optimizer().get(k), model.get(n), n);
            if (!last.weights().get(n).equals(model.get(n))) differ++;
        }
        assertTrue(averaged > 20 && differ == averaged, averaged + " averaged tensors, " + differ + " differ from the trained weights");
        for (String n : model.keySet()) if (n.startsWith("vae.")) assertEquals(last.weights().get(n), model.get(n), "the tokenizer is not averaged: " + n);
        // convert --ema makes the same model from the checkpoint; without a moving average it says so in one line
        Path fromCheckpoint = dir.resolve("var-ema-from-ckpt.zip");
        ModelFile.convert(List.of(dir.resolve("var-ema-b.ckpt.zip")), fromCheckpoint, ModelFile.Storage.FLOAT32, true);
        Map<String, HostTensor> converted = ModelFile.load(fromCheckpoint).weights();
        for (String n : model.keySet()) assertEquals(model.get(n), converted.get(n), n);
        Map<String, HostTensor> noAverage = new java.util.LinkedHashMap<>(last.optimizer());
        noAverage.keySet().removeIf(k -> k.startsWith(ModelFile.MOVING_AVERAGE_PREFIX));
        Path plain = dir.resolve("plain.ckpt.zip");
        new Checkpoint(last.phase(), last.step(), last.config(), last.weights(), noAverage, last.options(), last.extra()).write(plain);
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> ModelFile.convert(List.of(plain),
                dir.resolve("x.zip"), ModelFile.Storage.FLOAT32, true));
        assertTrue(none.getMessage().contains("holds no moving average of the weights"), none.getMessage());

        // one step of the recurrence, from the step-5 checkpoint to step 6: avg6 = avg5 + (1 - d6) (w6 - avg5), d6 = min(0.9, 7/16)
        o.put("out", dir.resolve("var-ema-c.zip").toString());
        assertThrows(CancelledException.class, () -> run(o, false, new Recorder(5)));
        Checkpoint five = Checkpoint.read(dir.resolve("var-ema-c.ckpt.zip"));
        run(Map.of("resume", dir.resolve("var-ema-c.ckpt.zip").toString(), "steps", "6", "out", dir.resolve("var-ema-d.zip").toString()), false, new Recorder());
        Checkpoint six = Checkpoint.read(dir.resolve("var-ema-d.ckpt.zip"));
        float rate = (float) (1 - Math.min(0.9, 7.0 / 16));
        String n = "var.head.weight";
        float[] a5 = five.optimizer().get("ema." + n).toFloats(), w6 = six.weights().get(n).toFloats(), a6 = six.optimizer().get("ema." + n).toFloats();
        for (int i = 0; i < a5.length; i++) assertEquals(a5[i] + (w6[i] - a5[i]) * rate, a6[i], 1e-6f, n + "[" + i + "]");
    }

    private static void check(Map<String, String> o, boolean tok) throws IOException {
        check(o, tok, tok ? "tok" : "var");
    }

    private static void check(Map<String, String> o, boolean tok, String name) throws IOException {
        o.put("out", dir.resolve(name + "-a.zip").toString());
        Recorder a = new Recorder();
        Path outA = run(o, tok, a);
        assertEquals(12, a.events.size());

        o.put("out", dir.resolve(name + "-b.zip").toString());
        Recorder b = new Recorder(5);
        assertThrows(CancelledException.class, () -> run(o, tok, b));
        assertEquals(5, b.events.size(), "cancellation stops within one step");
        Path ckpt = dir.resolve(name + "-b.ckpt.zip");
        assertTrue(Files.isRegularFile(ckpt));
        assertFalse(Files.exists(dir.resolve(name + "-b.zip")), "no model file for a cancelled run");
        Checkpoint c = Checkpoint.read(ckpt);
        assertEquals(5, c.step());
        assertEquals(tok ? "tokenizer" : "var", c.phase());
        assertEquals(c.weights().keySet(), ModelFile.load(ckpt).weights().keySet(), "the checkpoint loads as a model file");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }

        Recorder r = new Recorder();
        Path outB = run(Map.of("resume", ckpt.toString()), tok, r);
        assertEquals(7, r.events.size());
        for (int i = 0; i < 7; i++) {
            assertEquals(a.events.get(5 + i).step(), r.events.get(i).step());
            assertEquals(a.events.get(5 + i).loss(), r.events.get(i).loss(), 0.0, "loss of step " + (6 + i));
            if (!tok) assertEquals(a.events.get(5 + i).accuracy(), r.events.get(i).accuracy(), 0.0);
        }
        Map<String, HostTensor> wa = ModelFile.load(outA).weights(), wb = ModelFile.load(outB).weights();
        assertEquals(wa.keySet(), wb.keySet());
        for (String k : wa.keySet()) assertEquals(wa.get(k), wb.get(k), k);
        // the model card survives the interruption: what the trainer noted before it (the tokenizer's record) is kept
        com.google.gson.JsonObject ca = card(outA), cb = card(outB);
        assertEquals(ca.keySet(), cb.keySet(), "training.json of the resumed run: " + cb + "\nof the run without interruption: " + ca);
        if (!tok) {
            assertTrue(ca.has("tokenizer"), ca.toString());
            assertEquals(ca.get("tokenizer"), cb.get("tokenizer"));
        }
    }

    private static com.google.gson.JsonObject card(Path model) throws IOException {
        byte[] b = ModelFile.readEntry(model, org.nextscale.core.model.ModelCard.TRAINING_ENTRY);
        assertNotNull(b, model + " has no training.json");
        return com.google.gson.JsonParser.parseString(new String(b, java.nio.charset.StandardCharsets.UTF_8)).getAsJsonObject();
    }

    private static Path run(Map<String, String> o, boolean tok, Recorder r) throws IOException {
        TrainOptions opts = TrainOptions.parse(o);
        return tok ? Training.trainTokenizer(opts, r, r.cancel) : Training.trainVar(opts, r, r.cancel);
    }

    @Test
    void cancelBeforeTheFirstStepWritesNothing() {
        Recorder r = new Recorder();
        r.cancel.cancel();
        Map<String, String> o = TinyRuns.tokenizer(dir.resolve("never.zip").toString(), 5);
        assertThrows(CancelledException.class, () -> Training.trainTokenizer(TrainOptions.parse(o), r, r.cancel));
        assertTrue(r.events.isEmpty());
        assertFalse(Files.exists(dir.resolve("never.ckpt.zip")));
    }
}
