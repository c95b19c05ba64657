package org.nextscale.jupyter;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.nextscale.core.io.AtomicWrite;

/**
 * The kernelspec of the nextscale kernel: {@code kernels/nextscale/kernel.json} telling Jupyter to start
 * {@link NextscaleKernel} with DJL offline, OpenMP threads that sleep when idle, and absolute jar paths.
 */
public final class KernelSpec {
    private KernelSpec() {}

    public static final String NAME = "nextscale";
    public static final String DISPLAY_NAME = "Java (nextscale)";

    /**
     * Where {@code jupyter kernelspec} looks for user kernels: JUPYTER_DATA_DIR, else the platform's
     * Jupyter data folder (Linux: $XDG_DATA_HOME/jupyter or ~/.local/share/jupyter).
     */
    public static Path userDataDir(Map<String, String> env) {
        String d = env.get("JUPYTER_DATA_DIR");
        if (d != null && !d.isBlank()) return Path.of(d);
        Path home = Path.of(System.getProperty("user.home"));
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("mac")) return home.resolve("Library/Jupyter");
        if (os.contains("win") && env.get("APPDATA") != null) return Path.of(env.get("APPDATA"), "jupyter");
        String xdg = env.get("XDG_DATA_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".local/share")).resolve("jupyter");
    }

    /** The environment that carries a CUDA libtorch chosen with NEXTSCALE_TORCH (docs/gpu.md) into the kernel. */
    public static final List<String> TORCH_ENV = List.of("PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR", "LD_LIBRARY_PATH");

    /** The kernel.json content for the CPU libtorch on the class path. */
    public static JsonObject json(Path java, List<Path> classPath, Path home, Path djlCache) {
        return json(java, classPath, home, djlCache, Map.of());
    }

    /**
     * The kernel.json content; {@code env} is the installing process's environment: when it names a libtorch
     * (PYTORCH_LIBRARY_PATH or PYTORCH_FLAVOR, as the launcher sets them for NEXTSCALE_TORCH) the kernel gets the same
     * {@link #TORCH_ENV}, with jna.library.path for DJL's GPU lookup and DJL online for a download.
     */
    public static JsonObject json(Path java, List<Path> classPath, Path home, Path djlCache, Map<String, String> env) {
        boolean torch = env.containsKey("PYTORCH_LIBRARY_PATH") || env.containsKey("PYTORCH_FLAVOR");
        JsonArray argv = new JsonArray();
        argv.add(java.toAbsolutePath().toString());
        argv.add(torch && !env.containsKey("PYTORCH_LIBRARY_PATH") ? "-Dai.djl.offline=false" : "-Dai.djl.offline=true");
        if (torch && env.containsKey("PYTORCH_LIBRARY_PATH")) argv.add("-Djna.library.path=" + env.getOrDefault("LD_LIBRARY_PATH", env.get("PYTORCH_LIBRARY_PATH")));
        argv.add("-Djava.awt.headless=true");
        argv.add("-Dai.djl.pytorch.num_interop_threads=1");
        if (home != null) argv.add("-Dnextscale.home=" + home.toAbsolutePath().normalize());
        argv.add("-cp");
        argv.add(classPath.stream().map(p -> p.toAbsolutePath().normalize().toString()).collect(Collectors.joining(File.pathSeparator)));
        argv.add(NextscaleKernel.class.getName());
        argv.add("{connection_file}");
        JsonObject kernelEnv = new JsonObject();
        kernelEnv.addProperty("OMP_WAIT_POLICY", "PASSIVE");
        kernelEnv.addProperty("DJL_CACHE_DIR", djlCache.toAbsolutePath().toString());
        if (torch) for (String k : TORCH_ENV) if (env.get(k) != null) kernelEnv.addProperty(k, env.get(k));
        JsonObject spec = new JsonObject();
        spec.add("argv", argv);
        spec.addProperty("display_name", DISPLAY_NAME);
        spec.addProperty("language", "java");
        spec.addProperty("interrupt_mode", "message");
        spec.add("env", kernelEnv);
        return spec;
    }

    /** Writes {@code kernelsDir/nextscale/kernel.json} (atomically) and returns its path. */
    public static Path write(Path kernelsDir, JsonObject spec) throws IOException {
        Path dir = kernelsDir.resolve(NAME);
        Files.createDirectories(dir);
        Path file = dir.resolve("kernel.json");
        String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(spec) + "\n";
        AtomicWrite.write(file, json.getBytes(StandardCharsets.UTF_8));
        return file;
    }
}
