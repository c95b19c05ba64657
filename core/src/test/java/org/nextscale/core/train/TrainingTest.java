package org.nextscale.core.train;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.model.ModelFile;

class TrainingTest {
    @TempDir
    static Path dir;
    static Path tokenizer;
    static Recorder tokenizerRun;

    @BeforeAll
    static void trainTinyTokenizer() throws IOException {
        tokenizerRun = new Recorder();
        tokenizer = Training.trainTokenizer(TrainOptions.parse(TinyRuns.tokenizer(dir.resolve("tok.zip").toString(), 80)), tokenizerRun, null);
    }

    @Test
    void tokenizerLossFallsAndTheModelFileLoads() throws IOException {
        assertEquals(80, tokenizerRun.events.size());
        double first = tokenizerRun.meanLoss(0, 5), last = tokenizerRun.meanLoss(70, 80);
        assertTrue(last < 0.5 * first, "tokenizer loss " + first + " -> " + last);
        ModelFile.Loaded m = ModelFile.load(tokenizer);
        assertNull(m.config().var());
        assertEquals(16, m.config().imageSize());
        assertTrue(tokenizerRun.messages.stream().anyMatch(s -> s.contains("codebook usage per scale")), tokenizerRun.messages.toString());
        assertTrue(Files.isRegularFile(TrainRun.checkpointPath(tokenizer)));
    }

    @Test
    void varLossFallsAndAccuracyRises() throws IOException {
        Recorder r = new Recorder();
        Path out = Training.trainVar(TrainOptions.parse(TinyRuns.var(tokenizer.toString(), dir.resolve("var.zip").toString(), 80)), r, null);
        double first = r.meanLoss(0, 5), last = r.meanLoss(70, 80);
        assertTrue(last < 0.75 * first, "VAR loss " + first + " -> " + last);
        assertTrue(r.meanAcc(70, 80) > r.meanAcc(0, 5) + 0.1, "accuracy " + r.meanAcc(0, 5) + " -> " + r.meanAcc(70, 80));
        ModelFile.Loaded m = ModelFile.load(out);
        assertEquals(4, m.config().var().numClasses());
        assertTrue(r.messages.stream().anyMatch(s -> s.startsWith("step 80: per scale")), r.messages.toString());
    }
}
