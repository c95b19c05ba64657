package org.nextscale.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.nn.Params;

/**
 * AdamW with decoupled weight decay and global gradient-norm clipping, as torch.optim.AdamW plus
 * clip_grad_norm_. Weight decay skips what the reference's filter_params skips: 1-D tensors (biases,
 * norm gains), names ending in "bias", and the position / level / start embeddings and attention scales.
 * One fused engine call per tensor: m = b1 m + (1-b1) g, v = b2 v + (1-b2) g^2,
 * w = w (1 - lr wd) - lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps).
 */
public final class AdamW {
    /** Substrings of weight names that never decay (reference train.py, filter_params nowd_keys). */
    static final List<String> NO_DECAY_KEYS = List.of("cls_token", "start_token", "task_token", "cfg_uncond", "pos_embed",
            "pos_1LC", "pos_start", "start_pos", "lvl_embed", "gamma", "beta", "ada_gss", "moe_bias", "scale_mul");

    private final NDManager manager;
    private final List<String> names = new ArrayList<>();
    private final List<NDArray> weights = new ArrayList<>();
    private final List<NDArray> means = new ArrayList<>();
    private final List<NDArray> variances = new ArrayList<>();
    private final List<Boolean> decays = new ArrayList<>();
    private final double beta1, beta2, eps;
    private long step;

    /** Optimises the floating tensors of {@code params} whose names are in {@code trainable}. */
    public AdamW(Params params, Set<String> trainable, double beta1, double beta2, double eps) {
        this.manager = params.manager();
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        for (String n : params.names()) {
            if (!trainable.contains(n)) continue;
            NDArray w = params.get(n);
            w.setRequiresGradient(true);
            names.add(n);
            weights.add(w);
            means.add(manager.zeros(w.getShape(), w.getDataType(), w.getDevice()));
            variances.add(manager.zeros(w.getShape(), w.getDataType(), w.getDevice()));
            decays.add(decays(n, w.getShape().dimension()));
        }
    }

    public static boolean decays(String name, int ndim) {
        if (ndim <= 1 || name.endsWith("bias")) return false;
        for (String k : NO_DECAY_KEYS) if (name.contains(k)) return false;
        return true;
    }

    public List<String> names() {
        return names;
    }

    public long step() {
        return step;
    }

    /** Global L2 norm of all gradients (one engine-to-host transfer). */
    public double gradientNorm() {
        try (NDManager scope = manager.newSubManager()) {
            return gradientNorm(scope).getFloat();
        }
    }

    /** Global L2 norm of all gradients as a scalar on the engine, owned by {@code into}: read it with what else the step reads. */
    public NDArray gradientNorm(NDManager into) {
        NDList norms = new NDList();
        for (NDArray w : weights) {
            try (NDArray g = w.getGradient()) {
                NDArray n = g.norm();
                n.attach(into);
                norms.add(n);
            }
        }
        return NDArrays.stack(norms).norm();
    }

    /**
     * One update with the current gradients, clipped to a global norm of {@code clip} (0: no clipping;
     * {@code norm} from {@link #gradientNorm}), then zeroes the gradients. Call outside any GradientCollector.
     */
    public void update(double lr, double weightDecay, double clip, double norm) {
        step++;
        float rescale = clip > 0 && norm > clip ? (float) (clip / (norm + 1e-6)) : 1f;
        double bc1 = 1 - Math.pow(beta1, step), bc2 = 1 - Math.pow(beta2, step);
        float lrCorrected = (float) (lr * Math.sqrt(bc2) / bc1);
        float epsCorrected = (float) (eps * Math.sqrt(bc2));
        for (int i = 0; i < weights.size(); i++) {
            float wd = decays.get(i) ? (float) weightDecay : 0f;
            try (NDArray g = weights.get(i).getGradient()) {
                JniUtils.adamUpdate((PtNDArray) weights.get(i), (PtNDArray) g, (PtNDArray) means.get(i),
                        (PtNDArray) variances.get(i), (float) lr, lrCorrected, wd, rescale, -1f, (float) beta1, (float) beta2,
                        epsCorrected, true);
            }
            JniUtils.zeroGrad((PtNDArray) weights.get(i));
        }
    }

    /** Drops any accumulated gradient (e.g. after a step that was abandoned). */
    public void zeroGradients() {
        for (NDArray w : weights) JniUtils.zeroGrad((PtNDArray) w);
    }

    /** Moments keyed "m.NAME" / "v.NAME", for checkpoints. */
    public Map<String, HostTensor> state() {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            out.put("m." + names.get(i), HostTensor.fromNDArray(means.get(i)));
            out.put("v." + names.get(i), HostTensor.fromNDArray(variances.get(i)));
        }
        return out;
    }

    public void load(Map<String, HostTensor> state, long stepsDone) {
        for (int i = 0; i < names.size(); i++) {
            HostTensor m = state.get("m." + names.get(i)), v = state.get("v." + names.get(i));
            if (m == null || v == null) throw new IllegalArgumentException("checkpoint has no optimizer state for " + names.get(i));
            means.get(i).set(m.toFloats());
            variances.get(i).set(v.toFloats());
        }
        step = stepsDone;
    }
}
