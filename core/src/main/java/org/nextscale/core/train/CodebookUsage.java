package org.nextscale.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nextscale.core.data.SeededRandom;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.nn.Params;
import org.nextscale.core.tokenizer.MultiScaleQuantizer;
import org.nextscale.core.tokenizer.Resize;
import org.nextscale.core.tokenizer.VqVae;

/**
 * Codebook hits per scale over a window of tokenizer steps, and the re-drawing of entries: unused entries
 * (or, at the start, all of them) are replaced by quantizer inputs of the current batch, i.e. the residual
 * pooled to some scale, which is exactly what an entry must be close to in order to be chosen.
 */
final class CodebookUsage {
    private static final long REDRAW_STREAM = 0xC0DEL;
    private final long[][] hits;

    CodebookUsage(int scales, int vocab) {
        hits = new long[scales][vocab];
    }

    void add(int[][] counts) {
        for (int s = 0; s < hits.length; s++) for (int v = 0; v < hits[s].length; v++) hits[s][v] += counts[s][v];
    }

    void reset() {
        for (long[] h : hits) java.util.Arrays.fill(h, 0);
    }

    /** "s0 2/512 s1 9/512 ...": entries used at least once in the window, per scale, and over all scales. */
    String describe() {
        StringBuilder b = new StringBuilder();
        boolean[] dead = dead();
        for (int s = 0; s < hits.length; s++) {
            int used = 0;
            for (long h : hits[s]) if (h > 0) used++;
            b.append(String.format(Locale.ROOT, "s%d %d, ", s, used));
        }
        b.append(String.format(Locale.ROOT, "all scales %d/%d", hits[0].length - count(dead), hits[0].length));
        return b.toString();
    }

    /** Entries no scale used in the window. */
    boolean[] dead() {
        boolean[] d = new boolean[hits[0].length];
        for (int v = 0; v < d.length; v++) {
            long sum = 0;
            for (long[] h : hits) sum += h[v];
            d[v] = sum == 0;
        }
        return d;
    }

    static int count(boolean[] b) {
        int n = 0;
        for (boolean x : b) if (x) n++;
        return n;
    }

    Map<String, HostTensor> state() {
        long[] flat = new long[hits.length * hits[0].length];
        for (int s = 0; s < hits.length; s++) System.arraycopy(hits[s], 0, flat, s * hits[0].length, hits[0].length);
        return Map.of("trainer.codebook_hits", HostTensor.ofLongs(flat, hits.length, hits[0].length));
    }

    void load(Map<String, HostTensor> state) {
        HostTensor t = state.get("trainer.codebook_hits");
        if (t == null) return;
        long[] flat = t.toLongs();
        for (int s = 0; s < hits.length; s++) System.arraycopy(flat, s * hits[0].length, hits[s], 0, hits[0].length);
    }

    /**
     * Replaces the codebook rows marked in {@code dead} (all rows when null) by quantizer inputs of the batch
     * {@code img} (B, C, H, W), chosen at random from every scale's pooled residual. Runs without gradient.
     */
    static void redraw(VqVae vae, Params params, NDArray img, boolean[] dead, long seed, long step) {
        MultiScaleQuantizer q = vae.quantizer();
        int cvae = q.cvae();
        NDArray codebook = params.get("vae.quantize.embedding.weight");
        float[] rows = org.nextscale.core.io.HostTensor.fromNDArray(codebook).toFloats();   // (V, Cvae); no host copy left in the weights' manager
        float[] candidates;
        try (NDManager m = img.getManager().newSubManager()) {
            NDArray x = img.duplicate();
            x.attach(m);
            NDArray f = vae.encode(x).stopGradient();                                 // (B, Cvae, H, W)
            List<NDArray> idx = q.fToIdx(f);
            List<Integer> pns = q.patchNums();
            int last = pns.size() - 1;
            long b = f.getShape().get(0);
            NDArray fhat = m.zeros(f.getShape());
            NDList zs = new NDList();
            for (int si = 0; si <= last; si++) {
                int pn = pns.get(si);
                NDArray z = si == last ? f.sub(fhat) : Resize.area(f, pn, pn).sub(Resize.area(fhat, pn, pn)); // (B, Cvae, pn, pn)
                zs.add(z.transpose(0, 2, 3, 1).reshape(-1, cvae));                    // (B*pn*pn, Cvae)
                NDArray h = q.embed(idx.get(si)).transpose(0, 2, 1).reshape(b, cvae, pn, pn);
                fhat = q.nextInput(si, fhat, h)[0];
            }
            candidates = org.nextscale.core.io.HostTensor.fromNDArray(NDArrays.concat(zs, 0)).toFloats();  // (N, Cvae)
        }
        int n = candidates.length / cvae, vocab = rows.length / cvae;
        SeededRandom r = SeededRandom.of(seed, REDRAW_STREAM, step);
        for (int v = 0; v < vocab; v++) {
            if (dead != null && !dead[v]) continue;
            int pick = r.nextInt(n);
            System.arraycopy(candidates, pick * cvae, rows, v * cvae, cvae);
        }
        codebook.set(rows);
    }
}
