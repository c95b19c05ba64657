package org.nextscale.core.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.nextscale.core.nn.Params;
import org.nextscale.core.tokenizer.TrainOutput;
import org.nextscale.core.tokenizer.VqVae;
import org.nextscale.core.transformer.VarTransformer;

/**
 * Training steps as the benchmark times them. INTERIM: until the trainers' step functions land, a
 * forward, loss, backward and a fused AdamW update per tensor written here.
 */
final class BenchSteps {
    private BenchSteps() {}

    /** One VAR step teacher-forced from tokens (B, L) and labels (B): var input, logits, CE, backward, AdamW. */
    static Consumer<NDManager> varStep(VarTransformer var, VqVae vae, Params params, long[] tokens, long[] labels, int batch) {
        Adam adam = new Adam(params, var.weightNames());
        int len = var.layout().length();
        List<Integer> pn = vae.quantizer().patchNums();
        return m -> {
            NDArray tok = m.create(tokens, new Shape(batch, len));                       // (B, L) int64
            NDArray lab = m.create(labels, new Shape(batch));
            List<NDArray> perScale = new ArrayList<>();
            int begin = 0;
            for (int p : pn) {
                perScale.add(tok.get(":, {}:{}", begin, begin + p * p));
                begin += p * p;
            }
            NDArray input = vae.quantizer().idxToVarInput(perScale);                      // (B, L - 1, Cvae)
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = var.forward(lab, input);                                 // (B, L, V)
                gc.backward(VarTransformer.crossEntropy(logits, tok));
            }
            adam.update();
        };
    }

    /** One VQ-VAE step on images (B, C, H, W) in [-1, 1]: L1 + L2 + VQ loss, backward, AdamW. */
    static Consumer<NDManager> vqvaeStep(VqVae vae, Params params, float[] images, Shape shape) {
        Adam adam = new Adam(params, vae.parameterNames());
        return m -> {
            NDArray img = m.create(images, shape);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                TrainOutput t = vae.forwardTrain(img);
                NDArray diff = t.out().sub(img);
                gc.backward(diff.abs().mean().add(diff.square().mean()).add(t.vqLoss()));
            }
            adam.update();
        };
    }

    /** AdamW (lr 1e-4, betas 0.9/0.95, wd 0.05) with the engine's fused update, one call per tensor. */
    private static final class Adam {
        private final List<NDArray> weights = new ArrayList<>(), means = new ArrayList<>(), vars = new ArrayList<>();

        Adam(Params params, List<String> names) {
            for (String n : names) {
                NDArray w = params.get(n);
                w.setRequiresGradient(true);
                weights.add(w);
                means.add(params.manager().zeros(w.getShape()));
                vars.add(params.manager().zeros(w.getShape()));
            }
        }

        void update() {
            for (int i = 0; i < weights.size(); i++) {
                NDArray g = weights.get(i).getGradient();
                JniUtils.adamUpdate((PtNDArray) weights.get(i), (PtNDArray) g, (PtNDArray) means.get(i), (PtNDArray) vars.get(i),
                        1e-4f, 1e-4f, 0.05f, 1f, -1f, 0.9f, 0.95f, 1e-8f, true);
                JniUtils.zeroGrad((PtNDArray) weights.get(i));
                g.close();
            }
        }
    }
}
