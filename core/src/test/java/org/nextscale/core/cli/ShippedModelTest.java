package org.nextscale.core.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.TestPaths;

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
        assertTrue(o.get("psnr").getAsDouble() > 18, "tokenizer PSNR " + o.get("psnr"));
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
        assertPage(dir.resolve("out"));
    }

    private static void assertPage(Path dir) throws java.io.IOException {
        String html = Files.readString(dir.resolve("index.html"));
        for (String png : new String[] {"samples.png", "pyramid.png", "reconstruction.png", "inpaint.png", "outpaint.png", "class-edit.png"}) {
            assertTrue(html.contains(png), "index.html does not show " + png);
            assertTrue(Files.size(dir.resolve(png)) > 200, png + " is empty");
        }
    }
}
