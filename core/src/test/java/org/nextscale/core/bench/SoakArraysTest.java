package org.nextscale.core.bench;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Campaign 5 of issue 12, the short form (the 10,000-step figure is `nextscale bench --soak 10000`): over a
 * few hundred tiny training steps and sampling calls, the number of live engine arrays after each step is
 * the same. The engine frees nothing by itself, so one array kept per step is a leak that grows without end.
 */
class SoakArraysTest {
    static final int STEPS = 120;
    static final int WARMUP = 2;

    @TempDir
    Path dir;

    @Test
    void liveArraysStayConstantOverTrainingAndSampling() throws Exception {
        long before = Soak.liveArrays();
        Soak.Series tok = Soak.tokenizerTraining(dir, STEPS, "cpu", null);
        Soak.Series var = Soak.transformerTraining(dir, dir.resolve("soak-tokenizer.zip"), STEPS, "cpu", null);
        Soak.Series averaged = Soak.transformerTraining(dir, dir.resolve("soak-tokenizer.zip"), STEPS, "cpu", null, 0.99);
        Soak.Series sampling = Soak.sampling(dir.resolve("soak-var.zip"), STEPS, "cpu", null);
        for (Soak.Series s : java.util.List.of(tok, var, averaged, sampling)) {
            Soak.Series steady = new Soak.Series(s.name(), s.samples().subList(WARMUP, s.samples().size()));
            assertEquals(steady.arraysMin(), steady.arraysMax(), s.name() + ": live engine arrays changed between steps "
                    + (WARMUP + 1) + " and " + STEPS + " (from " + steady.arraysFirst() + " to " + steady.arraysLast() + ")");
            System.out.printf("soak (%s): %d steps, live engine arrays %d after step %d and %d after step %d%n", s.name(), s.samples().size(),
                    steady.arraysFirst(), WARMUP + 1, steady.arraysLast(), STEPS);
        }
        assertEquals(before, Soak.liveArrays(), "arrays left behind after the runs and the model were closed");
    }
}
