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
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.nn.Params;
import org.nextscale.core.tokenizer.VqVae;
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
     * config B's batch; compareImages: images per order in the VAR/raster comparison, compare: run it;
     * profile: after each config-B task, one more run under the engine profiler, reported through the log.
     */
    public record Options(int threads, int warmup, int reps, int batch, int compareImages, boolean compare, boolean profile) {
        public static Options defaults() {
            return new Options(0, 1, 3, 64, 16, true, false);
        }
    }

    /** One measured task: median seconds of a run, images per run and model FLOPs per run. */
    public record Task(String name, double seconds, int images, double flops) {
        public double imagesPerSecond() {
            return images / seconds;
        }

        public double gflops() {
            return flops / seconds / 1e9;
        }
    }

    public record Result(int threads, double loadBefore, double loadAfter, double matmulGflops, Task varTrain, Task vqvaeTrain,
                         Task tokenize, Task sample, double peakRssMb, double vqvaePeakRssMb, double varSample16, double rasterSample16) {
        public double mfu(Task t) {
            return t == null ? Double.NaN : t.gflops() / matmulGflops;
        }

        public double rasterOverVar() {
            return rasterSample16 / varSample16;
        }
    }

    public static Result run(Options o, Device device, Consumer<String> log) {
        double loadBefore = loadAverage();
        Engine.getInstance();                                                     // starts the engine (reads num_threads)
        if (o.threads() > 0 && JniUtils.getNumThreads() != o.threads()) JniUtils.setNumThreads(o.threads());
        int threads = JniUtils.getNumThreads();
        log.accept(String.format("engine threads %d, load average %.2f, batch %d, %d warm-up + %d timed runs each", threads,
                loadBefore, o.batch(), o.warmup(), o.reps()));
        try (NDManager root = NDManager.newBaseManager(device)) {
            double matmul = yardstick(root, o);
            log.accept(String.format("yardstick 1024^3 matmul: %.1f GFLOP/s", matmul));

            ModelConfig cfg = BenchModels.configB(BenchModels.SCALES_B, "var");
            Params params = Params.fromHost(BenchModels.randomWeights(cfg, 1), root);
            VqVae vae = new VqVae(cfg, params);
            VarTransformer var = new VarTransformer(cfg.var(), TokenLayout.of(cfg), cfg.vqvae().vocabSize(), cfg.vqvae().zChannels(), params);
            int b = o.batch();
            SplittableRandom rng = new SplittableRandom(7);
            float[] images = new float[b * cfg.channels() * cfg.imageSize() * cfg.imageSize()];
            for (int i = 0; i < images.length; i++) images[i] = (float) (rng.nextDouble() * 2 - 1);
            Shape imgShape = new Shape(b, cfg.channels(), cfg.imageSize(), cfg.imageSize());

            long[] tokens = new long[b * cfg.totalTokens()], labels = new long[b];
            for (int i = 0; i < tokens.length; i++) tokens[i] = rng.nextInt(cfg.vqvae().vocabSize());
            for (int i = 0; i < b; i++) labels[i] = rng.nextDouble() < 0.1 ? cfg.var().numClasses() : i % cfg.var().numClasses();

            Task varTrain;
            double peak;
            try (PeakMemory mem = new PeakMemory()) {
                Timing.Runs r = measure(root, o, "VAR training step", BenchSteps.varStep(var, vae, params, tokens, labels, b), log);
                peak = mem.peakMb();
                varTrain = new Task("VAR training step", r.median(), b, Flops.varTrainStep(cfg, b));
            }
            log.accept(line(varTrain, matmul) + String.format(", peak RSS %.0f MB", peak));

            Task vqvaeTrain;
            double vqPeak;
            try (PeakMemory mem = new PeakMemory()) {
                Timing.Runs r = measure(root, o, "VQ-VAE training step", BenchSteps.vqvaeStep(vae, params, images, imgShape), log);
                vqPeak = mem.peakMb();
                vqvaeTrain = new Task("VQ-VAE training step", r.median(), b, Flops.vqvaeTrainStep(cfg, b));
            }
            log.accept(line(vqvaeTrain, matmul) + String.format(", peak RSS %.0f MB", vqPeak));

            Timing.Runs tr = measure(root, o, "tokenize", m -> {
                for (NDArray idx : vae.imgToIdx(m.create(images, imgShape))) idx.toLongArray();
            }, log);
            Task tokenize = new Task("tokenize " + b + " images", tr.median(), b, Flops.tokenize(cfg, b));
            log.accept(line(tokenize, matmul));

            SampleOptions so = new SampleOptions(0, b, 1.5, 0, 0, 1, false);
            Sampler sampler = new Sampler(var, vae);
            Timing.Runs sr = measure(root, o, "sample", m -> sampler.sample(m.create(labels(b, 10)), so, null,
                    ProgressListener.NONE, CancelToken.none(), null).toFloatArray(), log);
            Task sample = new Task("sample " + b + " images", sr.median(), b, Flops.sample(cfg, b));
            log.accept(line(sample, matmul));

            double varS = Double.NaN, rasterS = Double.NaN;
            if (o.compare()) {
                double[] s = rasterVsVar(root, o, log);
                varS = s[0];
                rasterS = s[1];
            }
            return new Result(threads, loadBefore, loadAverage(), matmul, varTrain, vqvaeTrain, tokenize, sample, peak, vqPeak, varS, rasterS);
        }
    }

    /** Timed runs of a task, then (when asked) one profiled run whose report goes to the log. */
    private static Timing.Runs measure(NDManager root, Options o, String name, Consumer<NDManager> work, Consumer<String> log) {
        Timing.Runs r = Timing.measure(root, o.warmup(), o.reps(), work);
        if (o.profile())
            try (NDManager m = root.newSubManager()) {
                log.accept("profile of one run of " + name + ":\n" + Profile.of(() -> work.accept(m)).format(25));
            } catch (IOException e) {
                log.accept("profile of " + name + " failed: " + e.getMessage());
            }
        return r;
    }

    /** GFLOP/s of a 1024x1024 by 1024x1024 fp32 product. */
    static double yardstick(NDManager root, Options o) {
        try (NDManager m = root.newSubManager()) {
            NDArray a = m.randomNormal(new Shape(1024, 1024)), bm = m.randomNormal(new Shape(1024, 1024));
            Timing.Runs r = Timing.measure(m, 3, Math.max(7, 3 * o.reps()), s -> a.matMul(bm).toFloatArray());
            return 2.0 * 1024 * 1024 * 1024 / r.median() / 1e9;
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

    private static String line(Task t, double matmul) {
        return String.format("%s: %.3f s, %.1f images/s, %.1f GFLOP, %.1f GFLOP/s, utilization %.2f", t.name(), t.seconds(),
                t.imagesPerSecond(), t.flops() / 1e9, t.gflops(), t.gflops() / matmul);
    }

    /** The 1-minute load average (Linux), NaN elsewhere. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
