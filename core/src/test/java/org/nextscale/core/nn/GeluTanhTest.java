package org.nextscale.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class GeluTanhTest {
    @Test
    void valuesAndGradientEqualTheTanhFormulaEvenAfterGarbageCollection() throws InterruptedException {
        float[] xs = new float[401];
        for (int i = 0; i < xs.length; i++) xs[i] = -10f + i * 0.05f;
        double c = Math.sqrt(2 / Math.PI), k = 0.044715;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(xs);
            x.setRequiresGradient(true);
            float[] y, g;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = Ops.geluTanh(x);
                y = out.toFloatArray();
                System.gc();                       // constants autograd keeps must survive a collection
                Thread.sleep(50);
                gc.backward(out.sum());
            }
            g = x.getGradient().toFloatArray();
            for (int i = 0; i < xs.length; i++) {
                double t = Math.tanh(c * (xs[i] + k * xs[i] * xs[i] * xs[i]));
                double value = 0.5 * xs[i] * (1 + t);
                double slope = 0.5 * (1 + t) + 0.5 * xs[i] * (1 - t * t) * c * (1 + 3 * k * xs[i] * xs[i]);
                assertEquals(value, y[i], 2e-6 * Math.max(1, Math.abs(value)), "gelu(" + xs[i] + ")");
                assertEquals(slope, g[i], 2e-6 * Math.max(1, Math.abs(slope)), "gelu'(" + xs[i] + ")");
            }
        }
    }
}
