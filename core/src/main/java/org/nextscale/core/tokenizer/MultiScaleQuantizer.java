package org.nextscale.core.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import java.util.ArrayList;
import java.util.List;
import org.nextscale.core.config.VqVaeConfig;
import org.nextscale.core.nn.Ops;
import org.nextscale.core.nn.Params;

/**
 * VAR's multi-scale residual quantizer (reference models/quant.py VectorQuantizer2, using_znorm=False).
 * With f (B, Cvae, H, W), H = W = the last patch number, and scales pn_0 < ... < pn_{S-1} = H:
 * <pre>
 *   rest = f, f_hat = 0
 *   for each scale si:
 *     z    = area(rest, pn)            (the last scale uses rest as is)
 *     idx  = argmin_v |z|^2 + |e_v|^2 - 2 z.e_v   (first index on ties)
 *     h    = phi_si(bicubic(e[idx], H)) (the last scale: phi_si(e[idx]))
 *     f_hat += h;  rest -= h
 * </pre>
 * The codebook is "vae.quantize.embedding.weight" (vocab, Cvae); phi is described in {@link Phi}.
 * Every result belongs to the manager of the first array argument.
 */
public final class MultiScaleQuantizer {
    private final Weights w;
    private final String codebook;
    private final List<Integer> patchNums;
    private final int vocabSize, cvae;
    private final float beta;
    private final Phi phi;

    /** Stand-alone quantizer reading "vae.quantize.*" from params. */
    public MultiScaleQuantizer(VqVaeConfig cfg, List<Integer> patchNums, Params params) {
        this(new Weights(params), cfg, patchNums);
    }

    MultiScaleQuantizer(Weights w, VqVaeConfig cfg, List<Integer> patchNums) {
        if (patchNums.isEmpty()) throw new IllegalArgumentException("tokenizer: patch_nums is empty");
        this.w = w;
        this.patchNums = List.copyOf(patchNums);
        this.vocabSize = cfg.vocabSize();
        this.cvae = cfg.zChannels();
        this.beta = (float) cfg.beta();
        this.codebook = w.require("vae.quantize.embedding.weight", vocabSize, cvae);
        this.phi = new Phi(w, cfg, patchNums.size());
    }

    public List<Integer> patchNums() {
        return patchNums;
    }

    public int numScales() {
        return patchNums.size();
    }

    public int vocabSize() {
        return vocabSize;
    }

    /** Codebook vector length Cvae (= z_channels). */
    public int cvae() {
        return cvae;
    }

    /** Which phi convolution scale si uses (the reference's tick rule). */
    public int phiIndex(int si) {
        return phi.index(si);
    }

    /** f (B, Cvae, H, W) -> per scale (B, pn*pn) int64 tokens (reference f_to_idxBl_or_fhat, no gradient). */
    public List<NDArray> fToIdx(NDArray f) {
        int side = checkFeatures(f);
        NDArray rest = f.stopGradient();                                           // (B, Cvae, H, W)
        List<NDArray> out = new ArrayList<>();
        for (int si = 0; si < numScales(); si++) {
            int pn = patchNums.get(si);
            NDArray idx = nearest(si != last() ? Resize.area(rest, pn, pn) : rest); // (B, pn*pn)
            NDArray h = upsampledPhi(si, embedMap(idx, pn), side);                 // (B, Cvae, H, W)
            rest = rest.sub(h.stopGradient());
            out.add(idx);
        }
        return out;
    }

    /** Per scale (B, pn*pn) tokens -> f_hat (B, Cvae, H, W) (reference embed_to_fhat, all to max scale, last one). */
    public NDArray idxToFhat(List<NDArray> idx) {
        List<NDArray> all = idxToFhats(idx);
        return all.get(all.size() - 1);
    }

    /**
     * Per scale (B, pn*pn) tokens -> the accumulated f_hat (B, Cvae, H, W) after scales 1..k, for every k
     * (reference idxBl_to_fhat with last_one=False); the last is {@link #idxToFhat}.
     */
    public List<NDArray> idxToFhats(List<NDArray> idx) {
        checkTokens(idx, numScales());
        int side = patchNums.get(last());
        NDArray fhat = null;
        List<NDArray> out = new java.util.ArrayList<>();
        for (int si = 0; si < numScales(); si++) {
            NDArray h = upsampledPhi(si, embedMap(idx.get(si), patchNums.get(si)), side);
            fhat = fhat == null ? h : fhat.add(h);                                 // 0 + h == h exactly
            out.add(fhat);
        }
        return out;
    }

    /**
     * Teacher-forcing input of the transformer (reference idxBl_to_var_input): after each scale but the
     * last, f_hat so far area-resized to the next scale, flattened row-major. Per scale (B, pn*pn) tokens
     * -> (B, L - pn_0^2, Cvae) with L = sum pn^2.
     */
    public NDArray idxToVarInput(List<NDArray> idx) {
        checkTokens(idx, numScales() - 1);
        NDArray first = idx.get(0);
        long b = first.getShape().get(0);
        int side = patchNums.get(last());
        if (numScales() == 1) return first.getManager().zeros(new Shape(b, 0, cvae));
        NDArray fhat = null;
        NDList next = new NDList();
        for (int si = 0; si < last(); si++) {
            NDArray h = phi.apply(si, Resize.bicubic(embedMap(idx.get(si), patchNums.get(si)), side, side));
            fhat = fhat == null ? h : fhat.add(h);                                 // (B, Cvae, H, W)
            int pn = patchNums.get(si + 1);
            next.add(Resize.area(fhat, pn, pn).reshape(b, cvae, -1).transpose(0, 2, 1)); // (B, pn^2, Cvae)
        }
        return NDArrays.concat(next, 1);                                           // (B, L - pn_0^2, Cvae)
    }

    /** Codebook rows: idx (B, n) int64 -> (B, n, Cvae). Differentiable in the codebook. */
    public NDArray embed(NDArray idx) {
        return Embedding.embedding(idx, w.get(codebook), SparseFormat.DENSE).singletonOrThrow();
    }

    /**
     * One step of autoregressive decoding (reference get_next_autoregressive_input). fhat (B, Cvae, H, W),
     * hBChw (B, Cvae, pn_si, pn_si) the embedded tokens of scale si. Returns {new f_hat, input of the next
     * scale (B, Cvae, pn_{si+1}, pn_{si+1})}; at the last scale both are the new f_hat. fhat is not modified.
     */
    public NDArray[] nextInput(int si, NDArray fhat, NDArray hBChw) {
        if (si < 0 || si > last()) throw new IllegalArgumentException("scale " + si + " is not in 0.." + last());
        int side = patchNums.get(last());
        if (si != last()) {
            NDArray h = phi.apply(si, Resize.bicubic(hBChw, side, side));
            NDArray newFhat = fhat.add(h);
            int pn = patchNums.get(si + 1);
            return new NDArray[] {newFhat, Resize.area(newFhat, pn, pn)};
        }
        NDArray newFhat = fhat.add(phi.apply(si, hBChw));
        return new NDArray[] {newFhat, newFhat};
    }

    /**
     * The quantizer's training pass (reference VectorQuantizer2.forward). f (B, Cvae, H, W) with gradient.
     * f_hat is returned straight-through, (f_hat - f).detach + f; the loss trains the codebook and phi
     * through MSE(f_hat_k, f.detach) and the encoder through beta * MSE(f_hat_k.detach, f).
     */
    public QuantOutput forwardTrain(NDArray f) {
        int side = checkFeatures(f);
        NDArray fNoGrad = f.stopGradient();
        NDArray rest = fNoGrad;                                                    // (B, Cvae, H, W)
        NDArray fhat = null;
        NDArray loss = null;
        List<NDArray> tokens = new ArrayList<>();
        NDList hits = new NDList();
        for (int si = 0; si < numScales(); si++) {
            int pn = patchNums.get(si);
            NDArray idx = nearest(si != last() ? Resize.area(rest, pn, pn) : rest); // (B, pn*pn)
            NDArray h = upsampledPhi(si, embedMap(idx, pn), side);                 // (B, Cvae, H, W), grad to codebook, phi
            fhat = fhat == null ? h : fhat.add(h);
            rest = rest.sub(h.stopGradient());
            NDArray term = Ops.scale(mse(fhat.stopGradient(), f), beta).add(mse(fhat, fNoGrad));
            loss = loss == null ? term : loss.add(term);
            tokens.add(idx);
            hits.add(idx.flatten().oneHot(vocabSize, DataType.FLOAT32).sum(new int[] {0})); // (vocab)
        }
        loss = Ops.scale(loss, (float) (1.0 / numScales()));
        NDArray straightThrough = fhat.stopGradient().sub(fNoGrad).add(f);
        return new QuantOutput(straightThrough, loss, tokens, NDArrays.stack(hits));
    }

    // ---- pieces ----

    /** z (B, Cvae, pn, pn) -> (B, pn*pn) int64 index of the nearest codebook row (Euclidean, first on ties). */
    private NDArray nearest(NDArray z) {
        long b = z.getShape().get(0), pn2 = z.getShape().get(2) * z.getShape().get(3);
        NDManager m = z.getManager();
        NDArray e = w.local(codebook, m).stopGradient();                          // (V, Cvae)
        NDArray zNC = z.transpose(0, 2, 3, 1).reshape(-1, cvae);                  // (N, Cvae), N = B*pn*pn row-major
        NDArray d = zNC.square().sum(new int[] {1}, true).add(e.square().sum(new int[] {1})); // (N, V)
        d = d.sub(Ops.scale(zNC.matMul(e.transpose()), 2f));
        return d.argMin(1).reshape(b, pn2);
    }

    /** idx (B, pn*pn) -> embedded map (B, Cvae, pn, pn). */
    private NDArray embedMap(NDArray idx, int pn) {
        long b = idx.getShape().get(0);
        return embed(idx).transpose(0, 2, 1).reshape(b, cvae, pn, pn);
    }

    /** phi_si applied to the map bicubic-upsampled to side x side (not resized at the last scale). */
    private NDArray upsampledPhi(int si, NDArray map, int side) {
        return phi.apply(si, si != last() ? Resize.bicubic(map, side, side) : map);
    }

    private static NDArray mse(NDArray a, NDArray b) {
        return a.sub(b).square().mean();
    }

    private int last() {
        return numScales() - 1;
    }

    private int checkFeatures(NDArray f) {
        Shape s = f.getShape();
        int side = patchNums.get(last());
        if (s.dimension() != 4 || s.get(1) != cvae || s.get(2) != side || s.get(3) != side)
            throw new IllegalArgumentException("quantizer expects features (B, " + cvae + ", " + side + ", " + side
                    + ") but got " + s + ": images must have the model's size");
        return side;
    }

    private void checkTokens(List<NDArray> idx, int needed) {
        if (idx.size() < needed)
            throw new IllegalArgumentException("expected tokens for " + needed + " scales, got " + idx.size());
        for (int si = 0; si < Math.min(idx.size(), numScales()); si++) {
            long n = idx.get(si).getShape().get(1), pn = patchNums.get(si);
            if (n != pn * pn)
                throw new IllegalArgumentException("scale " + si + " has " + n + " tokens, expected " + pn + "x" + pn);
        }
    }
}
