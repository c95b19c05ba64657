package org.nextscale.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.TrainListener;
import org.nextscale.core.data.LabeledImages;
import org.nextscale.core.data.TrainingData;
import org.nextscale.core.nn.NoGrad;
import org.nextscale.core.tokenizer.RasterCodes;
import org.nextscale.core.tokenizer.VqVae;

/**
 * The whole data set tokenized once with the frozen tokenizer, kept on the host: per image the tokens of
 * every scale in sequence order (L = sum pn^2), or for the raster baseline the last scale's map quantized
 * directly (N = side^2). With flips on, the mirrored images are tokenized too. Batches are then gathered
 * on the loader thread with no engine work.
 */
final class TokenTable {
    private static final int CHUNK = 256;
    private final int[] scaleSizes;
    private final int length;
    private final short[][] plain;
    private final short[][] flipped;

    private TokenTable(int[] scaleSizes, short[][] plain, short[][] flipped) {
        this.scaleSizes = scaleSizes;
        int l = 0;
        for (int s : scaleSizes) l += s;
        this.length = l;
        this.plain = plain;
        this.flipped = flipped;
    }

    /** A table read from a token file ({@link TokenFile}): no flipped copies. */
    static TokenTable of(List<Integer> patchNums, short[][] tokens) {
        return new TokenTable(patchNums.stream().mapToInt(p -> p * p).toArray(), tokens, null);
    }

    int length() {
        return length;
    }

    static TokenTable build(VqVae vae, LabeledImages data, boolean raster, boolean flip, int batch, NDManager manager,
                            TrainListener listener, CancelToken cancel) {
        List<Integer> pns = vae.config().patchNums();
        int last = pns.get(pns.size() - 1);
        int[] sizes = raster ? new int[] {last * last} : pns.stream().mapToInt(p -> p * p).toArray();
        long t0 = System.nanoTime();
        short[][] plain = tokenize(vae, data, raster, false, manager, cancel);
        short[][] flipped = flip ? tokenize(vae, data, raster, true, manager, cancel) : null;
        listener.onMessage(String.format(Locale.ROOT, "tokenized %d images%s in %.1f s", data.size(), flip ? " (and their mirror images)" : "",
                (System.nanoTime() - t0) / 1e9));
        return new TokenTable(sizes, plain, flipped);
    }

    private static short[][] tokenize(VqVae vae, LabeledImages data, boolean raster, boolean flip, NDManager manager, CancelToken cancel) {
        int n = data.size();
        short[][] out = new short[n][];
        for (int from = 0; from < n; from += CHUNK) {
            if (cancel != null) cancel.check();
            int to = Math.min(n, from + CHUNK);
            int[] idx = new int[to - from];
            boolean[] flips = new boolean[idx.length];
            for (int i = 0; i < idx.length; i++) { idx[i] = from + i; flips[i] = flip; }
            long[] flat = tokens(vae, manager, TrainingData.pixels(data, idx, flips), idx.length, raster);   // (n, L)
            int l = flat.length / idx.length;
            for (int i = 0; i < idx.length; i++) {
                short[] t = new short[l];
                for (int j = 0; j < l; j++) t[j] = (short) flat[i * l + j];
                out[from + i] = t;
            }
        }
        return out;
    }

    /**
     * Tokens of {@code count} images (B, C, H, W) in [-1, 1], without gradients, in parts of {@link #CHUNK}: (count * L)
     * int64 in sequence order (raster: the last scale's map quantized directly).
     */
    static long[] tokens(VqVae vae, NDManager manager, float[] pixels, int count, boolean raster) {
        int c = vae.config().channels(), size = vae.config().imageSize(), n = c * size * size;
        long[] out = null;
        int len = 0;
        try (NoGrad off = new NoGrad()) {
            for (int from = 0; from < count; from += CHUNK) {
                int b = Math.min(CHUNK, count - from);
                try (NDManager m = manager.newSubManager()) {
                    NDArray img = m.create(java.util.Arrays.copyOfRange(pixels, from * n, (from + b) * n), new Shape(b, c, size, size));  // (b, C, H, W)
                    NDArray tokens = raster ? RasterCodes.quantize(vae, vae.encode(img)) : NDArrays.concat(new NDList(vae.imgToIdx(img)), 1); // (b, L)
                    long[] flat = tokens.toLongArray();
                    if (out == null) { len = flat.length / b; out = new long[count * len]; }
                    System.arraycopy(flat, 0, out, from * len, flat.length);
                }
            }
        }
        return out == null ? new long[0] : out;
    }

    /** Tokens of the batch's images (B * L, int64), the mirrored version where flipped. */
    long[] gather(int[] idx, boolean[] flips) {
        long[] out = new long[idx.length * length];
        for (int i = 0; i < idx.length; i++) {
            short[] t = flips[i] && flipped != null ? flipped[idx[i]] : plain[idx[i]];
            for (int j = 0; j < length; j++) out[i * length + j] = t[j] & 0xffff;
        }
        return out;
    }

    /** (B, L) -> per scale (B, pn^2). */
    List<NDArray> split(NDArray tokens) {
        List<NDArray> out = new ArrayList<>();
        int b = 0;
        for (int s : scaleSizes) {
            out.add(tokens.get(":, " + b + ":" + (b + s)));
            b += s;
        }
        return out;
    }
}
