package org.nextscale.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * When autograd records nothing (sampling), Ops computes in the buffers of fresh intermediates. Those paths
 * must give exactly the values of the recorded ones and leave the caller's inputs alone.
 */
class OpsInPlaceTest {
    /** f on x with autograd recording (x requires a gradient) and without; both results, x checked unchanged. */
    private static float[][] bothPaths(NDManager m, Shape shape, long seed, Function<NDArray, NDArray> f) {
        m.getEngine().setRandomSeed((int) seed);
        float[] values = m.randomNormal(0, 2, shape, ai.djl.ndarray.types.DataType.FLOAT32).toFloatArray();
        float[] recorded;
        try (NDManager s = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray x = s.create(values, shape);
            x.setRequiresGradient(true);
            assertTrue(!Ops.gradOff(x));
            recorded = f.apply(x).toFloatArray();
        }
        float[] inPlace;
        boolean before = JniUtils.isGradMode();
        JniUtils.setGradMode(false);                                        // as the samplers run (NoGrad)
        try (NDManager s = m.newSubManager()) {
            assertTrue(Ops.gradOff(s.zeros(new Shape(1))));
            NDArray x = s.create(values, shape);
            inPlace = f.apply(x).toFloatArray();
            assertArrayEquals(values, x.toFloatArray(), "the input must not change");
        } finally {
            JniUtils.setGradMode(before);
        }
        return new float[][] {recorded, inPlace};
    }

    @Test
    void inPlacePathsGiveTheRecordedValuesBitForBit() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape seq = new Shape(2, 5, 64), image = new Shape(2, 64, 6, 6);
            float[][] gelu = bothPaths(m, seq, 1, Ops::geluTanh);
            assertArrayEquals(gelu[0], gelu[1], "geluTanh");
            float[][] silu = bothPaths(m, image, 2, Ops::silu);
            assertArrayEquals(silu[0], silu[1], "silu");
            NDArray gamma = m.randomNormal(new Shape(64)), beta = m.randomNormal(new Shape(64));
            NDArray ones = m.ones(new Shape(2 * 36)), zeros = m.zeros(new Shape(2 * 36));
            float[][] gn = bothPaths(m, image, 3, x -> Ops.groupNorm(x, 32, gamma, beta, 1e-6f, ones, zeros));
            assertArrayEquals(gn[0], gn[1], "groupNorm");
            NDArray scale = m.randomNormal(new Shape(2, 1, 64)), shift = m.randomNormal(new Shape(2, 1, 64));
            float[][] mod = bothPaths(m, seq, 4, x -> Ops.mulAdd(x.mul(1f), scale, shift));    // mulAdd takes a fresh array
            assertArrayEquals(mod[0], mod[1], "mulAdd");
            // and the gated residual is the same sum either way round
            NDArray residual = m.randomNormal(seq);
            float[][] res = bothPaths(m, seq, 5, x -> Ops.mulAdd(x.mul(1f), scale, residual));
            assertArrayEquals(res[0], res[1], "gated residual");
        }
    }
}
