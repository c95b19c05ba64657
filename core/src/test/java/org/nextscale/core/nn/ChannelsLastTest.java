package org.nextscale.core.nn;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * The channels-last inference path gives the values of the NCHW one: the layout change keeps every value, and
 * GroupNorm over NHWC memory equals the fused LayerNorm-based GroupNorm within float32 rounding, also for
 * activations whose mean is far from zero (where a one-pass variance would lose digits), and a convolution
 * on channels-last input gives the NCHW convolution's values.
 */
class ChannelsLastTest {
    /** x with the same shape and values, held NHWC in memory (a view when it already is). */
    static NDArray channelsLast(NDArray x) {
        Shape s = x.getShape();
        return x.transpose(0, 2, 3, 1).reshape(-1).reshape(s.get(0), s.get(2), s.get(3), s.get(1)).transpose(0, 3, 1, 2);
    }

    @Test
    void channelsLastKeepsValuesAndGroupNormAndConvolutionAgreeWithTheNchwPath() {
        try (NDManager m = NDManager.newBaseManager(); NoGrad noGrad = new NoGrad()) {
            m.getEngine().setRandomSeed(7);
            Shape s = new Shape(2, 64, 12, 10);
            NDArray x = m.randomNormal(0, 1, s, ai.djl.ndarray.types.DataType.FLOAT32).mul(m.linspace(0.1f, 4f, 64).reshape(1, 64, 1, 1))
                    .add(m.linspace(-30f, 50f, 64).reshape(1, 64, 1, 1));                 // per-channel scale and a large mean
            NDArray cl = channelsLast(x);
            assertEquals(s, cl.getShape());
            assertArrayEquals(x.toFloatArray(), cl.toFloatArray(), 0f);
            assertArrayEquals(cl.toFloatArray(), channelsLast(cl).toFloatArray(), 0f, "a channels-last input stays as it is");

            NDArray gamma = m.linspace(0.5f, 1.5f, 64), beta = m.linspace(-1f, 1f, 64);
            long per = 64 / 32 * 12 * 10;
            float[] nchw = Ops.groupNorm(x, 32, gamma, beta, 1e-6f, m.ones(new Shape(per)), m.zeros(new Shape(per))).toFloatArray();
            float[] nhwc = Ops.groupNormChannelsLast(cl, 32, gamma, beta, 1e-6f).toFloatArray();
            float[] fromNchw = Ops.groupNormChannelsLast(x, 32, gamma, beta, 1e-6f).toFloatArray();   // through a copy
            assertArrayEquals(nchw, nhwc, 2e-5f);
            assertArrayEquals(nhwc, fromNchw, 2e-5f);

            NDArray w = m.randomNormal(0, 0.05f, new Shape(32, 64, 3, 3), ai.djl.ndarray.types.DataType.FLOAT32);
            NDArray b = m.linspace(-0.5f, 0.5f, 32);
            assertArrayEquals(Ops.conv2d(x, w, b, 1, 1).toFloatArray(), Ops.conv2d(cl, w, b, 1, 1).toFloatArray(), 2e-4f);
        }
    }
}
