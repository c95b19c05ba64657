package org.nextscale.core.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.TestPaths;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.model.ModelFile;

/** The model shipped in models/: evaluation numbers are sane and the README's demo writes its page. */
class ShippedModelTest {
    static Path model() {
        Path p = TestPaths.repo().resolve("models/fashion-mnist.zip");
        assertTrue(Files.isRegularFile(p), "the shipped model is missing: " + p);
        return p;
    }

    @Test
    void evalOnASmallSampleIsSane() {
        String[] r = EvalCommandTest.run("eval", "--model", model().toString(), "--n", "200", "--json");
        assertEquals("0", r[0], r[2]);
        JsonObject o = JsonParser.parseString(r[1]).getAsJsonObject();
        System.out.println("shipped model, n=200: " + o);
        for (String k : new String[] {"psnr", "ssim", "fd", "fd_floor", "fd_reconstruction", "sample_accuracy", "real_accuracy",
                "precision", "recall", "n"})
            assertTrue(o.has(k), "eval --json lacks " + k + ": " + r[1]);
        assertEquals(200, o.get("n").getAsInt());
        assertTrue(o.get("sample_accuracy").getAsDouble() > 0.3, "class accuracy of samples near chance (0.1): " + r[1]);
        assertTrue(o.get("real_accuracy").getAsDouble() > 0.85, r[1]);
        double fd = o.get("fd").getAsDouble(), floor = o.get("fd_floor").getAsDouble();
        assertTrue(Double.isFinite(fd) && fd > floor && floor > 0, "fd " + fd + " floor " + floor);
        // the tokenizer's reconstructions of real images lie between the real images and the samples
        double recon = o.get("fd_reconstruction").getAsDouble();
        assertTrue(floor < recon && recon < fd, "fd_reconstruction " + recon + " not between floor " + floor + " and fd " + fd);
        assertTrue(o.get("fd_blur").getAsDouble() > floor, "fd_blur " + o.get("fd_blur") + " vs floor " + floor);
        assertTrue(o.get("psnr").getAsDouble() > 18, "tokenizer PSNR " + o.get("psnr"));
    }

    /** The shipped model's tokenizer alone, as train-tokenizer writes it: no "var" section, no transformer weights. */
    static Path tokenizerOnly(Path dir) throws java.io.IOException {
        ModelFile.Loaded full = ModelFile.load(model());
        Map<String, HostTensor> tok = new LinkedHashMap<>();
        full.weights().forEach((k, v) -> { if (!k.startsWith("var.")) tok.put(k, v); });
        assertTrue(tok.size() < full.weights().size(), "the shipped model has transformer weights");
        Path out = dir.resolve("tokenizer.zip");
        ModelFile.save(out, full.config().withVar(null, full.config().classNames(), "var"), tok, false);
        return out;
    }

    @Test
    void aTokenizerOnlyModelGetsItsTokenizerMetricsAndNoSampleMetrics(@TempDir Path dir) throws Exception {
        String[] full = EvalCommandTest.run("eval", "--model", model().toString(), "--n", "40", "--json");
        assertEquals("0", full[0], full[2]);
        Path tok = tokenizerOnly(dir);
        String classifier = TestPaths.repo().resolve("models/fmnist-classifier.safetensors").toString();
        String[] r = EvalCommandTest.run("eval", "--model", tok.toString(), "--n", "40", "--json", "--classifier", classifier);
        assertEquals("0", r[0], r[2]);
        JsonObject f = JsonParser.parseString(full[1]).getAsJsonObject(), o = JsonParser.parseString(r[1]).getAsJsonObject();
        System.out.println("tokenizer-only, n=40: " + o);
        assertEquals(0, o.get("samples").getAsInt());
        assertEquals(40, f.get("samples").getAsInt());
        // the tokenizer's numbers are those of the full model with the same tokenizer, seed and n
        for (String k : new String[] {"psnr", "ssim", "fd_reconstruction", "fd_floor", "real_accuracy"}) {
            assertTrue(Double.isFinite(o.get(k).getAsDouble()), k + " in " + o);
            assertEquals(f.get(k).getAsDouble(), o.get(k).getAsDouble(), 1e-9, k);
        }
        for (String k : new String[] {"fd", "fd_ratio", "sample_accuracy", "accuracy_ratio", "precision", "recall"})
            assertTrue(o.has(k) && o.get(k).isJsonNull(), k + " should be null in " + o);
        JsonObject targets = o.getAsJsonObject("targets_met");
        assertTrue(targets.get("fd_at_most_2x_floor").isJsonNull() && targets.get("accuracy_ratio_at_least_0.9").isJsonNull(), o.toString());
        assertFalse(targets.get("psnr_at_least_24").isJsonNull(), o.toString());
        assertTrue(o.getAsJsonObject("per_class").getAsJsonObject("Trouser").get("sample_accuracy").isJsonNull());

        String[] table = EvalCommandTest.run("eval", "--model", tok.toString(), "--n", "40", "--classifier", classifier);
        assertEquals("0", table[0], table[2]);
        assertTrue(table[1].contains("no samples: this model has no transformer"), table[1]);
        assertTrue(table[1].contains(String.format("%.4f", o.get("fd_reconstruction").getAsDouble())), table[1]);
    }

    @Test
    void demoWritesItsPageAndPictures(@TempDir Path dir) throws Exception {
        String[] r = EvalCommandTest.run("demo", "--model", model().toString(), "--out", dir.toString(), "--per-class", "2");
        assertEquals("0", r[0], r[2]);
        assertPage(dir);
    }

    @Test
    void withoutFashionMnistTheDemoUsesTheSamplesShippedWithTheModel(@TempDir Path dir) throws Exception {
        String before = System.getProperty("nextscale.fashionMnist");
        System.setProperty("nextscale.fashionMnist", dir.resolve("absent").toString());
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream oldErr = System.err;
        System.setErr(new java.io.PrintStream(err, true));
        try {
            String[] r = EvalCommandTest.run("demo", "--model", model().toString(), "--out", dir.resolve("out").toString(), "--per-class", "1");
            assertEquals("0", r[0], r[2]);
        } finally {
            System.setErr(oldErr);
            if (before == null) System.clearProperty("nextscale.fashionMnist");
            else System.setProperty("nextscale.fashionMnist", before);
        }
        assertTrue(err.toString().contains("using the sample images"), err.toString());
        assertEquals(err.toString().indexOf("using the sample images"), err.toString().lastIndexOf("using the sample images"), "said once");
        assertPage(dir.resolve("out"));
        // the samples' file names give their classes, so out-painting is conditioned on them
        assertTrue(Files.readString(dir.resolve("out/index.html")).contains("conditioned on each image's own class"));
    }

    private static void assertPage(Path dir) throws java.io.IOException {
        String html = Files.readString(dir.resolve("index.html"));
        for (String png : new String[] {"samples.png", "pyramid.png", "reconstruction.png", "inpaint.png", "outpaint.png", "class-edit.png"}) {
            assertTrue(html.contains(png), "index.html does not show " + png);
            assertTrue(Files.size(dir.resolve(png)) > 200, png + " is empty");
        }
    }

    /** In- and out-painting are conditioned on --class when it is given (unconditional without it). */
    @Test
    void inpaintAndOutpaintFollowTheGivenClass(@TempDir Path dir) throws Exception {
        String image = TestPaths.repo().resolve("models/samples/02-trouser.png").toString();
        for (String cmd : new String[] {"inpaint", "outpaint"}) {
            Map<String, byte[]> written = new LinkedHashMap<>();
            for (String cls : new String[] {"", "Trouser", "Bag"}) {
                Path f = dir.resolve(cmd + "-" + cls + ".png");
                java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(cmd, image, "--model", model().toString(),
                        "--box", "0.3,0.3,0.7,0.7", "--seed", "0", "--out", f.toString()));
                if (!cls.isEmpty()) args.addAll(java.util.List.of("--class", cls));
                String[] r = EvalCommandTest.run(args.toArray(String[]::new));
                assertEquals("0", r[0], r[2]);
                written.put(cls, Files.readAllBytes(f));
            }
            assertFalse(java.util.Arrays.equals(written.get(""), written.get("Trouser")), cmd + ": --class Trouser gave the unconditional image");
            assertFalse(java.util.Arrays.equals(written.get("Trouser"), written.get("Bag")), cmd + ": --class Bag gave the Trouser image");
        }
    }

    /** The demo's fallback images name their class, so its out-painting can be conditioned on it. */
    @Test
    void shippedSampleFileNamesGiveTheirClass() {
        assertEquals(9, DemoCommand.classOfFileName(TestPaths.repo().resolve("models/samples/00-ankle-boot.png")));
        assertEquals(1, DemoCommand.classOfFileName(Path.of("03-trouser.png")));
        assertEquals(0, DemoCommand.classOfFileName(Path.of("07-t-shirt-top.png")));
        assertEquals(-1, DemoCommand.classOfFileName(Path.of("my-scan.png")));
    }
}
