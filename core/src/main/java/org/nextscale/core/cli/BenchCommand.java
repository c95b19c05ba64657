package org.nextscale.core.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.nextscale.core.api.Devices;
import org.nextscale.core.api.WeightPrecision;
import org.nextscale.core.bench.Bench;
import org.nextscale.core.bench.OfficialBench;
import org.nextscale.core.bench.Soak;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** nextscale bench: training and sampling speed against the machine's own matrix-multiply speed. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure speed against the machine's own matrix-multiply rate (random weights, config B: 32x32 gray, "
                + "VQ-VAE ch 64, VAR depth 6 width 384, batch 64): VAR and VQ-VAE training steps, tokenizing, sampling, "
                + "peak memory, and VAR vs raster order at 16x16 tokens. Takes a few minutes; run on a quiet machine."})
public final class BenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--json", description = "print one JSON object instead of text")
    boolean json;

    @Option(names = "--threads", paramLabel = "N", description = "engine threads (default: the engine's choice, one per core)")
    Integer threads;

    @Option(names = "--weights", paramLabel = "PRECISION", description = "with an official --config: float32 (default) or float16 "
            + "weight matrices in memory (see generate --weights)")
    String weights;

    @Option(names = "--reps", defaultValue = "3", paramLabel = "N", description = "timed runs per task; the median counts (default: ${DEFAULT-VALUE})")
    int reps;

    @Option(names = "--warmup", defaultValue = "1", paramLabel = "N", description = "untimed runs before (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--batch", defaultValue = "64", paramLabel = "N", description = "config B batch (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--micro-batch", paramLabel = "N", description = "images per forward/backward pass of the training steps, each step "
            + "still one update over the whole batch (0 = whole batch; default: " + Bench.Options.MICRO_BATCH + ", or the largest divisor of --batch below it)")
    Integer microBatch;

    @Option(names = "--no-compare", description = "skip VAR vs raster order at 16x16 tokens")
    boolean noCompare;

    @Option(names = "--profile", description = "after each config-B task, profile one more run: engine calls and time per operator "
            + "(the profiler slows the engine down for the rest of the process: take timings from a run without it)")
    boolean profile;

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = Devices.DEFAULT, description = "auto (the first GPU when PyTorch has CUDA, else the CPU), cpu, gpu or gpu:N (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--soak", paramLabel = "STEPS", description = "instead of the speed figures: STEPS training steps of a tiny "
            + "transformer (after a short tokenizer run) and STEPS sampling calls, reporting resident memory and Java heap (first vs last 10%%) and live engine arrays")
    Long soak;

    @Option(names = "--config", defaultValue = "B", paramLabel = "NAME", description = "B (the default: training and sampling figures "
            + "of config B) or an official architecture, d16, d20, d24 or d30, with random weights: load time, first image in a fresh "
            + "JVM, one 256 px image (cfg 4, top-k 900, top-p 0.96) split per scale, 8 images, peak memory, raster order vs its memory bound")
    String config;

    @Option(names = "--no-raster", description = "with --config dNN: skip raster order (about a minute for d16)")
    boolean noRaster;

    @Option(names = "--worker", hidden = true, paramLabel = "MODEL.zip", description = "internal: measure MODEL.zip in this (fresh) process")
    java.nio.file.Path worker;

    @Option(names = "--tiled", paramLabel = "SIDE", description = "instead of the speed figures: reconstruct a SIDE x SIDE image (e.g. 4096) "
            + "with the shipped model in blended tiles at its own scale, against tokenizing single model-sized images, with peak memory")
    Integer tiled;

    @Override
    public Integer call() throws java.io.IOException {
        if (soak != null) return soak();
        if (tiled != null) return tiled();
        if (worker != null) return worker();
        if (!config.equalsIgnoreCase("B")) return official();
        if (reps < 1 || warmup < 0 || batch < 1) throw new IllegalArgumentException("--reps and --batch must be >= 1, --warmup >= 0");
        int micro = microBatch != null ? microBatch : Math.min(Bench.Options.MICRO_BATCH, batch);
        while (microBatch == null && batch % micro != 0) micro--;                       // the default: the largest divisor <= MICRO_BATCH
        if (micro < 0 || (micro > 0 && batch % micro != 0))
            throw new IllegalArgumentException("--micro-batch must divide --batch (" + batch + ") into equal parts, or be 0 for the whole batch; got " + micro);
        if (threads != null) {
            if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
            // read by the engine when it starts, which has not happened yet in this process
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Bench.Result r = Bench.run(new Bench.Options(threads == null ? 0 : threads, warmup, reps, batch, micro, 16, !noCompare, profile), Devices.parse(device), line -> {
            (json ? err : out).println(line);
            (json ? err : out).flush();
        });
        if (json) out.println(new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(toJson(r)));
        else out.println(table(r));
        out.flush();
        return 0;
    }

    /** An official architecture: the file is written once, then measured in a fresh JVM (a user's first click). */
    private int official() throws java.io.IOException {
        String preset = config.toLowerCase(java.util.Locale.ROOT);
        if (!java.util.List.of("d16", "d20", "d24", "d30").contains(preset))
            throw new IllegalArgumentException("--config must be B, d16, d20, d24 or d30, got '" + config + "'");
        if (reps < 1 || warmup < 0) throw new IllegalArgumentException("--reps must be >= 1, --warmup >= 0");
        PrintWriter err = spec.commandLine().getErr();
        java.nio.file.Path file = OfficialBench.ensureModel(preset, line -> { err.println(line); err.flush(); });
        java.util.List<String> cmd = new java.util.ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        if (threads != null) cmd.add("-Dai.djl.pytorch.num_threads=" + threads);
        WeightPrecision precision = weights == null ? WeightPrecision.configured()
                : WeightPrecision.parse(weights, "--weights");
        cmd.add("-D" + WeightPrecision.PROPERTY + "=" + precision);
        cmd.addAll(java.util.List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "bench", "--worker", file.toString(),
                "--reps", Integer.toString(reps), "--warmup", Integer.toString(warmup), "--device", device));
        if (noRaster) cmd.add("--no-raster");
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String result = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) throw new IllegalStateException("the measuring process failed (exit " + p.exitValue() + ")");
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new org.nextscale.core.api.CancelledException();
        }
        JsonObject j = com.google.gson.JsonParser.parseString(result).getAsJsonObject();
        j.addProperty("config", preset);
        j.addProperty("weights", precision.toString());
        j.addProperty("threads", threads == null ? Runtime.getRuntime().availableProcessors() : threads);
        j.addProperty("allocator", Bench.allocator());
        PrintWriter out = spec.commandLine().getOut();
        if (json) out.println(new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(j));
        else for (String k : j.keySet()) out.printf("%-30s %s%n", k, j.get(k));
        out.flush();
        return 0;
    }

    /** The measuring process of {@link #official}: one JSON object on stdout, progress on stderr. */
    private int worker() throws java.io.IOException {
        PrintWriter err = spec.commandLine().getErr();
        java.util.Map<String, Object> r = OfficialBench.measure(worker, Devices.parse(device), warmup, reps, !noRaster, line -> { err.println(line); err.flush(); });
        PrintWriter out = spec.commandLine().getOut();
        out.println(new GsonBuilder().serializeSpecialFloatingPointValues().create().toJson(r));
        out.flush();
        return 0;
    }

    private int tiled() throws java.io.IOException {
        if (tiled < 64 || tiled > 8192) throw new IllegalArgumentException("--tiled takes an image side from 64 to 8192 px, got " + tiled);
        PrintWriter err = spec.commandLine().getErr();
        java.util.Map<String, Object> r;
        try (org.nextscale.core.api.VarModel m = org.nextscale.core.api.VarModel.load(org.nextscale.core.api.ShippedModel.path(), Devices.parse(device))) {
            r = org.nextscale.core.bench.TiledBench.run(m, tiled, line -> { err.println(line); err.flush(); }, org.nextscale.core.api.CancelToken.none());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) out.println(new GsonBuilder().setPrettyPrinting().create().toJson(r));
        else for (var e : r.entrySet()) out.printf("%-30s %s%n", e.getKey(), e.getValue());
        out.flush();
        return 0;
    }

    private int soak() throws java.io.IOException {
        if (soak < 10) throw new IllegalArgumentException("--soak needs at least 10 steps, got " + soak);
        PrintWriter out = spec.commandLine().getOut();
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("nextscale-soak");
        try {
            java.util.List<Soak.Series> series = Soak.run(dir, soak, device, line -> {
                spec.commandLine().getErr().println(line);
                spec.commandLine().getErr().flush();
            });
            out.println(Soak.Series.header());
            for (Soak.Series s : series) out.println(s.line());
            out.println("memory: mean of the first vs the last 10% of steps; arrays: live engine arrays after the first and the last step");
            out.flush();
            return 0;
        } finally {
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(dir)) {
                for (java.nio.file.Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) java.nio.file.Files.deleteIfExists(p);
            }
        }
    }

    static JsonObject toJson(Bench.Result r) {
        JsonObject j = new JsonObject();
        j.addProperty("threads", r.threads());
        j.addProperty("allocator", r.allocator());
        j.addProperty("load_average_before", r.loadBefore());
        j.addProperty("load_average_after", r.loadAfter());
        j.addProperty("matmul_gflops", round(r.matmulGflops()));
        task(j, "train", r.varTrain(), r);
        j.addProperty("train_micro_batch", r.trainMicroBatch());
        task(j, "vqvae_train", r.vqvaeTrain(), r);
        j.addProperty("vqvae_train_micro_batch", r.trainMicroBatch());
        task(j, "tokenize", r.tokenize(), r);
        task(j, "sample", r.sample(), r);
        j.addProperty("peak_rss_mb", round(r.peakRssMb()));
        j.addProperty("vqvae_peak_rss_mb", round(r.vqvaePeakRssMb()));
        j.addProperty("var_sample_16x16_s", round(r.varSample16()));
        j.addProperty("raster_sample_16x16_s", round(r.rasterSample16()));
        j.addProperty("raster_over_var", round(r.rasterOverVar()));
        return j;
    }

    private static void task(JsonObject j, String key, Bench.Task t, Bench.Result r) {
        j.addProperty(key + "_seconds", round(t.seconds()));
        j.addProperty(key + "_images_per_s", round(t.imagesPerSecond()));
        j.addProperty(key + "_gflop", round(t.flops() / 1e9));
        j.addProperty(key + "_gflops", round(t.gflops()));
        j.addProperty(key + "_yardstick_gflops", round(t.yardstick()));
        j.addProperty(key + "_mfu", round(r.mfu(t)));
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : v;
    }

    static String table(Bench.Result r) {
        StringBuilder s = new StringBuilder();
        s.append(String.format("%nthreads %d, allocator %s, load average %.2f before / %.2f after; yardstick (median) %.1f GFLOP/s%n", r.threads(),
                r.allocator(), r.loadBefore(), r.loadAfter(), r.matmulGflops()));
        s.append(String.format("%-28s %9s %9s %9s %9s %10s %6s%n", "task", "seconds", "images/s", "GFLOP", "GFLOP/s", "yardstick", "MFU"));
        for (Bench.Task t : new Bench.Task[] {r.varTrain(), r.vqvaeTrain(), r.tokenize(), r.sample()})
            s.append(String.format("%-28s %9.3f %9.1f %9.1f %9.1f %10.1f %6.2f%n", t.name(), t.seconds(), t.imagesPerSecond(),
                    t.flops() / 1e9, t.gflops(), t.yardstick(), r.mfu(t)));
        s.append(String.format("training steps: batch %d in micro-batches of %d (one update per step)%n", r.varTrain().images(), r.trainMicroBatch()));
        s.append(String.format("peak resident memory: VAR training step %.0f MB, VQ-VAE training step %.0f MB%n", r.peakRssMb(), r.vqvaePeakRssMb()));
        if (Double.isFinite(r.varSample16()))
            s.append(String.format("16 images at 16x16 tokens: VAR %.2f s, raster %.2f s, raster/VAR %.1fx%n", r.varSample16(),
                    r.rasterSample16(), r.rasterOverVar()));
        return s.toString();
    }
}
