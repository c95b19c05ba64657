package org.nextscale.core.bench;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.Devices;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.api.TrainEvent;
import org.nextscale.core.api.TrainListener;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.train.TrainOptions;
import org.nextscale.core.train.Training;

/**
 * Long runs that must not grow (issue 12, campaign 5): many training steps of a tiny config and many
 * sampling calls, with resident memory, used Java heap and the number of live engine arrays recorded
 * after every step or call. A leak shows as a last tenth above the first tenth, or as a growing count of
 * arrays (the engine's memory is not the Java heap's: nothing frees it but closing its manager).
 */
public final class Soak {
    private Soak() {}

    /** One measurement per step or call. */
    public record Sample(double rssMb, double heapMb, long arrays) {}

    /** A series: the first and last tenth averaged (memory) and the array counts at both ends. */
    public record Series(String name, List<Sample> samples) {
        public double rssFirst() { return mean(true, Sample::rssMb); }
        public double rssLast() { return mean(false, Sample::rssMb); }
        public double heapFirst() { return mean(true, Sample::heapMb); }
        public double heapLast() { return mean(false, Sample::heapMb); }
        public long arraysFirst() { return samples.get(0).arrays(); }
        public long arraysLast() { return samples.get(samples.size() - 1).arrays(); }
        public long arraysMin() { return samples.stream().mapToLong(Sample::arrays).min().orElse(0); }
        public long arraysMax() { return samples.stream().mapToLong(Sample::arrays).max().orElse(0); }

        private double mean(boolean first, java.util.function.ToDoubleFunction<Sample> f) {
            int tenth = Math.max(1, samples.size() / 10);
            List<Sample> part = first ? samples.subList(0, tenth) : samples.subList(samples.size() - tenth, samples.size());
            return part.stream().mapToDouble(f).average().orElse(Double.NaN);
        }

        public String line() {
            return String.format("%-22s %7d %9.0f %9.0f %+7.1f%% %9.0f %9.0f %+7.1f%% %8d %8d", name, samples.size(), rssFirst(), rssLast(),
                    change(rssFirst(), rssLast()), heapFirst(), heapLast(), change(heapFirst(), heapLast()), arraysFirst(), arraysLast());
        }

        public static String header() {
            return String.format("%-22s %7s %9s %9s %8s %9s %9s %8s %8s %8s", "series", "steps", "RSS MB", "(last)", "change", "heap MB",
                    "(last)", "change", "arrays", "(last)");
        }
    }

    static double change(double first, double last) {
        return first > 0 ? 100 * (last - first) / first : Double.NaN;
    }

    /** Every array the engine holds in this process (everything under the root of all managers), less the resize matrices kept for the JVM's life. */
    public static long liveArrays() {
        try (NDManager probe = NDManager.newBaseManager(org.nextscale.core.api.Devices.host())) {
            NDManager root = probe;
            while (root.getParentManager() != null && root.getParentManager() != root) root = root.getParentManager();
            return root.getManagedArrays().size() - org.nextscale.core.tokenizer.Resize.keptMatrices();
        }
    }

    public static Sample sample() {
        Runtime rt = Runtime.getRuntime();
        return new Sample(PeakMemory.readKb("VmRSS:") / 1024.0, (rt.totalMemory() - rt.freeMemory()) / 1048576.0, liveArrays());
    }

    /** Options of the tiny configs: 16x16 synthetic shapes, a tokenizer and transformer of a few thousand weights. */
    static Map<String, String> tiny(Path out, long steps, String seed) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("data", "synthetic:64");
        m.put("steps", Long.toString(steps));
        m.put("batch", "8");
        m.put("lr", "2e-3");
        m.put("seed", seed);
        m.put("log_every", "1000000");
        m.put("checkpoint_every", "0");
        m.put("val", "0");
        m.put("eval_every", "0");
        m.put("preview_every", "0");
        m.put("out", out.toString());
        return m;
    }

    /** A tiny tokenizer trained for {@code steps} steps, recording after each step. */
    public static Series tokenizerTraining(Path dir, long steps, String device, Consumer<String> log) throws IOException {
        Map<String, String> o = tiny(dir.resolve("soak-tokenizer.zip"), steps, "1");
        o.put("device", device);
        o.putAll(Map.of("vocab", "64", "z", "8", "ch", "32", "ch_mult", "1,1", "patch_nums", "1,2,4,8"));
        List<Sample> samples = new ArrayList<>();
        Training.trainTokenizer(TrainOptions.parse(o), recorder(samples, log), CancelToken.none());
        return new Series("tokenizer training", samples);
    }

    /** A tiny transformer trained for {@code steps} steps on {@code tokenizer}, recording after each step. */
    public static Series transformerTraining(Path dir, Path tokenizer, long steps, String device, Consumer<String> log) throws IOException {
        return transformerTraining(dir, tokenizer, steps, device, log, 0);
    }

    /** As above with a moving average of the weights of decay {@code ema} (0: none), written to soak-var-ema.zip. */
    public static Series transformerTraining(Path dir, Path tokenizer, long steps, String device, Consumer<String> log, double ema) throws IOException {
        Map<String, String> o = tiny(dir.resolve(ema > 0 ? "soak-var-ema.zip" : "soak-var.zip"), steps, "2");
        o.put("device", device);
        o.putAll(Map.of("tokenizer", tokenizer.toString(), "depth", "2", "width", "64", "heads", "2", "ema", String.valueOf(ema)));
        List<Sample> samples = new ArrayList<>();
        Training.trainVar(TrainOptions.parse(o), recorder(samples, log), CancelToken.none());
        return new Series(ema > 0 ? "transformer training, moving average" : "transformer training", samples);
    }

    /** {@code calls} sampling calls of one image each (a new seed each call), recording after each call. */
    public static Series sampling(Path model, long calls, String device, Consumer<String> log) throws IOException {
        List<Sample> samples = new ArrayList<>();
        try (VarModel m = VarModel.load(model, Devices.parse(device))) {
            for (long i = 0; i < calls; i++) {
                m.generate(SampleOptions.defaults().withCount(1).withClass((int) (i % Math.max(1, m.config().classNames().size()))).withSeed(i),
                        ProgressListener.NONE, CancelToken.none());
                samples.add(sample());
                if (log != null && (i + 1) % Math.max(1, calls / 10) == 0) log.accept("sampling: " + (i + 1) + "/" + calls + " calls");
            }
        }
        return new Series("sampling", samples);
    }

    private static TrainListener recorder(List<Sample> samples, Consumer<String> log) {
        return new TrainListener() {
            @Override
            public void onStep(TrainEvent e) {
                samples.add(sample());
                if (log != null && e.step() % Math.max(1, e.totalSteps() / 10) == 0) log.accept(e.phase() + ": " + e.step() + "/" + e.totalSteps() + " steps");
            }
        };
    }

    /**
     * The soak figure of `nextscale bench --soak STEPS`: STEPS transformer training steps of the tiny config
     * and STEPS sampling calls (its tokenizer is trained first for a tenth of that, at most 500 steps).
     */
    public static List<Series> run(Path dir, long steps, String device, Consumer<String> log) throws IOException {
        List<Series> out = new ArrayList<>();
        out.add(tokenizerTraining(dir, Math.max(10, Math.min(500, steps / 10)), device, log));
        Path tokenizer = dir.resolve("soak-tokenizer.zip");
        out.add(transformerTraining(dir, tokenizer, steps, device, log));
        out.add(sampling(dir.resolve("soak-var.zip"), steps, device, log));
        return out;
    }
}
