package org.nextscale.core.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * Tokens of the raster baseline: the encoder's feature map quantized at the last scale's resolution in one
 * go (nearest codebook entry per position, first index on ties), decoded as decoder(phi_last(e[idx])). For a
 * single-scale tokenizer (patch_nums = one number) these are exactly the tokenizer's own tokens; with a
 * multi-scale tokenizer they are its codebook used as a plain VQ-VAE. Sampling the baseline is
 * {@link org.nextscale.core.transformer.RasterSampler}; its tokens decode with {@link #decode}.
 */
public final class RasterCodes {
    private RasterCodes() {}

    /** f (B, Cvae, n, n) -> (B, n*n) int64. */
    public static NDArray quantize(VqVae vae, NDArray f) {
        MultiScaleQuantizer q = vae.quantizer();
        int cvae = q.cvae();
        long b = f.getShape().get(0);
        NDManager m = f.getManager();
        NDArray rows = q.embed(m.arange(q.vocabSize()).toType(ai.djl.ndarray.types.DataType.INT64, false)); // (V, Cvae)
        NDArray z = f.transpose(0, 2, 3, 1).reshape(-1, cvae);                                   // (N, Cvae) row-major
        NDArray d = z.square().sum(new int[] {1}, true).add(rows.square().sum(new int[] {1})).sub(z.matMul(rows.transpose()).mul(2f));
        return d.argMin(1).reshape(b, -1);
    }

    /** tokens (B, n*n) -> image (B, C, H, W) in [-1, 1]. */
    public static NDArray decode(VqVae vae, NDArray tokens) {
        MultiScaleQuantizer q = vae.quantizer();
        List<Integer> pns = q.patchNums();
        int last = pns.size() - 1, side = pns.get(last), cvae = q.cvae();
        long b = tokens.getShape().get(0);
        NDArray h = q.embed(tokens).transpose(0, 2, 1).reshape(b, cvae, side, side);             // (B, Cvae, n, n)
        NDArray fhat = q.nextInput(last, tokens.getManager().zeros(h.getShape()), h)[0];
        return vae.fhatToImg(fhat);
    }
}
