package org.nextscale.core.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.TestPaths;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.io.SafeTensors;
import org.nextscale.core.model.ModelFile;
import picocli.CommandLine;

class ModelCommandsTest {

    /** Runs the CLI in-process; returns {exit code, stdout, stderr}. */
    static Object[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Object[] {code, out.toString(), err.toString()};
    }

    @Test
    void importOfTheParityCheckpointsGivesTheReferenceWeightsExactly(@TempDir Path dir) throws IOException {
        Path p = TestPaths.parity("tiny-a");
        Path model = dir.resolve("tiny-a.zip");
        Object[] r = run("import", "--vae", p.resolve("vae.pth").toString(), "--var", p.resolve("var.pth").toString(),
                "--config", p.resolve("config.json").toString(), "--out", model.toString());
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(((String) r[1]).startsWith("wrote " + model), (String) r[1]);
        Map<String, HostTensor> ref = SafeTensors.read(p.resolve("weights.safetensors"));
        ModelFile.Loaded m = ModelFile.load(model);
        assertEquals(ref.keySet(), m.weights().keySet());
        ref.forEach((k, v) -> assertEquals(v, m.weights().get(k), k));
        assertEquals(10, m.config().classNames().size());

        r = run("info", model.toString());
        assertEquals(0, r[0], (String) r[2]);
        String info = (String) r[1];
        assertTrue(info.contains("32x32 px, 3 channels (RGB)"), info);
        assertTrue(info.contains("scales:      6 (1,2,3,4,6,8), 130 tokens per image"), info);
        assertTrue(info.contains("classes:     10 (0, 1, 2, 3, 4, 5, 6, 7, 8, 9)"), info);
        assertTrue(info.contains("phi partially shared (4)"), info);
        assertTrue(info.contains("weights:     210 tensors"), info);
    }

    @Test
    void importWithoutVarGivesATokenizerOnlyModelAndFp16HalvesTheFile(@TempDir Path dir) throws IOException {
        Path p = TestPaths.parity("tiny-a");
        Path tok = dir.resolve("tok.zip"), half = dir.resolve("half.zip"), full = dir.resolve("full.zip");
        Object[] r = run("import", "--vae", p.resolve("vae.pth").toString(), "--config", p.resolve("config.json").toString(), "--out", tok.toString());
        assertEquals(0, r[0], (String) r[2]);
        ModelFile.Loaded m = ModelFile.load(tok);
        assertNull(m.config().var());
        assertTrue(m.weights().keySet().stream().allMatch(k -> k.startsWith("vae.")));
        assertTrue(((String) run("info", tok.toString())[1]).contains("transformer: none (tokenizer-only model)"));

        String[] common = {"import", "--vae", p.resolve("vae.pth").toString(), "--var", p.resolve("var.pth").toString(),
                "--config", p.resolve("config.json").toString()};
        assertEquals(0, run(concat(common, "--out", full.toString()))[0]);
        assertEquals(0, run(concat(common, "--out", half.toString(), "--fp16"))[0]);
        assertTrue(Files.size(half) < 0.6 * Files.size(full));
    }

    @Test
    void checkpointsThatDoNotFitTheConfigFailWithOneLine(@TempDir Path dir) {
        Path a = TestPaths.parity("tiny-a"), b = TestPaths.parity("tiny-b");
        Path out = dir.resolve("x.zip");
        Object[] r = run("import", "--vae", a.resolve("vae.pth").toString(), "--var", a.resolve("var.pth").toString(),
                "--config", b.resolve("config.json").toString(), "--out", out.toString());
        assertEquals(1, r[0]);
        String err = ((String) r[2]).strip();
        assertFalse(err.contains("\n"), "one line: " + err);
        assertTrue(err.matches("nextscale import: vae\\.pth does not fit the config \\(\\d+ problems\\): missing '[^']+', '[^']+', '[^']+' and \\d+ more; "
                + "unexpected '[^']+', '[^']+', '[^']+' and \\d+ more; mis-shaped 'encoder.conv_in.weight' \\[32, 3, 3, 3\\] \\(config: \\[32, 1, 3, 3\\]\\), .* and \\d+ more"), err);
        assertFalse(Files.exists(out));

        r = run("import", "--vae", a.resolve("var.pth").toString(), "--var", a.resolve("var.pth").toString(),
                "--preset", "d16", "--out", out.toString());
        assertEquals(1, r[0]);
        assertTrue(((String) r[2]).startsWith("nextscale import: var.pth does not fit the config"), (String) r[2]);

        r = run("import", "--vae", a.resolve("vae.pth").toString(), "--preset", "d99", "--out", out.toString());
        assertEquals("nextscale import: unknown preset 'd99': choose one of d16, d20, d24, d30, d36", ((String) r[2]).strip());

        r = run("import", "--vae", a.resolve("config.json").toString(), "--config", a.resolve("config.json").toString(), "--out", out.toString());
        assertEquals("nextscale import: config.json: not a PyTorch checkpoint (not a zip archive, or truncated)", ((String) r[2]).strip());

        r = run("info", a.resolve("cases.safetensors").toString());
        assertEquals(1, r[0]);
        assertTrue(((String) r[2]).startsWith("nextscale info: cases.safetensors: not a nextscale model"), (String) r[2]);
    }

    @Test
    void verifyRecomputesAParityFolderFromAnImportedModel(@TempDir Path dir) throws IOException {
        Path b = TestPaths.parity("tiny-b");
        Path model = dir.resolve("b.zip");
        ModelFile.save(model, org.nextscale.core.config.ConfigJson.parse(Files.readString(b.resolve("config.json"))),
                SafeTensors.read(b.resolve("weights.safetensors")), false);
        Object[] r = run("verify", b.toString(), "--model", model.toString());
        String out = (String) r[1];
        assertEquals(0, r[0], out + r[2]);
        String[] lines = out.strip().split("\n");
        assertEquals("48 passed, 0 failed", lines[lines.length - 1]);
        assertEquals(49, lines.length, "one line per tensor, then the summary");
        assertTrue(lines[0].matches("PASS  ce_loss +max abs error \\S+ +\\(tolerance .*"), lines[0]);

        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        r = run("verify", empty.toString());
        assertEquals(1, r[0]);
        assertEquals("nextscale verify: no such file: " + empty.resolve("config.json"), ((String) r[2]).strip());
    }

    static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void convertMakesAModelFileFromACheckpointWithTheTransformerInFloat16AndNeverWritesOverACheckpoint(@TempDir Path dir) throws IOException {
        Path p = TestPaths.parity("tiny-a");
        org.nextscale.core.config.ModelConfig config = org.nextscale.core.config.ConfigJson.parse(Files.readString(p.resolve("config.json")));
        Map<String, HostTensor> weights = SafeTensors.read(p.resolve("weights.safetensors"));
        Path ckpt = dir.resolve("run.ckpt.zip"), model = dir.resolve("run.zip"), f32 = dir.resolve("run32.zip");
        new org.nextscale.core.train.Checkpoint("var", 7, config, weights, Map.of("var.head.weight.exp_avg", weights.get("var.head.weight")),
                Map.of("steps", "10"), null).write(ckpt);
        byte[] ckptBytes = Files.readAllBytes(ckpt);

        Object[] r = run("convert", "--model", ckpt.toString(), "--storage", "transformer-float16", "--out", model.toString());
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(((String) r[1]).startsWith("wrote " + model), (String) r[1]);
        assertEquals(0, run("convert", "--model", ckpt.toString(), "--out", f32.toString())[0]);
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(model.toFile())) {
            assertNull(z.getEntry(ModelFile.OPTIMIZER_ENTRY));
            assertNull(z.getEntry(ModelFile.TRAINER_ENTRY));
            Map<String, HostTensor> raw = SafeTensors.read(z.getInputStream(z.getEntry(ModelFile.WEIGHTS_ENTRY)), "raw");
            assertEquals("F16", raw.get("var.head.weight").dtype());
            assertEquals("F32", raw.get("vae.quantize.embedding.weight").dtype(), "the tokenizer stays float32");
            assertEquals("F32", raw.get("var.attn_bias_for_masking").dtype(), "buffers stay float32");
        }
        long halved = org.nextscale.core.model.WeightSpec.of(config).stream().filter(e -> e.trainable() && e.name().startsWith("var."))
                .mapToLong(e -> weights.get(e.name()).toFloats().length * 2L).sum();
        assertEquals(Files.size(f32) - halved, Files.size(model), 1024, "2 bytes saved per transformer weight, only there");
        ModelFile.Loaded half = ModelFile.load(model), full = ModelFile.load(f32);
        weights.forEach((k, v) -> assertEquals(v, full.weights().get(k), "float32: the checkpoint's weights exactly: " + k));
        for (var e : org.nextscale.core.model.WeightSpec.of(config)) {
            HostTensor want = e.trainable() && e.name().startsWith("var.") ? weights.get(e.name()).toF16() : weights.get(e.name());
            assertArrayEquals(HostTensor.ofFloats(want.toFloats(), want.shape()).toFloats(), half.weights().get(e.name()).toFloats(), e.name());
        }

        // the checkpoint is never the output: neither itself nor another run's
        r = run("convert", "--model", ckpt.toString(), "--out", ckpt.toString());
        assertEquals(1, ((String) r[2]).strip().lines().count(), (String) r[2]);
        assertTrue(((String) r[2]).contains("is a training checkpoint"), (String) r[2]);
        r = run("convert", "--model", model.toString(), "--out", ckpt.toString());
        assertNotEquals(0, r[0]);
        assertArrayEquals(ckptBytes, Files.readAllBytes(ckpt), "the checkpoint is untouched");
        r = run("convert", "--model", model.toString(), "--storage", "half", "--out", dir.resolve("x.zip").toString());
        assertTrue(((String) r[2]).contains("--storage must be float32, transformer-float16 or float16"), (String) r[2]);
        assertFalse(Files.exists(dir.resolve("x.zip")));
    }

    @Test
    void convertAveragesTheWeightsOfSeveralCheckpointsOfOneArchitecture(@TempDir Path dir) throws IOException {
        Path p = TestPaths.parity("tiny-a");
        org.nextscale.core.config.ModelConfig config = org.nextscale.core.config.ConfigJson.parse(Files.readString(p.resolve("config.json")));
        Map<String, HostTensor> a = SafeTensors.read(p.resolve("weights.safetensors")), b = new java.util.LinkedHashMap<>(), c = new java.util.LinkedHashMap<>();
        var spec = org.nextscale.core.model.WeightSpec.of(config);
        for (var e : spec) {
            HostTensor t = a.get(e.name());
            if (!e.trainable()) { b.put(e.name(), t); c.put(e.name(), t); continue; }
            float[] x = t.toFloats(), y = new float[x.length], z = new float[x.length];
            for (int i = 0; i < x.length; i++) { y[i] = x[i] + 0.5f; z[i] = 2 * x[i]; }
            b.put(e.name(), HostTensor.ofFloats(y, t.shape()));
            c.put(e.name(), HostTensor.ofFloats(z, t.shape()));
        }
        Path ca = dir.resolve("a.ckpt.zip"), cb = dir.resolve("b.ckpt.zip"), cc = dir.resolve("c.zip"), mean = dir.resolve("mean.zip");
        new org.nextscale.core.train.Checkpoint("var", 1, config, a, Map.of(), Map.of("steps", "3"), null).write(ca);
        new org.nextscale.core.train.Checkpoint("var", 2, config, b, Map.of(), Map.of("steps", "3"), null).write(cb);
        ModelFile.save(cc, config, c, false);
        Object[] r = run("convert", "--model", ca + "," + cb, "--model", cc.toString(), "--out", mean.toString());
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(((String) r[1]).contains("the mean of 3 models' weights"), (String) r[1]);
        ModelFile.Loaded m = ModelFile.load(mean);
        for (var e : spec) {
            float[] x = a.get(e.name()).toFloats(), got = m.weights().get(e.name()).toFloats();
            if (!e.trainable()) { assertEquals(a.get(e.name()), m.weights().get(e.name()), "buffers kept: " + e.name()); continue; }
            for (int i = 0; i < x.length; i++) assertEquals((x[i] + x[i] + 0.5f + 2 * x[i]) / 3, got[i], 1e-5f, e.name());
        }
        // another architecture is refused in one line, and nothing is written
        Path other = dir.resolve("b-arch.zip");
        Path q = TestPaths.parity("tiny-b");
        ModelFile.save(other, org.nextscale.core.config.ConfigJson.parse(Files.readString(q.resolve("config.json"))),
                SafeTensors.read(q.resolve("weights.safetensors")), false);
        r = run("convert", "--model", ca + "," + other, "--out", dir.resolve("x.zip").toString());
        assertNotEquals(0, r[0]);
        assertEquals(1, ((String) r[2]).strip().lines().count(), (String) r[2]);
        assertTrue(((String) r[2]).contains("their model.json differ"), (String) r[2]);
        assertFalse(Files.exists(dir.resolve("x.zip")));
    }
}
