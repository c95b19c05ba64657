package org.nextscale.core.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.model.LoadedModel;
import org.nextscale.core.model.ModelFile;
import org.nextscale.core.model.Presets;
import org.nextscale.core.model.WeightSpec;
import org.nextscale.core.transformer.Flops;

/**
 * An official architecture (VAR-d16 ... d30 with vae_ch160v4096z32) with seeded random weights, measured as a
 * user meets it: the model file is written once (as `import` writes it), then a fresh JVM (so that memory and
 * start-up are a user's) loads it, makes its first image, and measures after warm-up: one 256 px image
 * (class 207, cfg 4, top-k 900, top-p 0.96, batch 1, KV cache, decoder included) split into transformer (per
 * scale) and decoder time, 8 images at once, peak resident memory; then raster order on the same transformer
 * (16x16 tokens, batch 1) against the memory bandwidth that bounds it.
 */
public final class OfficialBench {
    private OfficialBench() {}

    /** One image as the reference measured it: class 207 (golden retriever; the last class of smaller models), cfg 4, top-k 900, top-p 0.96. */
    static SampleOptions one(ModelConfig cfg) {
        return new SampleOptions(Math.min(207, cfg.var().numClasses() - 1), 1, 4.0, 900, 0.96, 0, false);
    }

    /** Where the bench keeps the model file of {@code preset} (written once, reused). */
    public static Path modelFile(String preset) {
        String cache = System.getenv().getOrDefault("XDG_CACHE_HOME", System.getProperty("user.home") + "/.cache");
        return Path.of(cache, "nextscale", "bench", preset + ".zip");
    }

    /** Writes the preset's model file with seeded random weights unless it exists. */
    public static Path ensureModel(String preset, Consumer<String> log) throws IOException {
        Path file = modelFile(preset);
        if (Files.isRegularFile(file)) return file;
        Files.createDirectories(file.getParent());
        ModelConfig cfg = Presets.get(preset);
        log.accept("writing " + file + " (" + preset + ", random weights, float32; once)");
        ModelFile.save(file, cfg, BenchModels.randomWeights(cfg, 0), false);
        return file;
    }

    /**
     * The measurements, in this process (started for them by the bench command): keys as in `bench --json`.
     * {@code jvmStartMillis} is the process start, so cold_first_image_s counts JVM start-up too.
     */
    public static Map<String, Object> measure(Path file, Device device, int warmup, int reps, boolean raster, Consumer<String> log) throws IOException {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("load_average_before", Bench.loadAverage());
        long t0 = System.nanoTime();
        double load, cold;
        List<Double> latencies = new ArrayList<>(), transformer = new ArrayList<>(), decoder = new ArrayList<>();
        double[] perScale;
        double batch8, peak, yard;
        ModelConfig cfg;
        try (VarModel m = VarModel.load(file, device)) {
            load = (System.nanoTime() - t0) / 1e9;
            cfg = m.config();
            perScale = new double[cfg.numScales()];
            one(m, perScale);
            cold = (System.currentTimeMillis() - jvmStart) / 1e3;
            log.accept(String.format("loaded in %.2f s; first image %.2f s after the JVM started", load, cold));
            for (int i = 0; i < warmup; i++) one(m, new double[cfg.numScales()]);
            double[][] scales = new double[reps][];
            for (int i = 0; i < reps; i++) {
                scales[i] = new double[cfg.numScales()];
                double[] split = one(m, scales[i]);
                latencies.add(split[0]);
                transformer.add(split[1]);
                decoder.add(split[2]);
                log.accept(String.format("one image: %.2f s (transformer %.2f, decoder %.2f)", split[0], split[1], split[2]));
            }
            for (int k = 0; k < perScale.length; k++) {
                double[] v = new double[reps];
                for (int i = 0; i < reps; i++) v[i] = scales[i][k];
                perScale[k] = median(v);
            }
            peak = PeakMemory.peakSinceStartMb();                       // load + one image at a time, what a click costs
            long b0 = System.nanoTime();
            m.generate(one(cfg).withCount(8), ProgressListener.NONE, CancelToken.none());
            batch8 = 8 / ((System.nanoTime() - b0) / 1e9);
            r.put("batch8_peak_rss_mb", PeakMemory.peakSinceStartMb());
            try (NDManager y = NDManager.newBaseManager(device)) {
                yard = Bench.yardstick(y, null, new ArrayList<>(), log);
            }
        }
        double latency = median(latencies);
        r.put("config", cfg.var().depth() == 0 ? "" : "d" + cfg.var().depth());
        r.put("parameters", WeightSpec.parameterCount(cfg, ""));
        r.put("yardstick_gflops", yard);
        r.put("load_s", load);
        r.put("cold_first_image_s", cold);
        r.put("latency_s", latency);
        r.put("latency_transformer_s", median(transformer));
        r.put("latency_per_scale_s", perScale);
        r.put("latency_decoder_s", median(decoder));
        r.put("latency_gflop", Flops.sample(cfg, 1) / 1e9);
        r.put("latency_mfu", Flops.sample(cfg, 1) / latency / 1e9 / yard);
        r.put("batch8_images_per_s", batch8);
        r.put("peak_rss_mb", peak);
        if (raster) raster(cfg, device, latency, r, log);
        r.put("load_average_after", Bench.loadAverage());
        return r;
    }

    /** One image; fills the transformer seconds of each scale; returns {total, transformer, decoder}. */
    private static double[] one(VarModel m, double[] perScale) {
        long[] last = {System.nanoTime()};
        long start = last[0];
        m.generate(one(m.config()), ProgressListener.NONE, CancelToken.none(), frame -> {
            long now = System.nanoTime();
            perScale[frame.scale()] = (now - last[0]) / 1e9;
            last[0] = now;
        });
        long end = System.nanoTime();
        return new double[] {(end - start) / 1e9, (last[0] - start) / 1e9, (end - last[0]) / 1e9};
    }

    /** Raster order on the same transformer over the 16x16 token map, batch 1, against the memory bandwidth bound. */
    private static void raster(ModelConfig var, Device device, double varLatency, Map<String, Object> r, Consumer<String> log) {
        int side = var.patchNums().get(var.numScales() - 1);
        ModelConfig cfg = new ModelConfig(var.formatVersion(), var.imageSize(), var.patchNums(), var.vqvae(), var.var(), var.classNames(), "raster")
                .validate();
        double gbps = memoryGbps();
        try (VarModel m = LoadedModel.of(new ModelFile.Loaded(cfg, BenchModels.randomWeights(cfg, 1)), device)) {
            m.generate(one(cfg), ProgressListener.NONE, CancelToken.none());                      // warm-up
            long t0 = System.nanoTime();
            m.generate(one(cfg), ProgressListener.NONE, CancelToken.none());
            double latency = (System.nanoTime() - t0) / 1e9;
            int steps = side * side;
            // bytes a step must read: every transformer weight but the embedding tables, of which it reads a row,
            // and the blocks' AdaLN layers, which the sampler applies once per image (VarTransformer.samplingCondition)
            long c = var.var().embedDim();
            long ada = var.var().sharedAln() ? 0 : (long) var.var().depth() * (c * 6 * c + 6 * c);
            long params = WeightSpec.parameterCount(cfg, "var.") - (long) (var.var().numClasses() + 1) * c - (long) (steps + 1) * c - ada;
            double stepS = latency / steps, bound = params * 4.0 / (gbps * 1e9);
            r.put("raster_latency_s", latency);
            r.put("raster_step_ms", stepS * 1e3);
            r.put("raster_weight_bytes_per_step", params * 4);
            r.put("memory_gbps", gbps);
            r.put("raster_weight_stream_ratio", stepS / bound);
            r.put("raster_over_var_latency", latency / varLatency);
            log.accept(String.format("raster order, %d steps: %.1f s (%.0f ms a step; reading %.2f GB of weights at %.1f GB/s takes %.0f ms)",
                    steps, latency, stepS * 1e3, params * 4 / 1e9, gbps, bound * 1e3));
        }
    }

    /** GB/s of copying a 1 GB buffer in this process (median of 3), the bound of a step that streams weights. */
    static double memoryGbps() {
        ByteBuffer a = ByteBuffer.allocateDirect(1 << 30), b = ByteBuffer.allocateDirect(1 << 30);
        double[] s = new double[3];
        for (int i = 0; i < 4; i++) {
            a.clear();
            b.clear();
            long t0 = System.nanoTime();
            b.put(a);
            if (i > 0) s[i - 1] = (System.nanoTime() - t0) / 1e9;
        }
        return (1 << 30) / median(s) / 1e9;
    }

    static double median(List<Double> v) {
        return median(v.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
