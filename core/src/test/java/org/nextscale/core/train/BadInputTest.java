package org.nextscale.core.train;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.cli.Main;
import org.nextscale.core.data.ImageFolderTest;
import picocli.CommandLine;

/** Bad inputs give one clear line naming the problem and what to do, before any training starts. */
class BadInputTest {
    @TempDir
    Path dir;

    private Exception tokenizerError(Map<String, String> extra) {
        Map<String, String> o = TinyRuns.tokenizer(dir.resolve("t.zip").toString(), 3);
        o.putAll(extra);
        return assertThrows(Exception.class, () -> Training.trainTokenizer(TrainOptions.parse(o), null, null));
    }

    @Test
    void badDataFolders() throws IOException {
        Files.createDirectories(dir.resolve("empty"));
        assertTrue(tokenizerError(Map.of("data", dir.resolve("empty").toString())).getMessage().startsWith("no images found in"));

        Path broken = Files.createDirectories(dir.resolve("broken/cats"));
        Files.writeString(broken.resolve("a.png"), "not a png");
        Exception e = tokenizerError(Map.of("data", dir.resolve("broken").toString()));
        assertTrue(e instanceof IOException && e.getMessage().startsWith("cannot read image") && e.getMessage().contains("a.png"), e.getMessage());

        // images of any size train as patches, but each must hold one patch of the model's side (16 px here)
        ImageFolderTest.gray8(dir.resolve("mixed/a/1.png"), 40, 40, 9);
        ImageFolderTest.gray8(dir.resolve("mixed/b/2.png"), 12, 12, 9);
        e = tokenizerError(Map.of("data", dir.resolve("mixed").toString()));
        assertTrue(e.getMessage().startsWith("2.png is 12x12 px at this scale, smaller than the model's 16 px patches"), e.getMessage());
        // images larger than the model that hold nothing but background: no patch passes the foreground filter
        ImageFolderTest.gray8(dir.resolve("dark/1.png"), 40, 40, 9);
        ImageFolderTest.gray8(dir.resolve("dark/2.png"), 48, 40, 9);
        e = tokenizerError(Map.of("data", dir.resolve("dark").toString()));
        assertTrue(e.getMessage().startsWith("no training patch passes the foreground filter") && e.getMessage().contains("foreground"), e.getMessage());
        // images of different sizes that all fit the model stay whole images, which must share one size
        ImageFolderTest.gray8(dir.resolve("small/a/1.png"), 16, 16, 9);
        ImageFolderTest.gray8(dir.resolve("small/b/2.png"), 14, 16, 9);
        e = tokenizerError(Map.of("data", dir.resolve("small").toString()));
        assertTrue(e.getMessage().startsWith("images differ in size"), e.getMessage());

        e = tokenizerError(Map.of("data", dir.resolve("nowhere").toString()));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void missingFashionMnistNamesTheDebianPackage() {
        Exception e = tokenizerError(Map.of("data", "fashion-mnist:" + dir.resolve("none")));
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void badOptions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainOptions.parse(Map.of("stepz", "3")));
        assertTrue(e.getMessage().startsWith("unknown training option 'stepz'; valid keys: data, steps, batch"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainOptions.parse(Map.of("steps", "many")));
        assertEquals("training option steps must be a whole number, got 'many'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainOptions.parse(Map.of("order", "zigzag")));
        assertTrue(e.getMessage().startsWith("training option order must be var or raster"));
        e = assertThrows(IllegalArgumentException.class, () -> TrainOptions.parse(Map.of("width", "100", "heads", "3")));
        assertTrue(e.getMessage().contains("divisible"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainOptions.parse(Map.of("image_size", "64", "patch_nums", "1,2,3,4,6,8")));
        assertTrue(e.getMessage().contains("does not match the last patch_num"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainOptions.parse(Map.of("image_size", "48")));
        assertTrue(e.getMessage().startsWith("training option image_size 48 has no preset scales: use 16, 32, 64 or 128"), e.getMessage());
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 8, 10, 13, 16), TrainOptions.parse(Map.of("image_size", "64")).patchNums(), "image_size picks its scales");
        // CLI spelling: --checkpoint-every is checkpoint_every
        assertEquals(7, TrainOptions.parse(Map.of("checkpoint-every", "7")).checkpointEvery());
    }

    @Test
    void eachTrainerRefusesTheOthersOptionsAndEachCommandListsOnlyItsOwn() {
        Map<String, String> var = new LinkedHashMap<>(TinyRuns.var(dir.resolve("t.zip").toString(), dir.resolve("v.zip").toString(), 3));
        var.put("vocab", "1024");                                 // silently ignored before: the tokenizer's file decides
        Exception e = assertThrows(IllegalArgumentException.class, () -> Training.trainVar(TrainOptions.parse(var), null, null));
        assertEquals("'vocab' is a tokenizer option (train-tokenizer); transformer training takes the tokenizer as it is in its file (tokenizer=...)",
                e.getMessage());
        e = tokenizerError(Map.of("depth", "8"));
        assertEquals("'depth' is a transformer option (train); tokenizer training does not use it", e.getMessage());
        assertFalse(Files.exists(dir.resolve("t.zip")) || Files.exists(dir.resolve("v.zip")), "refused before any training");

        for (String[] c : new String[][] {{"train", "--vocab", "--disc-weight", "--train-part", "--patch-nums"},
                                          {"train-tokenizer", "--depth", "--tokenizer", "--cond-drop", "--order"}}) {
            StringWriter out = new StringWriter(), err = new StringWriter();
            CommandLine cli = Main.commandLine();
            cli.setOut(new PrintWriter(out, true));                   // for the whole hierarchy of subcommands
            cli.setErr(new PrintWriter(err, true));
            assertEquals(0, cli.execute(c[0], "--help"));
            for (int i = 1; i < c.length; i++) assertFalse(out.toString().contains(c[i] + "="), c[0] + " --help lists " + c[i] + ":\n" + out);
            assertTrue(out.toString().contains("--steps=") && out.toString().contains("--seed="), out.toString());
            assertEquals(2, cli.execute(c[0], c[1], "3"), c[0] + " " + c[1] + " should be a usage error");
        }
    }

    @Test
    void varTrainingNeedsATokenizerAndResumeNeedsTheRightCheckpoint() throws IOException {
        Map<String, String> o = new LinkedHashMap<>(TinyRuns.var("", dir.resolve("v.zip").toString(), 3));
        o.remove("tokenizer");
        Exception e = assertThrows(IllegalArgumentException.class, () -> Training.trainVar(TrainOptions.parse(o), null, null));
        assertTrue(e.getMessage().contains("tokenizer=TOK.zip"), e.getMessage());

        o.put("tokenizer", dir.resolve("missing.zip").toString());
        e = assertThrows(IOException.class, () -> Training.trainVar(TrainOptions.parse(o), null, null));

        Path tok = Training.trainTokenizer(TrainOptions.parse(TinyRuns.tokenizer(dir.resolve("t.zip").toString(), 2)), null, null);
        e = assertThrows(IllegalArgumentException.class, () -> Training.trainVar(TrainOptions.parse(Map.of("resume", TrainRun.checkpointPath(tok).toString())), null, null));
        assertTrue(e.getMessage().contains("is a tokenizer checkpoint"), e.getMessage());
        e = assertThrows(IOException.class, () -> Training.trainTokenizer(TrainOptions.parse(Map.of("resume", tok.toString())), null, null));
        assertTrue(e.getMessage().contains("not a training checkpoint"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Training.trainTokenizer(TrainOptions.parse(Map.of("resume", TrainRun.checkpointPath(tok).toString())), null, null));
        assertTrue(e.getMessage().contains("already done 2 steps"), e.getMessage());
    }

    @Test
    void cliPrintsOneLine() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        for (CommandLine sub : cl.getSubcommands().values()) sub.setErr(new PrintWriter(err));
        int code = cl.execute("train-tokenizer", "--data", dir.resolve("nothing").toString(), "--steps", "2");
        assertEquals(1, code);
        String text = err.toString().trim();
        assertFalse(text.contains("\n"), text);
        assertTrue(text.startsWith("nextscale train-tokenizer: data folder") && text.contains("does not exist"), text);
        err.getBuffer().setLength(0);
        code = cl.execute("train", "--batch", "0");
        assertNotEquals(0, code);
        assertTrue(err.toString().contains("training option batch must be > 0"), err.toString());
    }
}
