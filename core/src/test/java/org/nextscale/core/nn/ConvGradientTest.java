package org.nextscale.core.nn;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/**
 * The input gradient of a 3x3 convolution equals the convolution of the output gradient with the flipped,
 * transposed kernel. PyTorch 2.7.1's CPU kernel got this wrong (often NaN) for few output channels; this
 * checks {@link Ops#conv2d}'s workaround on the shapes the tokenizer uses (conv_out to 1 or 3 channels).
 */
class ConvGradientTest {
    @Test
    void inputGradientIsExactForFewOutputChannels() {
        try (NDManager root = NDManager.newBaseManager()) {
            for (int[] c : new int[][] {{32, 1}, {32, 3}, {32, 8}, {8, 8}, {32, 32}}) {
                NDArray w = root.randomUniform(-0.1f, 0.1f, new Shape(c[1], c[0], 3, 3));
                NDArray b = root.randomUniform(-0.1f, 0.1f, new Shape(c[1]));
                w.setRequiresGradient(true);
                for (int t = 0; t < 4; t++) {
                    try (NDManager m = root.newSubManager()) {
                        NDArray x = m.randomUniform(-1, 1, new Shape(16, c[0], 16, 16));
                        NDArray g = m.randomUniform(-1, 1, new Shape(16, c[1], 16, 16));
                        x.setRequiresGradient(true);
                        NDArray y;
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            y = Ops.conv2d(x, w, b, 1, 1);
                            gc.backward(y.mul(g).sum());
                        }
                        assertEquals(new Shape(16, c[1], 16, 16), y.getShape());
                        NDArray expected = Ops.conv2d(g, w.flip(2, 3).transpose(1, 0, 2, 3), null, 1, 1);
                        float err = x.getGradient().sub(expected).abs().max().getFloat();
                        assertTrue(err < 1e-4, c[0] + "->" + c[1] + ": input gradient off by " + err);
                        try (NDArray gw = w.getGradient()) {
                            assertFalse(gw.isNaN().any().getBoolean(), "weight gradient has NaN");
                            gw.subi(gw);
                        }
                    }
                }
            }
        }
    }
}
