package org.nextscale.imagej;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real ImageJ 1.54p runs for the macro ITs: `java -jar ij.jar -ijpath target/imagej -batch macro.ijm`
 * under Xvfb (a macro error there opens a modal dialog nobody closes), always inside `timeout`.
 */
final class HeadlessImageJ {
    private HeadlessImageJ() {}

    /** What one run printed, and whether it ended by itself (false: killed by the timeout, e.g. a dialog). */
    record Run(String log, boolean finished, int exitCode) {}

    /** The packaged plain-ImageJ folder (target/imagej), checked to hold the plugin jar. */
    static Path imagejDir() throws IOException {
        Path imagej = Path.of(System.getProperty("nextscale.imagej.dir", "target/imagej")).toAbsolutePath();
        assertTrue(Files.isDirectory(imagej.resolve("plugins/jars")), "no packaged ImageJ folder at " + imagej + ": run mvn package");
        try (Stream<Path> s = Files.list(imagej.resolve("plugins"))) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().matches("nextscale_VAR.*\\.jar")), "no plugin jar in " + imagej.resolve("plugins"));
        }
        return imagej;
    }

    static Path ijJar() {
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator))
            if (Path.of(e).getFileName().toString().equals("ij-1.54p.jar")) return Path.of(e);
        throw new IllegalStateException("ij-1.54p.jar is not on the test class path (net.imagej:ij from Maven Central)");
    }

    /** Runs {@code macro} with {@code args} in ImageJ under Xvfb, killed after {@code timeoutSeconds}. */
    static Run run(Path macro, String args, Path work, int timeoutSeconds) throws IOException, InterruptedException {
        ensureXvfb();
        Path home = Files.createDirectories(work.resolve("home"));
        Path logFile = work.resolve(macro.getFileName() + ".log");
        List<String> cmd = List.of("timeout", "-s", "KILL", Integer.toString(timeoutSeconds), "xvfb-run", "-a", "java",
                "-Duser.home=" + home, "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_interop_threads=1", "-Xss4m",
                "-jar", ijJar().toString(), "-ijpath", imagejDir().toString(), "-batch", macro.toString(), args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        String cache = System.getProperty("nextscale.djl.cache");
        if (cache != null) pb.environment().put("DJL_CACHE_DIR", cache);
        Process p = pb.start();
        boolean ended = p.waitFor(timeoutSeconds + 30L, TimeUnit.SECONDS);
        if (!ended) p.destroyForcibly().waitFor();
        int code = p.exitValue();
        // timeout -s KILL exits 137 when it had to kill ImageJ
        return new Run(Files.readString(logFile), ended && code != 137 && code != 124, code);
    }

    /** Installs Xvfb when missing (as root, through apt-get); fails with what to do otherwise. */
    static void ensureXvfb() throws IOException, InterruptedException {
        if (onPath("xvfb-run") && onPath("xauth")) return;
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", "apt-get install -y xvfb xauth || (apt-get update && apt-get install -y xvfb xauth)")
                .redirectErrorStream(true);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        if (!onPath("xvfb-run")) throw new IllegalStateException("xvfb-run is missing and could not be installed; run: sudo apt-get install -y xvfb xauth\n" + out);
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator))
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        return false;
    }
}
