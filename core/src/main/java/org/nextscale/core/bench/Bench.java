package org.nextscale.core.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.model.ModelFile;
import org.nextscale.core.nn.Params;
import org.nextscale.core.tokenizer.VqVae;
import org.nextscale.core.transformer.Flops;
import org.nextscale.core.transformer.RasterSampler;
import org.nextscale.core.transformer.Sampler;
import org.nextscale.core.transformer.TokenLayout;
import org.nextscale.core.transformer.VarTransformer;

/**
 * The performance benchmark (nextscale bench): in one process, after warm-up, the median of several
 * runs of
 * <ul>
 *   <li>the yardstick, a 1024x1024x1024 fp32 matrix product on the same engine and threads;</li>
 *   <li>config B ({@link BenchModels}, batch 64): a VAR training step teacher-forced from tokens, a VQ-VAE
 *       training step, tokenizing 64 images, sampling 64 images (cfg 1.5, full multinomial, decoder);</li>
 *   <li>VAR against raster order at 16x16 final tokens: seconds to sample 16 images each.</li>
 * </ul>
 * Each config-B task reports images/s, model FLOPs ({@link Flops}) and utilization = achieved FLOP/s /
 * yardstick FLOP/s; the VAR training step also its peak resident memory.
 */
public final class Bench {
    private Bench() {}

    /**
     * threads: engine threads (0: the engine's default); warmup/reps: runs before and in the median; batch:
     * config B's batch; microBatch: images per forward/backward pass of the training steps (the trainers'
     * micro_batch; 0: the whole batch), a step still being one optimizer update over the whole batch;
     * compareImages: images per order in the VAR/raster comparison, compare: run it; profile: after each
     * config-B task, one more run under the engine profiler, reported through the log.
     */
    public record Options(int threads, int warmup, int reps, int batch, int microBatch, int compareImages, boolean compare, boolean profile) {
        /**
         * The training steps' micro-batch unless told otherwise. Measured at batch 64 (1 thread): the VAR step's
         * peak 4.46 GB whole, 2.5 GB in micro-batches of 32 at the same time per step, 1.7 GB in micro-batches
         * of 16 about 6% slower; the VQ-VAE step's 3.0, 1.7 and 1.1 GB.
         */
        public static final int MICRO_BATCH = 32;

        public static Options defaults() {
            return new Options(0, 1, 3, 64, MICRO_BATCH, 16, true, false);
        }

        /** Images per forward/backward pass of a training step. */
        public int trainMicroBatch() {
            return microBatch > 0 && microBatch < batch ? microBatch : batch;
        }
    }

    /**
     * One measured task: median seconds of a run, images per run, model FLOPs per run and the yardstick
     * around it (mean of the matmul rate measured right before and right after, so that utilization
     * compares with the machine's speed at that time: on a shared machine it drifts).
     */
    public record Task(String name, double seconds, int images, double flops, double yardstick) {
        public double imagesPerSecond() {
            return images / seconds;
        }

        public double gflops() {
            return flops / seconds / 1e9;
        }

        public double mfu() {
            return gflops() / yardstick;
        }
    }

    /** trainMicroBatch: images per forward/backward pass of both training steps (each step is one update over the batch). */
    public record Result(int threads, String allocator, double loadBefore, double loadAfter, double matmulGflops, Task varTrain, Task vqvaeTrain,
                         int trainMicroBatch, Task tokenize, Task sample, double peakRssMb, double vqvaePeakRssMb, double varSample16,
                         double rasterSample16) {
        public double mfu(Task t) {
            return t == null ? Double.NaN : t.mfu();
        }

        public double rasterOverVar() {
            return rasterSample16 / varSample16;
        }
    }

    /** The training option for {@code device} ("cpu", "gpu:0"). */
    static String deviceName(Device device) {
        return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
    }

    public static Result run(Options o, Device device, Consumer<String> log) throws IOException {
        double loadBefore = loadAverage();
        Engine.getInstance();                                                     // starts the engine (reads num_threads)
        if (o.threads() > 0 && JniUtils.getNumThreads() != o.threads()) JniUtils.setNumThreads(o.threads());
        int threads = JniUtils.getNumThreads();
        log.accept(String.format("engine threads %d, allocator %s, load average %.2f, batch %d (training steps in micro-batches of %d), %d warm-up + %d timed runs each",
                threads, allocator(), loadBefore, o.batch(), o.trainMicroBatch(), o.warmup(), o.reps()));
        try (NDManager root = NDManager.newBaseManager(device)) {
            List<Double> rates = new ArrayList<>();
            double before = yardstick(root, o, rates, log);

            ModelConfig cfg = BenchModels.configB(BenchModels.SCALES_B, "var");
            int b = o.batch();

            // the real trainers on synthetic images; the VAR one first, on a random tokenizer, so that its peak
            // memory is its own (the allocator keeps what an earlier phase freed)
            Path dir = Files.createTempDirectory("nextscale-bench");
            Task varTrain, vqvaeTrain;
            double peak, vqPeak;
            try {
                ModelConfig tokCfg = new ModelConfig(cfg.formatVersion(), cfg.imageSize(), cfg.patchNums(), cfg.vqvae(), null,
                        cfg.classNames(), "var");
                ModelFile.save(dir.resolve("tokenizer.zip"), tokCfg, BenchModels.randomWeights(tokCfg, 1), false);
                TrainerBench.Run vr = TrainerBench.var(dir, o, deviceName(device), log);
                double after = yardstick(root, o, rates, log);
                varTrain = new Task("VAR training step", vr.steps().median(), b, Flops.varTrainStep(cfg, b), (before + after) / 2);
                peak = vr.peakRssMb();
                log.accept(line(varTrain) + String.format(", peak RSS %.0f MB, loss %.3f", peak, vr.lastLoss()));
                before = after;
                TrainerBench.Run tr = TrainerBench.tokenizer(dir, o, deviceName(device), log);
                after = yardstick(root, o, rates, log);
                vqvaeTrain = new Task("VQ-VAE training step", tr.steps().median(), b, Flops.vqvaeTrainStep(cfg, b), (before + after) / 2);
                vqPeak = tr.peakRssMb();
                log.accept(line(vqvaeTrain) + String.format(", peak RSS %.0f MB, loss %.3f", vqPeak, tr.lastLoss()));
                before = after;
            } finally {
                deleteTree(dir);
            }

            Params params = Params.fromHost(BenchModels.randomWeights(cfg, 1), root);
            VqVae vae = new VqVae(cfg, params);
            VarTransformer var = new VarTransformer(cfg.var(), TokenLayout.of(cfg), cfg.vqvae().vocabSize(), cfg.vqvae().zChannels(), params);
            SplittableRandom rng = new SplittableRandom(7);
            float[] images = new float[b * cfg.channels() * cfg.imageSize() * cfg.imageSize()];
            for (int i = 0; i < images.length; i++) images[i] = (float) (rng.nextDouble() * 2 - 1);
            Shape imgShape = new Shape(b, cfg.channels(), cfg.imageSize(), cfg.imageSize());

            Timing.Runs tr = measure(root, o, "tokenize", m -> {
                for (NDArray idx : vae.imgToIdx(m.create(images, imgShape))) idx.toLongArray();
            }, log);
            double after = yardstick(root, o, rates, log);
            Task tokenize = new Task("tokenize " + b + " images", tr.median(), b, Flops.tokenize(cfg, b), (before + after) / 2);
            log.accept(line(tokenize));
            before = after;

            SampleOptions so = new SampleOptions(0, b, 1.5, 0, 0, 1, false);
            Sampler sampler = new Sampler(var, vae);
            Timing.Runs sr = measure(root, o, "sample", m -> sampler.sample(m.create(labels(b, 10)), so, null,
                    ProgressListener.NONE, CancelToken.none(), null).toFloatArray(), log);
            after = yardstick(root, o, rates, log);
            Task sample = new Task("sample " + b + " images", sr.median(), b, Flops.sample(cfg, b), (before + after) / 2);
            log.accept(line(sample));

            double varS = Double.NaN, rasterS = Double.NaN;
            if (o.compare()) {
                double[] s = rasterVsVar(root, o, log);
                varS = s[0];
                rasterS = s[1];
            }
            return new Result(threads, allocator(), loadBefore, loadAverage(), new Timing.Runs(rates.stream().mapToDouble(d -> d).toArray()).median(), varTrain, vqvaeTrain, o.trainMicroBatch(), tokenize, sample, peak, vqPeak, varS, rasterS);
        }
    }

    /** Timed runs of a task, then (when asked) one profiled run whose report goes to the log. */
    private static Timing.Runs measure(NDManager root, Options o, String name, Consumer<NDManager> work, Consumer<String> log) {
        Timing.Runs r = Timing.measure(root, o.warmup(), o.reps(), work);
        if (o.profile())
            try (NDManager m = root.newSubManager()) {
                log.accept("profile of one run of " + name + ":\n" + Profile.of(() -> work.accept(m), m.getDevice().isGpu()).format(25));
            } catch (IOException e) {
                log.accept("profile of " + name + " failed: " + e.getMessage());
            }
        return r;
    }

    /**
     * GFLOP/s of a 1024x1024 by 1024x1024 fp32 product (median of 9 after 3 warm-up runs), also added to {@code rates}.
     * Each product is closed with its run and only one element of it is read (to wait for a device that runs
     * asynchronously; the CPU engine is synchronous), so the time is the product's, not a 4 MB copy to Java.
     */
    static double yardstick(NDManager root, Options o, List<Double> rates, Consumer<String> log) {
        try (NDManager m = root.newSubManager()) {
            NDArray a = m.randomNormal(new Shape(1024, 1024)), bm = m.randomNormal(new Shape(1024, 1024));
            Timing.Runs r = Timing.measure(m, 3, 9, s -> {
                NDArray c = a.matMul(bm);                                         // (1024, 1024), made in a's manager
                c.attach(s);                                                      // closed with this run
                c.getFloat(0, 0);
            });
            double rate = 2.0 * 1024 * 1024 * 1024 / r.median() / 1e9;
            rates.add(rate);
            log.accept(String.format("yardstick 1024^3 matmul: %.1f GFLOP/s (load average %.2f)", rate, loadAverage()));
            return rate;
        }
    }

    /** Seconds to sample {@code compareImages} images at 16x16 tokens: {VAR next-scale, raster next-token}, both decoded. */
    static double[] rasterVsVar(NDManager root, Options o, Consumer<String> log) {
        int n = o.compareImages();
        SampleOptions so = new SampleOptions(0, n, 1.5, 0, 0, 1, false);
        double varS, rasterS;
        try (NDManager m = root.newSubManager()) {
            ModelConfig cfg = BenchModels.configB(BenchModels.SCALES_16, "var");
            Params p = Params.fromHost(BenchModels.randomWeights(cfg, 2), m);
            VqVae vae = new VqVae(cfg, p);
            Sampler sampler = new Sampler(new VarTransformer(cfg.var(), TokenLayout.of(cfg), 512, 32, p), vae);
            varS = Timing.measure(m, o.warmup(), o.reps(), s -> sampler.sample(s.create(labels(n, 10)), so, null,
                    ProgressListener.NONE, CancelToken.none(), null).toFloatArray()).median();
        }
        log.accept(String.format("VAR order, 16x16 tokens: %d images in %.2f s", n, varS));
        try (NDManager m = root.newSubManager()) {
            ModelConfig cfg = BenchModels.configB(BenchModels.SCALES_16, "raster");
            Params p = Params.fromHost(BenchModels.randomWeights(cfg, 3), m);
            VqVae vae = new VqVae(cfg, p);
            RasterSampler sampler = new RasterSampler(new VarTransformer(cfg.var(), TokenLayout.of(cfg), 512, 32, p), vae.quantizer());
            rasterS = Timing.measure(m, Math.min(o.warmup(), 1), Math.max(1, (o.reps() + 1) / 2), s -> {
                NDArray tok = sampler.sample(s.create(labels(n, 10)), so, ProgressListener.NONE, CancelToken.none()); // (n, 256)
                NDArray map = vae.quantizer().embed(tok).transpose(0, 2, 1).reshape(n, 32, 16, 16);
                vae.fhatToImg(map).toFloatArray();
            }).median();
        }
        log.accept(String.format("raster order, 16x16 tokens: %d images in %.2f s (%.1fx the VAR time)", n, rasterS, rasterS / varS));
        return new double[] {varS, rasterS};
    }

    private static long[] labels(int n, int classes) {
        long[] l = new long[n];
        for (int i = 0; i < n; i++) l[i] = i % classes;
        return l;
    }

    private static String line(Task t) {
        return String.format("%s: %.3f s, %.1f images/s, %.1f GFLOP, %.1f GFLOP/s, yardstick %.1f, utilization %.2f", t.name(),
                t.seconds(), t.imagesPerSecond(), t.flops() / 1e9, t.gflops(), t.yardstick(), t.mfu());
    }

    /**
     * Which native allocator serves the engine: "jemalloc" when it is loaded into this process (the launcher
     * preloads it), else "system"; "+thp" when libtorch asks for 2 MB pages (THP_MEM_ALLOC_ENABLE=1).
     */
    public static String allocator() {
        String a = "system";
        try {
            if (Files.readString(Path.of("/proc/self/maps")).contains("jemalloc")) a = "jemalloc";
        } catch (IOException | RuntimeException e) {
            a = "unknown";
        }
        return "1".equals(System.getenv("THP_MEM_ALLOC_ENABLE")) ? a + "+thp" : a;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** The 1-minute load average (Linux), NaN elsewhere. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
