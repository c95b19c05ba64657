package org.nextscale.core.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.TestPaths;
import picocli.CommandLine;

class EvalCommandTest {

    static String[] run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void missingModelIsOneClearLine(@TempDir Path dir) {
        Path classifier = TestPaths.repo().resolve("models/fmnist-classifier.safetensors");
        String[] r = run("eval", "--model", dir.resolve("nope.zip").toString(), "--classifier", classifier.toString(), "--n", "100");
        assertEquals("1", r[0]);
        assertEquals("nextscale eval: model file not found: " + dir.resolve("nope.zip"), r[2].strip());
    }

    @Test
    void classifierIsFoundBesideTheModelOrNamedInTheError(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("m.zip");
        Files.write(model, new byte[] {1});
        System.clearProperty("nextscale.home");
        IOException e = assertThrows(IOException.class, () -> EvalCommand.classifierFile(null, model));
        assertTrue(e.getMessage().contains("nextscale train-classifier"), e.getMessage());
        Path beside = dir.resolve(EvalCommand.CLASSIFIER_FILE);
        Files.write(beside, new byte[] {1});
        assertEquals(beside, EvalCommand.classifierFile(null, model));
        String[] r = run("eval", "--model", model.toString(), "--classifier", dir.resolve("missing.safetensors").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].startsWith("nextscale eval: classifier weights not found"), r[2]);
        assertEquals(1, r[2].strip().lines().count(), r[2]);
    }

    @Test
    void badSampleCountIsRefusedBeforeAnyWork() {
        String[] r = run("eval", "--model", "x.zip", "--n", "5");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("--n must be at least 20"), r[2]);
    }

    @Test
    void trainClassifierChecksItsOptions(@TempDir Path dir) {
        String[] r = run("train-classifier", "--epochs", "0", "--out", dir.resolve("c.safetensors").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("--epochs must be at least 1"), r[2]);
    }
}
