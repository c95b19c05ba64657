package org.nextscale.core.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW as torch.optim.AdamW computes it (decoupled weight decay, bias-corrected moments), applied in
 * place to parameters whose gradients a GradientCollector has filled. Moments live in the parameters'
 * manager; the step's temporaries in the caller's step manager. Gradients are zeroed after each update.
 */
final class AdamW {
    private final List<NDArray> params;
    private final List<Boolean> decay;
    private final List<NDArray> m = new ArrayList<>(), v = new ArrayList<>();
    private final double beta1, beta2, eps, weightDecay;
    private long t;

    /** {@code decay.get(i)} says whether parameter i gets weight decay (weights yes, biases no). */
    AdamW(List<NDArray> params, List<Boolean> decay, double beta1, double beta2, double eps, double weightDecay) {
        this.params = params;
        this.decay = decay;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        for (NDArray p : params) {
            m.add(p.zerosLike());
            v.add(p.zerosLike());
        }
    }

    /** One update with learning rate {@code lr}; call with grad mode off (after the collector is closed). */
    void step(double lr, NDManager stepManager) {
        t++;
        double bc1 = 1 - Math.pow(beta1, t), bc2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < params.size(); i++) {
            NDArray p = params.get(i), mi = m.get(i), vi = v.get(i);
            NDArray g = p.getGradient();
            g.attach(stepManager); // the wrapper (not the gradient storage) is closed with the step
            mi.muli(beta1).addi(g.mul(1 - beta1));
            vi.muli(beta2).addi(g.square().muli(1 - beta2));
            NDArray vHat = vi.div(bc2);
            vHat.attach(stepManager);
            NDArray denom = vHat.sqrt().addi(eps);
            NDArray update = mi.div(denom);
            update.attach(stepManager);
            update.muli(lr / bc1);
            if (decay.get(i)) p.muli(1 - lr * weightDecay);
            p.subi(update);
            g.subi(g); // zero the accumulated gradient in place
        }
    }
}
