package org.nextscale.campaigns;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU check kit (src/gpu/kit.sh), here without a GPU: its size and contents, and its own jlinked runtime running
 * check.sh's quick checks (info, parity, generate) on the CPU libtorch, given as a folder the way a CUDA one is given.
 */
class GpuKitTest {
    @TempDir
    Path tmp;

    static String run(Path dir, java.util.Map<String, String> env, long seconds, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(seconds, TimeUnit.SECONDS), "timed out: " + String.join(" ", cmd));
        String s = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + s);
        return s;
    }

    /** The CPU libtorch DJL extracted for the earlier tests of this run. */
    static Path cpuLibtorch() throws IOException {
        String cache = System.getenv().getOrDefault("DJL_CACHE_DIR", System.getProperty("user.home") + "/.djl.ai");
        try (Stream<Path> s = Files.list(Path.of(cache, "pytorch"))) {
            return s.filter(p -> p.getFileName().toString().matches("2\\.7\\.1-.*cpu-linux-x86_64") && Files.isRegularFile(p.resolve("libtorch.so")))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no CPU libtorch in " + cache + "/pytorch"));
        }
    }

    @Test
    void theKitHoldsWhatACheckNeedsInUnder60MiBAndItsRuntimeRunsTheQuickChecks() throws Exception {
        Path repo = BadFiles.repo(), kit = tmp.resolve("kit");
        String made = run(repo, java.util.Map.of(), 300, "bash", repo.resolve("src/gpu/kit.sh").toString(), kit.toString());
        System.out.print(made);
        long size;
        try (Stream<Path> s = Files.walk(kit)) {
            size = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        assertTrue(size <= 60L << 20, "kit is " + size / 1048576.0 + " MiB");
        for (String f : List.of("runtime.tar.gz", "parity.tar.gz", "models/fashion-mnist.zip", "check.sh", "torch-env.sh", "reference.py"))
            assertTrue(Files.isRegularFile(kit.resolve(f)), "kit lacks " + f);
        List<String> jars;
        try (Stream<Path> s = Files.list(kit.resolve("jars"))) {
            jars = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("nextscale-core")) && jars.stream().anyMatch(j -> j.startsWith("pytorch-jni")), jars.toString());
        assertTrue(jars.stream().noneMatch(j -> j.startsWith("pytorch-native-cpu")), "the CPU natives are not in the kit: " + jars);

        Path report = tmp.resolve("report.json");
        String log = run(tmp, java.util.Map.of("PYTORCH_VERSION", "2.7.1"), 300, "bash", kit.resolve("check.sh").toString(), "--torch",
                cpuLibtorch().toString(), "--device", "cpu", "--quick", "--out", report.toString());
        JsonObject r = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
        List<String> names = new java.util.ArrayList<>();
        for (JsonElement e : r.getAsJsonArray("steps")) {
            JsonObject step = e.getAsJsonObject();
            names.add(step.get("step").getAsString());
            assertEquals(0, step.get("exit").getAsInt(), step.get("step") + " failed:\n" + log);
        }
        assertEquals(List.of("versions", "verify-tiny-a", "verify-tiny-b", "generate"), names);
        String versions = r.getAsJsonArray("steps").get(0).getAsJsonObject().get("output").getAsString();
        assertTrue(versions.contains("engine:      PyTorch 2.7.1") && versions.contains("(flavor cpu)"), versions);
        assertTrue(log.contains("48 passed, 0 failed"), "parity on the kit's runtime:\n" + log);
        assertTrue(Files.isRegularFile(kit.resolve("work/generated/grid.png")), "generate wrote its grid");
        System.out.printf("GPU kit: %.1f MiB, %d jars; quick check on the CPU libtorch: %s%n", size / 1048576.0, jars.size(), names);
    }
}
