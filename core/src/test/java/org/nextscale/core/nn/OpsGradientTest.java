package org.nextscale.core.nn;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gradients of the ops that work around engine defects (see the comments in Ops). */
class OpsGradientTest {

    @Test
    void matmulConvolutionEqualsTheEngineForward() {
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(7);
            int[][] cases = {{3, 8, 3, 1, 1}, {8, 1, 3, 1, 1}, {16, 16, 3, 2, 0}, {5, 3, 1, 1, 0}, {4, 6, 3, 2, 1}};
            for (int[] c : cases) {
                NDArray x = m.randomNormal(new Shape(2, c[0], 9, 9));
                NDArray w = m.randomNormal(new Shape(c[1], c[0], c[2], c[2]));
                NDArray b = m.randomNormal(new Shape(c[1]));
                NDArray expected = Ops.conv2d(x, w, b, c[3], c[4]);                    // engine (no gradient tracked)
                NDArray actual = Ops.conv2dMatmul(x, w, b, c[3], c[4]);
                assertArrayEquals(expected.getShape().getShape(), actual.getShape().getShape());
                assertTrue(expected.sub(actual).abs().max().getFloat() < 1e-4f, "case " + java.util.Arrays.toString(c));
            }
        }
    }

    /** d/dt L(w + t d) at t = 0 by central differences in float64 equals <dL/dw, d> from autograd. */
    @Test
    void convolutionGradientsMatchFiniteDifferences() {
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(11);
            NDArray x = m.randomNormal(new Shape(2, 3, 6, 6)).toType(DataType.FLOAT64, false);
            NDArray w = m.randomNormal(new Shape(5, 3, 3, 3)).toType(DataType.FLOAT64, false);
            NDArray b = m.randomNormal(new Shape(5)).toType(DataType.FLOAT64, false);
            NDArray w2 = m.randomNormal(new Shape(1, 5, 3, 3)).toType(DataType.FLOAT64, false);
            NDArray dx = m.randomNormal(new Shape(2, 3, 6, 6)).toType(DataType.FLOAT64, false);
            NDArray dw = m.randomNormal(new Shape(5, 3, 3, 3)).toType(DataType.FLOAT64, false);
            x.setRequiresGradient(true);
            w.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(loss(x, w, b, w2));
            }
            double analytic = x.getGradient().mul(dx).sum().getDouble() + w.getGradient().mul(dw).sum().getDouble();
            double eps = 1e-5;
            NDArray xs = x.stopGradient(), ws = w.stopGradient();
            double plus = loss(xs.add(dx.mul(eps)), ws.add(dw.mul(eps)), b, w2).getDouble();
            double minus = loss(xs.sub(dx.mul(eps)), ws.sub(dw.mul(eps)), b, w2).getDouble();
            double numeric = (plus - minus) / (2 * eps);
            assertEquals(numeric, analytic, 1e-6 * Math.max(1, Math.abs(numeric)), "directional derivative");
        }
    }

    /** A stride-2 convolution into one channel (the shapes that gave NaN gradients in the engine), squared. */
    private static NDArray loss(NDArray x, NDArray w, NDArray b, NDArray w2) {
        NDArray h = Ops.conv2dMatmul(x, w, b, 1, 1);
        return Ops.conv2dMatmul(h, w2, null, 2, 1).square().sum();
    }

    @Test
    void scaledGradientSurvivesGarbageCollection() throws InterruptedException {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(4, 64));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = Ops.scale(x, 0.37f).sum();
                // free whatever Java buffers are unreachable and overwrite the memory with NaN patterns
                List<ByteBuffer> junk = new ArrayList<>();
                System.gc();
                Thread.sleep(50);
                System.gc();
                for (int i = 0; i < 2000; i++) {
                    ByteBuffer buf = ByteBuffer.allocateDirect(64 + (i % 16) * 64);
                    while (buf.remaining() >= 4) buf.putInt(0x7fc00000);
                    junk.add(buf);
                }
                gc.backward(loss);
                assertEquals(2000, junk.size());
            }
            float[] g = x.getGradient().toFloatArray();
            for (float v : g) assertEquals(0.37f, v, 1e-7f);
        }
    }
}
