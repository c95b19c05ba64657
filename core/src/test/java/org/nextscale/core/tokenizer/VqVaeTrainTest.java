package org.nextscale.core.tokenizer;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nextscale.core.TestPaths;
import org.nextscale.core.config.ConfigJson;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.io.SafeTensors;
import org.nextscale.core.nn.Params;

/** The training pass is differentiable end to end, and bad weight files fail with the weight's name. */
class VqVaeTrainTest {

    @Test
    void forwardTrainGivesGradientsToEveryWeight() throws IOException {
        Path dir = TestPaths.parity("tiny-a");
        ModelConfig cfg = ConfigJson.parse(Files.readString(dir.resolve("config.json")));
        try (NDManager m = NDManager.newBaseManager()) {
            Params params = Params.fromHost(SafeTensors.read(dir.resolve("weights.safetensors")), m);
            VqVae vae = new VqVae(cfg, params);
            List<String> names = vae.parameterNames();
            assertTrue(names.contains("vae.encoder.conv_in.weight"));
            assertTrue(names.contains("vae.quantize.embedding.weight"));
            assertTrue(names.contains("vae.decoder.conv_out.weight"));
            assertTrue(names.contains("vae.quantize.quant_resi.qresi_ls.3.weight"));
            assertFalse(names.contains("vae.quantize.ema_vocab_hit_SV"), "buffers are not trainable");
            assertEquals(params.names().stream().filter(n -> n.startsWith("vae.") && !n.endsWith("ema_vocab_hit_SV")).count(),
                    names.size(), "every vae weight of the file is used");
            for (String n : names) params.get(n).setRequiresGradient(true);

            NDArray img = SafeTensors.read(dir.resolve("cases.safetensors")).get("img").toNDArray(m);
            // the first pass may cache per-size constants beside the weights (GroupNorm's unit gain and shift);
            // after it, a step must leave nothing behind in the weights' manager
            int[] arrays = new int[3];
            for (int round = 0; round < 3; round++) {
                arrays[round] = m.getManagedArrays().size();
                try (NDManager step = m.newSubManager()) {
                    trainStep(vae, img, step);
                    NDArray x2 = img.duplicate();
                    x2.attach(step);
                    vae.quantizer().idxToVarInput(vae.imgToIdx(x2));
                    vae.idxToImg(vae.imgToIdx(x2));
                }
                if (round < 2)                                  // zero the gradients so the last round's stand alone
                    for (String n : names)
                        try (NDArray g = params.get(n).getGradient()) {
                            g.subi(g);
                        }
            }
            int cached = arrays[1] - arrays[0];
            assertTrue(cached >= 0 && cached <= 16, "constants cached by the first pass: " + cached);
            assertEquals(arrays[1], arrays[2], "every temporary of a step belongs to the step's manager");
            assertEquals(arrays[1], m.getManagedArrays().size(), "every temporary of a step belongs to the step's manager");
            for (String n : names) {
                try (NDArray g = params.get(n).getGradient()) {
                    double norm = g.abs().sum().getFloat();
                    assertTrue(norm > 0 && Double.isFinite(norm), n + " has gradient norm " + norm);
                }
            }
            // a second model from the same weights gets the same gradients (the engine's convolution gave
            // garbage gradients for unaligned channel counts, different on every run; see Ops.conv2d)
            Params params2 = Params.fromHost(SafeTensors.read(dir.resolve("weights.safetensors")), m);
            VqVae vae2 = new VqVae(cfg, params2);
            for (String n : names) params2.get(n).setRequiresGradient(true);
            try (NDManager step = m.newSubManager()) {
                trainStep(vae2, img, step);
            }
            double worst = 0;
            for (String n : names) {
                float[] g1 = params.get(n).getGradient().toFloatArray(), g2 = params2.get(n).getGradient().toFloatArray();
                double maxG = 0, maxD = 0;
                for (int i = 0; i < g1.length; i++) {
                    maxG = Math.max(maxG, Math.abs(g1[i]));
                    maxD = Math.max(maxD, Math.abs(g1[i] - g2[i]));
                }
                worst = Math.max(worst, maxD / Math.max(maxG, 1e-6));
                assertTrue(maxD <= 1e-4 * Math.max(maxG, 1e-6), n + ": gradients of two identical steps differ by " + maxD);
            }
            System.out.printf("tiny-a forwardTrain: two identical steps, worst relative gradient difference %.1e%n", worst);

            // the codebook only learns the rows that were picked
            float[] cbGrad = params.get("vae.quantize.embedding.weight").getGradient().abs().sum(new int[] {1}).toFloatArray();
            int rowsWithGrad = 0;
            for (float v : cbGrad) if (v > 0) rowsWithGrad++;
            System.out.printf("tiny-a forwardTrain: %d weights with gradients, %d of %d codebook rows%n", names.size(), rowsWithGrad, cbGrad.length);
            assertTrue(rowsWithGrad > 0 && rowsWithGrad < cbGrad.length);
        }
    }

    /** One training step: forwardTrain, L2 reconstruction + VQ loss, backward; img (B, C, H, W) copied into step. */
    private static void trainStep(VqVae vae, NDArray img, NDManager step) {
        NDArray x = img.duplicate();
        x.attach(step);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            TrainOutput out = vae.forwardTrain(x);
            NDArray loss = out.out().sub(x).square().mean().add(out.vqLoss());
            gc.backward(loss);
        }
    }

    @Test
    void missingOrMisshapenWeightIsNamed() throws IOException {
        Path dir = TestPaths.parity("tiny-b");
        ModelConfig cfg = ConfigJson.parse(Files.readString(dir.resolve("config.json")));
        Map<String, HostTensor> w = new LinkedHashMap<>(SafeTensors.read(dir.resolve("weights.safetensors")));
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, HostTensor> missing = new LinkedHashMap<>(w);
            missing.remove("vae.quantize.quant_resi.2.bias");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new VqVae(cfg, Params.fromHost(missing, m)));
            assertTrue(e.getMessage().contains("vae.quantize.quant_resi.2.bias"), e.getMessage());

            // tiny-a's RGB weights do not fit tiny-b's gray config
            Map<String, HostTensor> rgb = SafeTensors.read(TestPaths.parity("tiny-a").resolve("weights.safetensors"));
            e = assertThrows(IllegalArgumentException.class, () -> new VqVae(cfg, Params.fromHost(rgb, m)));
            assertTrue(e.getMessage().contains("vae.encoder.conv_in.weight"), e.getMessage());
        }
    }
}
