package org.nextscale.jupyter;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelCliTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return KernelCli.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path jar(String name) throws Exception {
        return Files.writeString(dir.resolve(name), "jar");
    }

    @Test
    void installWithPrefixWritesTheKernelspec() throws Exception {
        String cp = jar("a.jar") + File.pathSeparator + jar("b.jar");
        assertEquals(0, run(Map.of("DJL_CACHE_DIR", "/tmp/djl"), "install", "--prefix", dir.resolve("p").toString(),
                "--class-path", cp, "--home", "/opt/nextscale"), err.toString());
        Path spec = dir.resolve("p/share/jupyter/kernels/nextscale/kernel.json");
        JsonObject j = JsonParser.parseString(Files.readString(spec)).getAsJsonObject();
        assertEquals("Java (nextscale)", j.get("display_name").getAsString());
        assertEquals("java", j.get("language").getAsString());
        assertEquals("message", j.get("interrupt_mode").getAsString());
        List<String> argv = j.getAsJsonArray("argv").asList().stream().map(e -> e.getAsString()).toList();
        assertTrue(Path.of(argv.get(0)).isAbsolute() && argv.get(0).endsWith("/bin/java"), argv.get(0));
        assertTrue(argv.contains("-Dai.djl.offline=true"));
        assertTrue(argv.contains("-Djava.awt.headless=true"));
        assertTrue(argv.contains("-Dnextscale.home=/opt/nextscale"));
        int cpAt = argv.indexOf("-cp");
        assertEquals(dir.resolve("a.jar").toAbsolutePath() + File.pathSeparator + dir.resolve("b.jar").toAbsolutePath(), argv.get(cpAt + 1));
        assertEquals(List.of("org.nextscale.jupyter.NextscaleKernel", "{connection_file}"), argv.subList(cpAt + 2, argv.size()));
        assertEquals("PASSIVE", j.getAsJsonObject("env").get("OMP_WAIT_POLICY").getAsString());
        assertEquals("/tmp/djl", j.getAsJsonObject("env").get("DJL_CACHE_DIR").getAsString());
        assertTrue(out.toString().contains("installed kernel \"Java (nextscale)\" (nextscale) at " + spec.getParent()));
        try (var files = Files.list(spec.getParent())) {
            assertEquals(List.of("kernel.json"), files.map(p -> p.getFileName().toString()).toList()); // no temp file left
        }
    }

    @Test
    void aCudaLibtorchChosenWithNextscaleTorchGoesIntoTheKernelspec() throws Exception {
        // what the launcher exports for NEXTSCALE_TORCH=DIR (src/torch-env.sh)
        Map<String, String> env = Map.of("PYTORCH_LIBRARY_PATH", "/venv/torch/lib", "PYTORCH_VERSION", "2.7.1", "PYTORCH_FLAVOR", "cu128",
                "LD_LIBRARY_PATH", "/venv/torch/lib:/venv/nvidia/cuda_runtime/lib", "JUPYTER_DATA_DIR", dir.resolve("data").toString());
        assertEquals(0, run(env, "install", "--class-path", jar("a.jar").toString()), err.toString());
        JsonObject j = JsonParser.parseString(Files.readString(dir.resolve("data/kernels/nextscale/kernel.json"))).getAsJsonObject();
        JsonObject kenv = j.getAsJsonObject("env");
        for (String k : KernelSpec.TORCH_ENV) assertEquals(env.get(k), kenv.get(k).getAsString(), k);
        List<String> argv = j.getAsJsonArray("argv").asList().stream().map(e -> e.getAsString()).toList();
        assertTrue(argv.contains("-Djna.library.path=/venv/torch/lib:/venv/nvidia/cuda_runtime/lib"), argv.toString());
        assertTrue(argv.contains("-Dai.djl.offline=true"), "a local libtorch needs no download");
        // without a libtorch named, the kernel stays on the CPU build and gets none of these
        assertEquals(0, run(Map.of("JUPYTER_DATA_DIR", dir.resolve("cpu").toString(), "LD_LIBRARY_PATH", "/x"), "install", "--class-path",
                jar("b.jar").toString()), err.toString());
        JsonObject c = JsonParser.parseString(Files.readString(dir.resolve("cpu/kernels/nextscale/kernel.json"))).getAsJsonObject();
        assertFalse(c.getAsJsonObject("env").has("LD_LIBRARY_PATH"));
    }

    @Test
    void installWithoutPrefixUsesJupyterDataDir() throws Exception {
        assertEquals(0, run(Map.of("JUPYTER_DATA_DIR", dir.resolve("data").toString()), "install", "--class-path", jar("a.jar").toString()),
                err.toString());
        assertTrue(Files.isRegularFile(dir.resolve("data/kernels/nextscale/kernel.json")));
        assertEquals(Path.of(System.getProperty("user.home"), ".local/share/jupyter"), KernelSpec.userDataDir(Map.of()));
        assertEquals(Path.of("/x/jupyter"), KernelSpec.userDataDir(Map.of("XDG_DATA_HOME", "/x")));
    }

    @Test
    void badArgumentsAreOneLinePlusUsage() throws Exception {
        assertEquals(2, run(Map.of(), "install", "--prefix"));
        assertTrue(err.toString().startsWith("nextscale jupyter install: --prefix needs a value\nusage: nextscale jupyter install"), err.toString());
        err.reset();
        assertEquals(2, run(Map.of(), "install", "--user", "x"));
        assertTrue(err.toString().startsWith("nextscale jupyter install: unknown argument '--user'"), err.toString());
        err.reset();
        assertEquals(2, run(Map.of(), "uninstall"));
        assertTrue(err.toString().startsWith("nextscale jupyter: unknown command 'uninstall'"), err.toString());
        err.reset();
        assertEquals(1, run(Map.of(), "install", "--prefix", dir.toString(), "--class-path", dir.resolve("missing.jar").toString()));
        assertEquals("nextscale jupyter install: class path entry " + dir.resolve("missing.jar")
                + " does not exist: build first (mvn -q -DskipTests package)\n", err.toString());
        assertEquals(0, run(Map.of(), "help"));
        assertTrue(out.toString().startsWith("usage: nextscale jupyter install"));
    }
}
