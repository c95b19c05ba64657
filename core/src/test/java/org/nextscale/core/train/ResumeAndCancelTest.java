package org.nextscale.core.train;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.api.CancelledException;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.model.ModelFile;

/**
 * A run cancelled after step 5 and resumed from its checkpoint gives, at every later step, exactly the loss
 * of an uninterrupted run, and the same final weights; the cancelled run left a loadable checkpoint.
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

    private static void check(Map<String, String> o, boolean tok) throws IOException {
        String name = tok ? "tok" : "var";
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
