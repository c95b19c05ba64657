package org.nextscale.core.train;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nextscale.core.nn.Params;

/** AdamW against torch.optim.AdamW's formulas computed in double on the host, with clipping and the no-decay filter. */
class AdamWTest {
    @Test
    void twoStepsMatchTorchAdamWWithClipping() {
        float[] w0 = {0.5f, -1.0f, 2.0f, 0.25f}, b0 = {0.1f, -0.2f};
        double lr = 0.01, wd = 0.1, clip = 1.0, b1 = 0.9, b2 = 0.95, eps = 1e-8;
        try (NDManager m = NDManager.newBaseManager()) {
            Params p = new Params(m);
            p.put("var.head.weight", m.create(w0, new ai.djl.ndarray.types.Shape(2, 2)));
            p.put("var.head.bias", m.create(b0));
            AdamW adam = new AdamW(p, Set.of("var.head.weight", "var.head.bias"), b1, b2, eps);
            double[] w = {0.5, -1.0, 2.0, 0.25}, b = {0.1, -0.2};
            double[] mw = new double[4], vw = new double[4], mb = new double[2], vb = new double[2];
            for (int t = 1; t <= 2; t++) {
                // loss = sum(w^2 * 3) + sum(b * 5): gradients 6 w and 5
                try (NDManager s = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = p.get("var.head.weight").square().mul(3f).sum().add(p.get("var.head.bias").mul(5f).sum());
                    gc.backward(loss);
                }
                double[] gw = new double[4], gb = {5, 5};
                double sq = 50;
                for (int i = 0; i < 4; i++) { gw[i] = 6 * w[i]; sq += gw[i] * gw[i]; }
                double norm = Math.sqrt(sq);
                assertEquals(norm, adam.gradientNorm(), 1e-4 * norm);
                adam.update(lr, wd, clip, norm);
                double c = clip / (norm + 1e-6), bc1 = 1 - Math.pow(b1, t), bc2 = 1 - Math.pow(b2, t);
                for (int i = 0; i < 4; i++) {
                    double g = gw[i] * c;
                    mw[i] = b1 * mw[i] + (1 - b1) * g;
                    vw[i] = b2 * vw[i] + (1 - b2) * g * g;
                    w[i] = w[i] * (1 - lr * wd) - lr / bc1 * mw[i] / (Math.sqrt(vw[i]) / Math.sqrt(bc2) + eps);
                }
                for (int i = 0; i < 2; i++) { // biases: no weight decay
                    double g = gb[i] * c;
                    mb[i] = b1 * mb[i] + (1 - b1) * g;
                    vb[i] = b2 * vb[i] + (1 - b2) * g * g;
                    b[i] = b[i] - lr / bc1 * mb[i] / (Math.sqrt(vb[i]) / Math.sqrt(bc2) + eps);
                }
            }
            float[] gotW = p.get("var.head.weight").toFloatArray(), gotB = p.get("var.head.bias").toFloatArray();
            for (int i = 0; i < 4; i++) assertEquals(w[i], gotW[i], 1e-6);
            for (int i = 0; i < 2; i++) assertEquals(b[i], gotB[i], 1e-6);
        }
    }

    @Test
    void decayFilterFollowsTheReference() {
        assertTrue(AdamW.decays("var.blocks.0.attn.mat_qkv.weight", 2));
        assertTrue(AdamW.decays("var.class_emb.weight", 2));
        assertFalse(AdamW.decays("var.blocks.0.attn.q_bias", 1));
        assertFalse(AdamW.decays("var.pos_1LC", 3));
        assertFalse(AdamW.decays("var.lvl_embed.weight", 2));
        assertFalse(AdamW.decays("var.blocks.0.attn.scale_mul_1H11", 4));
        assertFalse(AdamW.decays("vae.encoder.norm_out.weight", 1));
    }

    @Test
    void scheduleWarmsUpThenDecays() {
        LrSchedule cos = new LrSchedule(1.0, 10, 110, "cos"), lin = new LrSchedule(1.0, 10, 110, "lin");
        assertEquals(0.005, cos.at(0), 1e-12);
        assertEquals(1.0, cos.at(10), 1e-12);
        assertEquals(0.01, cos.at(109), 1e-12);
        assertEquals(1.0, lin.at(12), 1e-12);       // lin holds the peak for the first 5% of the decay
        assertEquals(0.01, lin.at(109), 1e-12);
        assertTrue(cos.at(60) < cos.at(30) && lin.at(60) < lin.at(30));
    }
}
