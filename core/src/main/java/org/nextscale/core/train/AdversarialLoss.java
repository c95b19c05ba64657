package org.nextscale.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import org.nextscale.core.nn.Ops;

/**
 * The adversarial terms of the VQGAN recipe (taming-transformers VQLPIPSWithDiscriminator, which VAR's
 * tokenizer training follows), without the perceptual term (no LPIPS weights exist offline):
 * <pre>
 *   discriminator:  L_D = 0.5 (mean relu(1 - D(x)) + mean relu(1 + D(x_rec)))        hinge
 *   generator:      L_G = -mean D(x_rec)
 *   total:          L   = L_rec + L_vq + lambda L_G,
 *                   lambda = disc_weight * clamp(|grad_W L_rec| / (|grad_W L_G| + 1e-4), 0, 1e4), detached,
 * </pre>
 * W being the decoder's last layer (conv_out), so the adversarial gradient arriving there is as large as the
 * reconstruction's, whatever the scale of the logits.
 */
public final class AdversarialLoss {
    static final double EPS = 1e-4, MAX_WEIGHT = 1e4;

    private AdversarialLoss() {}

    /** Hinge loss of the discriminator; real and fake logits of any shape. Differentiable. */
    public static NDArray hinge(NDArray realLogits, NDArray fakeLogits) {
        NDArray r = Activation.relu(realLogits.neg().add(1f)).mean();
        NDArray f = Activation.relu(fakeLogits.add(1f)).mean();
        return Ops.scale(r.add(f), 0.5f);
    }

    /** The generator's loss -mean(logits of its reconstructions). Differentiable. */
    public static NDArray generator(NDArray fakeLogits) {
        return fakeLogits.mean().neg();
    }

    /** lambda from the two gradient norms at the last layer, times {@code discWeight}. */
    public static double adaptiveWeight(double recNorm, double genNorm, double discWeight) {
        return Math.min(Math.max(recNorm / (genNorm + EPS), 0), MAX_WEIGHT) * discWeight;
    }

    /**
     * The gradient of L_rec = mean|d| + mean d^2 (d = out - img) with respect to out: (sign(d) + 2d) / N,
     * N = d's element count; what autograd gives for the same loss (sign(0) = 0 as torch's abs). No graph.
     */
    public static NDArray reconstructionGradient(NDArray diff) {
        NDArray d = diff.stopGradient();
        return Ops.scale(d.sign().add(Ops.scale(d, 2f)), 1f / d.getShape().size());
    }

    /**
     * |grad_W L| for the last layer y = conv3x3(features, W) + b, given dL/dy: grad_W = sum over images and
     * positions of dL/dy (B, Cout, H*W) times im2col(features)^T (B, H*W, Cin*9), computed without autograd.
     *
     * @param features (B, Cin, H, W) the last layer's input
     * @param gradOut  (B, Cout, H, W) dL/dy
     */
    public static double lastLayerGradNorm(NDArray features, NDArray gradOut, int kernel) {
        NDArray f = features.stopGradient(), g = gradOut.stopGradient();
        long b = g.getShape().get(0), cout = g.getShape().get(1), hw = g.getShape().get(2) * g.getShape().get(3);
        NDArray cols = Ops.im2col(f, kernel, 1, kernel / 2);                                    // (B, Cin*k*k, H*W)
        NDArray grad = g.reshape(b, cout, hw).matMul(cols.transpose(0, 2, 1)).sum(new int[] {0}); // (Cout, Cin*k*k)
        return grad.norm().getFloat();
    }
}
