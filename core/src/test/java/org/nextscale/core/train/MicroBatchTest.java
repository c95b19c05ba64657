package org.nextscale.core.train;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nextscale.core.api.TrainListener;
import org.nextscale.core.cli.Main;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.config.VarConfig;
import org.nextscale.core.data.Datasets;
import org.nextscale.core.data.LabeledImages;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.nn.Params;
import org.nextscale.core.tokenizer.VqVae;
import org.nextscale.core.transformer.TokenLayout;
import org.nextscale.core.transformer.VarTransformer;
import picocli.CommandLine;

/**
 * Micro-batches give the whole batch's step: on a tiny config and 64 synthetic images, the gradient
 * accumulated over 2 x 32 (and 4 x 16) images equals that of one pass over 64 within float rounding, and so
 * do the loss and the per-position loss and accuracy. This also pins down that opening a GradientCollector
 * does not zero the gradients of the passes before it. The same for the tokenizer step.
 */
class MicroBatchTest {
    private static final int BATCH = 64;

    @Test
    void accumulatedGradientEqualsTheWholeBatchGradient() throws IOException {
        Map<String, String> t = TinyRuns.tokenizer("unused.zip", 1);
        ModelConfig tokCfg = TokenizerTrainer.config(TrainOptions.parse(t), List.of("a"), 1);
        LabeledImages data = Datasets.open("synthetic:" + BATCH, 0, tokCfg.imageSize(), tokCfg.channels(), 3);
        ModelConfig cfg = tokCfg.withVar(new VarConfig(data.numClasses(), 2, 64, 2, 4.0, 1e-6, false, true, 0.1), data.classNames(), "var").validate();
        try (NDManager root = NDManager.newBaseManager()) {
            Map<String, HostTensor> w = new LinkedHashMap<>(WeightInit.init(cfg, 5, "vae."));
            w.putAll(WeightInit.init(cfg, 5, "var."));
            Params params = Params.fromHost(w, root);
            VqVae vae = new VqVae(cfg, params);
            VarTransformer var = new VarTransformer(cfg.var(), TokenLayout.nextScale(cfg.patchNums()), cfg.vqvae().vocabSize(), cfg.vqvae().zChannels(), params);
            AdamW adam = new AdamW(params, new HashSet<>(var.weightNames()), 0.9, 0.95, 1e-8);   // makes the weights record gradients
            TokenTable table = TokenTable.build(vae, data, false, false, BATCH, root, TrainListener.NONE, null);
            int[] idx = new int[BATCH];
            long[] labels = new long[BATCH];
            for (int i = 0; i < BATCH; i++) {
                idx[i] = i;
                labels[i] = i % 7 == 0 ? data.numClasses() : data.labels()[i];                 // some labels dropped
            }
            long[] tokens = table.gather(idx, new boolean[BATCH]);
            VarStep step = new VarStep(var, vae, table, false, 0.1);

            VarStep.Result whole = step.run(root, tokens, labels, BATCH);
            Map<String, float[]> g64 = gradients(params, adam);
            double norm = adam.gradientNorm();
            assertTrue(norm > 1e-3, "the test needs a real gradient, norm " + norm);
            for (int micro : new int[] {32, 16}) {
                adam.zeroGradients();
                VarStep.Result parts = step.run(root, tokens, labels, micro);
                Map<String, float[]> g = gradients(params, adam);
                for (String n : g64.keySet()) assertClose(g64.get(n), g.get(n), 1e-5, n + " with micro-batches of " + micro);
                assertEquals(whole.loss(), parts.loss(), 1e-5 * whole.loss(), "loss");
                assertClose(whole.perPosition(), parts.perPosition(), 1e-5, "per-position loss and accuracy");
            }

            // one half alone is not the batch's gradient (so the comparison above can fail)
            adam.zeroGradients();
            step.run(root, java.util.Arrays.copyOf(tokens, tokens.length / 2), java.util.Arrays.copyOf(labels, BATCH / 2), BATCH / 2);
            Map<String, float[]> half = gradients(params, adam);
            assertThrows(AssertionError.class, () -> {
                for (String n : g64.keySet()) assertClose(g64.get(n), half.get(n), 1e-5, n);
            });
            adam.zeroGradients();
        }
    }

    @Test
    void tokenizerGradientOverMicroBatchesEqualsTheWholeBatchGradient() throws IOException {
        ModelConfig cfg = TokenizerTrainer.config(TrainOptions.parse(TinyRuns.tokenizer("unused.zip", 1)), List.of("a"), 1);
        LabeledImages data = Datasets.open("synthetic:" + BATCH, 0, cfg.imageSize(), cfg.channels(), 4);
        int[] idx = new int[BATCH];
        for (int i = 0; i < BATCH; i++) idx[i] = i;
        float[] pixels = org.nextscale.core.data.TrainingData.pixels(data, idx, new boolean[BATCH]);
        try (NDManager root = NDManager.newBaseManager()) {
            Params params = Params.fromHost(WeightInit.init(cfg, 6, "vae."), root);
            VqVae vae = new VqVae(cfg, params);
            AdamW adam = new AdamW(params, new HashSet<>(vae.parameterNames()), 0.9, 0.95, 1e-8);
            TokenizerStep step = new TokenizerStep(vae);
            TokenizerStep.Result whole = step.run(root, pixels, BATCH, BATCH);
            Map<String, float[]> g64 = gradients(params, adam);
            assertTrue(adam.gradientNorm() > 1e-3, "the test needs a real gradient");
            adam.zeroGradients();
            TokenizerStep.Result parts = step.run(root, pixels, BATCH, 32);
            Map<String, float[]> g32 = gradients(params, adam);
            adam.zeroGradients();
            double floor = 1e-2 * largest(g64);
            for (String n : g64.keySet()) assertClose(g64.get(n), g32.get(n), 1e-5, floor, n);
            assertEquals(whole.loss(), parts.loss(), 1e-5 * whole.loss(), "loss");
            assertArrayEquals(whole.usage(), parts.usage(), "codebook hits are counted over the whole batch");
            long hits = 0;
            for (int v : whole.usage()[0]) hits += v;
            assertEquals(BATCH * cfg.patchNums().get(0) * cfg.patchNums().get(0), hits, "one hit per token of the first scale");
        }
    }

    @Test
    void microBatchMustDivideTheBatch() {
        assertEquals(16, TrainOptions.parse(Map.of("batch", "64", "micro_batch", "16")).microBatch());
        assertEquals(64, TrainOptions.parse(Map.of("batch", "64")).microBatch(), "0 (the default) is the whole batch");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainOptions.parse(Map.of("batch", "64", "micro_batch", "24")));
        assertEquals("training option micro_batch (24) must divide batch (64) into equal parts, e.g. 16; 0 = whole batch", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainOptions.parse(Map.of("micro_batch", "-2")));
        assertTrue(e.getMessage().contains("micro_batch must be >= 0"), e.getMessage());

        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        for (CommandLine sub : cl.getSubcommands().values()) sub.setErr(new PrintWriter(err));
        int code = cl.execute("train", "--batch", "32", "--micro-batch", "5");
        assertNotEquals(0, code);
        assertTrue(err.toString().contains("training option micro_batch (5) must divide batch (32)"), err.toString());
    }

    private static double largest(Map<String, float[]> gradients) {
        double max = 0;
        for (float[] g : gradients.values()) for (float v : g) max = Math.max(max, Math.abs(v));
        return max;
    }

    private static Map<String, float[]> gradients(Params params, AdamW adam) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (String n : adam.names())
            try (NDArray g = params.get(n).getGradient()) {
                out.put(n, g.toFloatArray());
            }
        return out;
    }

    /** Equal within tol * max |expected| (relative to the tensor's largest value: gradients are small numbers). */
    private static void assertClose(float[] expected, float[] actual, double tol, String what) {
        assertClose(expected, actual, tol, 0, what);
    }

    /**
     * Equal within tol * max(max |expected|, floor). A floor (a fraction of the model's largest gradient) is
     * needed where a gradient is zero but for rounding: a bias right before a group norm gets the sum of
     * terms that cancel, and its float error is on the scale of the terms, not of the sum.
     */
    private static void assertClose(float[] expected, float[] actual, double tol, double floor, String what) {
        assertEquals(expected.length, actual.length, what);
        double max = Math.max(floor, 1e-30);
        for (float e : expected) max = Math.max(max, Math.abs(e));
        for (int i = 0; i < expected.length; i++)
            assertEquals(expected[i], actual[i], tol * max, what + " [" + i + "]");
    }
}
