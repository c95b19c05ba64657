package org.nextscale.core;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where test data lives (the repository root and its parity/ vector sets), and the CLI in a child JVM. */
public final class TestPaths {
    private TestPaths() {}

    public static Path repo() {
        String p = System.getProperty("nextscale.repo");
        Path r = p != null ? Path.of(p) : Path.of("").toAbsolutePath().getParent();
        return r.toAbsolutePath().normalize();
    }

    /** parity/NAME in the repository (the reference's vector sets); fails loudly when absent (never skips). */
    public static Path parity(String name) {
        Path p = repo().resolve("parity").resolve(name);
        if (!Files.isDirectory(p)) throw new IllegalStateException("parity vectors not found at " + p
                + ": the repository's parity/ folder is incomplete");
        return p;
    }

    /**
     * The parity set NAME saved as a model zip in {@code dir} (random weights, real pipeline): the small
     * model tests use for the facade, the CLI and the front ends.
     */
    public static Path parityModel(String name, Path dir) throws java.io.IOException {
        Path p = parity(name);
        org.nextscale.core.config.ModelConfig cfg = org.nextscale.core.config.ConfigJson.parse(Files.readString(p.resolve("config.json")));
        java.util.Map<String, org.nextscale.core.io.HostTensor> w = org.nextscale.core.io.SafeTensors.read(p.resolve("weights.safetensors"));
        Path out = dir.resolve(name + ".zip");
        org.nextscale.core.model.ModelFile.save(out, cfg, w, false);
        return out;
    }

    /**
     * The command line in a child JVM as ./nextscale starts it (this test JVM's class path, offline, one
     * inter-op thread, passive OpenMP waiting), with {@code jvmOptions} before the main class.
     */
    public static ProcessBuilder cli(java.util.List<String> jvmOptions, java.util.List<String> args) {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(java.util.List.of("-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true", "-Djava.awt.headless=true",
                "-Dai.djl.pytorch.num_interop_threads=1", "org.nextscale.core.cli.Main"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        return pb;
    }
}
