package org.nextscale.core.tokenizer;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.config.VqVaeConfig;
import org.nextscale.core.nn.Ops;
import org.nextscale.core.nn.Params;

/**
 * VAR's multi-scale VQ-VAE tokenizer (reference models/vqvae.py VQVAE):
 * <pre>
 *   encode:  img (B, C, H, W) in [-1, 1] -> f = quant_conv(encoder(img))      (B, Cvae, H/ds, W/ds)
 *   tokens:  f -> per scale (B, pn*pn) int64                                  (MultiScaleQuantizer)
 *   decode:  f_hat -> decoder(post_quant_conv(f_hat))                         (B, C, H, W), unclamped
 * </pre>
 * Weights are read from {@link Params} under the reference's state-dict names with the prefix "vae."
 * (e.g. "vae.encoder.conv_in.weight"); construction fails naming the first missing or misshapen weight.
 * Layers look weights up on every call, so a trainer may update them in place. Results belong to the
 * manager of the first array argument: call inside a sub-manager per step.
 */
public final class VqVae {
    private final ModelConfig cfg;
    private final Weights weights;
    private final Encoder encoder;
    private final Decoder decoder;
    private final MultiScaleQuantizer quantizer;
    private final Conv quantConv, postQuantConv;

    public VqVae(ModelConfig cfg, Params params) {
        this.cfg = cfg;
        VqVaeConfig c = cfg.vqvae();
        weights = new Weights(params);
        // built in the reference's state-dict order: encoder, decoder, quantize, quant_conv, post_quant_conv
        encoder = new Encoder(weights, c);
        decoder = new Decoder(weights, c);
        quantizer = new MultiScaleQuantizer(weights, c, cfg.patchNums());
        quantConv = Conv.same(weights, "vae.quant_conv", c.zChannels(), c.zChannels(), c.quantConvKs());
        postQuantConv = Conv.same(weights, "vae.post_quant_conv", c.zChannels(), c.zChannels(), c.quantConvKs());
    }

    public ModelConfig config() {
        return cfg;
    }

    public MultiScaleQuantizer quantizer() {
        return quantizer;
    }

    /** Names of every trainable tokenizer weight, in the reference's state-dict order (buffers excluded). */
    public List<String> parameterNames() {
        return weights.names();
    }

    /** img (B, C, H, W) in [-1, 1] -> f (B, Cvae, h, w) = quant_conv(encoder(img)). Differentiable. */
    public NDArray encode(NDArray img) {
        long ch = img.getShape().get(1);
        if (img.getShape().dimension() != 4 || ch != cfg.channels())
            throw new IllegalArgumentException("tokenizer expects images (B, " + cfg.channels() + ", H, W), got "
                    + img.getShape() + (ch != cfg.channels() ? ": this model works on " + cfg.channels() + "-channel images" : ""));
        return quantConv.forward(encoder.forward(img));
    }

    /** fhat (B, Cvae, h, w) -> (B, C, H, W) unclamped = decoder(post_quant_conv(fhat)). Differentiable. */
    public NDArray decode(NDArray fhat) {
        return Ops.then(postQuantConv.forward(fhat), decoder::forward);
    }

    /** img (B, C, H, W) -> per scale (B, pn*pn) int64 tokens (reference img_to_idxBl). */
    public List<NDArray> imgToIdx(NDArray img) {
        return quantizer.fToIdx(encode(img));
    }

    /** Per scale (B, pn*pn) tokens -> image (B, C, H, W) clamped to [-1, 1] (reference idxBl_to_img, last one). */
    public NDArray idxToImg(List<NDArray> idx) {
        return fhatToImg(quantizer.idxToFhat(idx));
    }

    /** fhat (B, Cvae, h, w) -> image (B, C, H, W) clamped to [-1, 1] (reference fhat_to_img). */
    public NDArray fhatToImg(NDArray fhat) {
        return Ops.then(decode(fhat), t -> t.clip(-1f, 1f));
    }

    /**
     * The training pass (reference VQVAE.forward): encode, quantize with the straight-through estimator,
     * decode. Returns the unclamped reconstruction, the quantizer loss and per-scale code hits; the caller
     * adds its reconstruction loss. Differentiable in every tokenizer weight.
     */
    public TrainOutput forwardTrain(NDArray img) {
        QuantOutput q = quantizer.forwardTrain(encode(img));
        NDArray features = decoder.trunk(postQuantConv.forward(q.fhat()));
        return new TrainOutput(decoder.head(features), q.vqLoss(), q.hits(), features);
    }

    /** The decoder's last layer (conv_out) weight, where an adversarial loss's adaptive weight is taken. */
    public static final String LAST_LAYER = "vae.decoder.conv_out.weight";

    /** Whether a weight belongs to the encoder side (encoder and quant_conv), which alone maps pixels to features. */
    public static boolean isEncoderWeight(String name) {
        return name.startsWith("vae.encoder.") || name.startsWith("vae.quant_conv.");
    }

    /** Whether a tokenizer weight belongs to the decoder side (post_quant_conv and decoder), which alone maps tokens to pixels. */
    public static boolean isDecoderWeight(String name) {
        return name.startsWith("vae.decoder.") || name.startsWith("vae.post_quant_conv.");
    }
}
