package org.nextscale.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the engine's default device made gpu:0 (which this CPU libtorch refuses), the whole product runs on the device it
 * was given ({@link DefaultDeviceCheck}, in a JVM of its own): generate with a scale listener, every edit, tiled tokenize
 * and reconstruct, coarse to fine, parity, tokenizer and transformer training with validation, pictures, checkpoint and
 * resume, eval, and the official bench. The canary shows the trap is set: an array made on the default device fails.
 */
class DefaultDeviceTest {
    @TempDir
    Path dir;

    @Test
    void nothingIsMadeOnTheEnginesDefaultDevice() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true",
                "-Djava.awt.headless=true", "-Dai.djl.pytorch.num_interop_threads=1", "-Dnextscale.repo=" + TestPaths.repo(),
                "-cp", System.getProperty("java.class.path"), DefaultDeviceCheck.class.getName(), dir.resolve("work").toString())
                .redirectErrorStream(true);
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), out);
        List<String> ok = new ArrayList<>(), failed = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("ok ")) ok.add(line.substring(3));
            if (line.startsWith("FAILED ")) failed.add(line.substring(7));
        }
        assertEquals(1, failed.size(), "only the canary may fail:\n" + String.join("\n", failed));
        assertTrue(failed.get(0).startsWith("canary") && failed.get(0).contains("CUDA"), "the trap is not set: " + failed.get(0));
        assertEquals(11, ok.size(), "parts that ran on their own device: " + ok);
        System.out.println("default device gpu:0, model on the CPU: " + ok.size() + " parts ran, none touched the default device");
    }
}
