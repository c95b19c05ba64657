package org.nextscale.core.transformer;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VarTransformerTest {

    @ParameterizedTest
    @ValueSource(strings = {"tiny-a", "tiny-b"})
    void teacherForcedLogitsAndLossMatchReference(String name) throws IOException {
        try (ParityCase pc = ParityCase.load(name); NDManager m = pc.manager.newSubManager()) {
            VarTransformer var = pc.transformer();
            int before = resourceCount(pc.manager);
            NDArray logits = var.forward(pc.array("labels", m), pc.array("var_input", m));
            pc.assertClose("logits", logits);
            long[] tokens = pc.allTokens("idx_s");
            NDArray loss = VarTransformer.crossEntropy(logits, m.create(tokens, new Shape(2, pc.config.totalTokens())));
            pc.assertClose("ce_loss", loss.reshape(1));
            assertEquals(before, resourceCount(pc.manager), "forward left arrays in the weights' manager");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-a", "tiny-b"})
    void cachedStepsGiveTheTeacherForcedLogits(String name) throws IOException {
        try (ParityCase pc = ParityCase.load(name); NDManager m = pc.manager.newSubManager()) {
            VarTransformer var = pc.transformer();
            TokenLayout layout = var.layout();
            NDArray varInput = pc.array("var_input", m);
            NDArray full = var.forward(pc.array("labels", m), varInput);
            NDList perBlock = new NDList();
            try (KvCache cache = var.newCache(m)) {
                VarTransformer.Condition cond = var.condition(pc.array("labels", m));
                for (int k = 0; k < layout.numBlocks(); k++) {
                    int first = layout.firstLength();
                    NDArray x = k == 0 ? var.firstBlock(cond)
                            : var.embedBlock(varInput.get(new NDIndex(":, {}:{}", layout.begin(k) - first, layout.end(k) - first)), k);
                    perBlock.add(var.step(cache, cond, x));
                    assertEquals(layout.end(k), cache.length());
                }
            }
            NDArray cached = perBlock.size() == 1 ? perBlock.head() : perBlock.head().getNDArrayInternal().concat(perBlock.subNDList(1), 1);
            double diff = cached.sub(full).abs().max().getFloat();
            System.out.printf("[%s] cached vs teacher-forced logits max|diff| %.3e%n", name, diff);
            assertTrue(diff < 1e-4, "cached logits differ from teacher-forced by " + diff);
            pc.assertClose("logits", cached);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-a", "tiny-b"})
    void lossGivesNonZeroGradientsOnEveryWeight(String name) throws IOException {
        try (ParityCase pc = ParityCase.load(name); NDManager m = pc.manager.newSubManager()) {
            VarTransformer var = pc.transformer();
            for (String w : var.weightNames()) pc.params.get(w).setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = var.forward(pc.array("labels", m), pc.array("var_input", m));
                NDArray loss = VarTransformer.crossEntropy(logits, m.create(pc.allTokens("idx_s"), new Shape(2, pc.config.totalTokens())));
                gc.backward(loss);
            }
            for (String w : var.weightNames()) {
                try (NDArray g = pc.params.get(w).getGradient()) {
                    double norm = g.abs().sum().getFloat();
                    assertTrue(norm > 0 && Double.isFinite(norm), name + " " + w + ": gradient sum|g| = " + norm);
                }
            }
            System.out.printf("[%s] %d weights all have non-zero finite gradients%n", name, var.weightNames().size());
        }
    }

    /** The raster layout runs on the same class: plain causal mask, one level, positions over the last scale. */
    @Test
    void rasterLayoutIsCausalAndNextScaleLayoutIsBlockCausal() throws IOException {
        try (ParityCase pc = ParityCase.load("tiny-a"); NDManager m = pc.manager.newSubManager()) {
            int side = pc.config.patchNums().get(pc.config.numScales() - 1), n = side * side;
            VarTransformer rasterVar = pc.rasterTransformer();
            assertEquals(TokenLayout.raster(side).blockSizeList(),
                    TokenLayout.of(pc.config.withVar(pc.config.var(), pc.config.classNames(), "raster")).blockSizeList());
            assertEquals(pc.config.totalTokens(), TokenLayout.of(pc.config).length());
            NDArray labels = pc.array("labels", m);
            NDArray input = m.randomNormal(new Shape(2, n - 1, pc.config.vqvae().zChannels()));
            NDArray base = rasterVar.forward(labels, input);
            assertEquals(new Shape(2, n, pc.config.vqvae().vocabSize()), base.getShape());
            int j = 20;   // change input token j, which is the input of position j + 1
            NDArray changed = input.duplicate();
            changed.set(new NDIndex(":, {}", j), 3f);
            NDArray out = rasterVar.forward(labels, changed);
            float before = out.get(new NDIndex(":, 0:{}", j + 1)).sub(base.get(new NDIndex(":, 0:{}", j + 1))).abs().max().getFloat();
            float at = out.get(new NDIndex(":, {}", j + 1)).sub(base.get(new NDIndex(":, {}", j + 1))).abs().max().getFloat();
            assertEquals(0f, before, "raster: positions <= " + j + " must not see input " + j);
            assertTrue(at > 1e-3, "raster: position " + (j + 1) + " must see input " + j);
            assertThrows(IllegalArgumentException.class, () -> new VarTransformer(pc.config.var(), TokenLayout.raster(side),
                    pc.config.vqvae().vocabSize(), pc.config.vqvae().zChannels(), pc.params), "next-scale weights for a raster layout");

            VarTransformer var = pc.transformer();
            TokenLayout layout = var.layout();
            NDArray varInput = pc.array("var_input", m);
            NDArray ref = var.forward(labels, varInput);
            int k = 3, first = layout.firstLength();   // change the last token of block 3
            NDArray edited = varInput.duplicate();
            edited.set(new NDIndex(":, {}", layout.end(k) - 1 - first), 3f);
            NDArray got = var.forward(labels, edited);
            float earlier = got.get(new NDIndex(":, 0:{}", layout.begin(k))).sub(ref.get(new NDIndex(":, 0:{}", layout.begin(k)))).abs().max().getFloat();
            float sameBlock = got.get(new NDIndex(":, {}", layout.begin(k))).sub(ref.get(new NDIndex(":, {}", layout.begin(k)))).abs().max().getFloat();
            assertEquals(0f, earlier, "next-scale: earlier blocks must not see block " + k);
            assertTrue(sameBlock > 1e-3, "next-scale: a block sees all of its own tokens");
        }
    }

    @SuppressWarnings("unchecked")
    static int resourceCount(NDManager manager) {
        try {
            Field f = ai.djl.ndarray.BaseNDManager.class.getDeclaredField("resources");
            f.setAccessible(true);
            return ((Map<String, AutoCloseable>) f.get(manager)).size();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
