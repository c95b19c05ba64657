package org.nextscale.core.bench;

import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.nextscale.core.api.TrainEvent;
import org.nextscale.core.api.TrainListener;
import org.nextscale.core.train.TrainOptions;
import org.nextscale.core.train.Training;

/**
 * Times the real trainers ({@link Training}) on config B: a short run on synthetic images, one step
 * timed from each step report to the next (so data loading, the optimizer, gradient clipping and the
 * step's statistics count, set-up and the final model file do not). The first reported step also holds
 * the run's set-up and is never timed; the next {@code warmup} steps are not timed either. With a
 * profile asked for, the step after the warm-up runs under the engine profiler and is reported to the log
 * (and not timed). Each step is one update over the whole batch, its forward and backward passes in
 * micro-batches of {@link Bench.Options#trainMicroBatch} images (to bound the activations' memory).
 */
final class TrainerBench {
    private TrainerBench() {}

    /** Seconds per timed step, the process's peak resident memory from the end of the first step on, the last loss. */
    record Run(Timing.Runs steps, double peakRssMb, double lastLoss) {}

    static Run tokenizer(Path dir, Bench.Options o, String device, Consumer<String> log) throws IOException {
        Map<String, String> opts = common(o, device);
        opts.put("out", dir.resolve("tokenizer.zip").toString());
        opts.put("reinit_dead", "false");
        opts.put("vocab", "512");
        opts.put("z", "32");
        opts.put("ch", "64");
        opts.put("ch_mult", "1,2,2");
        opts.put("res_blocks", "2");
        opts.put("channels", "1");
        opts.put("patch_nums", BenchModels.SCALES_B.stream().map(String::valueOf).collect(Collectors.joining(",")));
        return run("VQ-VAE training step", o, log, l -> Training.trainTokenizer(TrainOptions.parse(opts), l, null));
    }

    static Run var(Path dir, Bench.Options o, String device, Consumer<String> log) throws IOException {
        Map<String, String> opts = common(o, device);
        opts.put("out", dir.resolve("var.zip").toString());
        opts.put("tokenizer", dir.resolve("tokenizer.zip").toString());
        opts.put("depth", "6");
        opts.put("width", "384");
        opts.put("heads", "6");
        return run("VAR training step", o, log, l -> Training.trainVar(TrainOptions.parse(opts), l, null));
    }

    /**
     * Config B's options of the run, which both trainers read (the VAR trainer takes the tokenizer's from its file), on the
     * bench's device; steps only: no validation split, no validation, no pictures.
     */
    private static Map<String, String> common(Bench.Options o, String device) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("device", device);
        m.put("val", "0");
        m.put("eval_every", "0");
        m.put("preview_every", "0");
        m.put("data", "synthetic:" + Math.max(256, 2 * o.batch()));
        m.put("batch", Integer.toString(o.batch()));
        m.put("micro_batch", Integer.toString(o.trainMicroBatch()));
        m.put("steps", Integer.toString(1 + o.warmup() + o.reps() + (o.profile() ? 1 : 0)));
        m.put("checkpoint_every", "0");
        m.put("log_every", "100000");
        return m;
    }

    private interface Trainer {
        Path train(TrainListener listener) throws IOException;
    }

    private static Run run(String name, Bench.Options o, Consumer<String> log, Trainer trainer) throws IOException {
        List<Long> ends = new ArrayList<>();
        double[] loss = {Double.NaN}, peak = {Double.NaN};
        int profiled = o.profile() ? 1 + o.warmup() : -1;                   // index of the step run under the profiler
        Path trace = Files.createTempFile("nextscale-profile", ".json");
        PeakMemory[] mem = new PeakMemory[1];
        try {
            TrainListener listener = new TrainListener() {
                @Override
                public void onStep(TrainEvent e) {
                    ends.add(System.nanoTime());
                    loss[0] = e.loss();
                    int done = ends.size();                                  // steps finished so far
                    if (mem[0] != null) peak[0] = mem[0].peakMb();          // up to this step's end (not the model file written after)
                    if (done == 1) {                                         // set-up done: the peak from here on is the steps'
                        PeakMemory.releaseFreeMemory();
                        mem[0] = new PeakMemory();
                        ends.set(0, System.nanoTime());
                    }
                    if (done == profiled + 1) {
                        stopProfile(trace, ends, log, name);
                        ends.set(done - 1, System.nanoTime());                // writing the trace is not the next step's time
                    }
                    if (done == profiled) {
                        JniUtils.startProfile(false, false, false);
                        ends.set(done - 1, System.nanoTime());
                    }
                }
            };
            trainer.train(listener);
            List<Double> seconds = new ArrayList<>();
            for (int i = 1 + o.warmup(); i < ends.size(); i++)
                if (i != profiled) seconds.add((ends.get(i) - ends.get(i - 1)) / 1e9);
            return new Run(new Timing.Runs(seconds.stream().mapToDouble(Double::doubleValue).toArray()), peak[0], loss[0]);
        } finally {
            if (mem[0] != null) mem[0].close();
            Files.deleteIfExists(trace);
        }
    }

    private static void stopProfile(Path trace, List<Long> ends, Consumer<String> log, String name) {
        int n = ends.size();
        JniUtils.stopProfile(trace.toString());
        try {
            log.accept("profile of one " + name + ":\n" + Profile.parse(trace, (ends.get(n - 1) - ends.get(n - 2)) / 1e6).format(25));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
