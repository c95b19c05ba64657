package org.nextscale.core.transformer;

import java.util.List;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.config.VarConfig;
import org.nextscale.core.config.VqVaeConfig;

/**
 * Model FLOPs counted analytically (a multiply-add is 2 FLOPs), the way model-FLOP utilization is
 * usually defined: only the work the model needs, not what an implementation happens to compute.
 * Counted: linear layers, attention over the keys each query may see (block-causal in teacher forcing,
 * the cached prefix when sampling), convolutions, the quantizer's codebook-distance product. Not
 * counted: norms, activations, softmax, embedding lookups, resizes, the optimizer.
 *
 * <p>Backward passes count twice the forward (gradient of the input and of the weight) except where the
 * input needs no gradient (the first layer, fed by data): there only the weight gradient, once.
 */
public final class Flops {
    private Flops() {}

    // ---------------------------------------------------------------- transformer

    /** Linear layers and attention pairs of one teacher-forced forward pass per sample. */
    record VarCounts(double linear, double attention, double wordEmbed) {
        double forward() {
            return linear + attention + wordEmbed;
        }
    }

    static VarCounts varForward(VarConfig v, TokenLayout layout, int vocab, int cvae) {
        double c = v.embedDim(), f = v.mlpHidden(), l = layout.length();
        double perToken = 2 * c * 3 * c + 2 * c * c + 2 * c * f + 2 * f * c;    // qkv, proj, fc1, fc2
        double condition = v.depth() * 2 * c * 6 * c + 2 * c * 2 * c;            // ada_lin per block + head_nm
        if (v.sharedAln()) condition = 2 * c * 6 * c + 2 * c * 2 * c;
        double linear = v.depth() * l * perToken + l * 2 * c * vocab + condition; // blocks, head, AdaLN
        double attention = v.depth() * visiblePairs(layout) * 4 * c;            // q.k and att.v: 2*C each per pair
        double wordEmbed = (l - layout.firstLength()) * 2.0 * cvae * c;
        return new VarCounts(linear, attention, wordEmbed);
    }

    /** Query-key pairs a block-causal mask allows (= the keys a cached step attends to, summed over steps). */
    static double visiblePairs(TokenLayout layout) {
        double pairs = 0, seen = 0;
        for (int size : layout.blockSizes()) {
            seen += size;
            pairs += size * seen;
        }
        return pairs;
    }

    /** One teacher-forced VAR training step for {@code batch} samples: forward, backward (no optimizer). */
    public static double varTrainStep(ModelConfig cfg, int batch) {
        VarCounts f = varForward(cfg.var(), TokenLayout.of(cfg), cfg.vqvae().vocabSize(), cfg.vqvae().zChannels());
        double backward = 2 * (f.linear() + f.attention()) + f.wordEmbed();   // word_embed's input is data
        return batch * (f.forward() + backward + varInput(cfg));
    }

    /** Teacher-forced forward of the transformer alone, per sample. */
    public static double varForward(ModelConfig cfg) {
        return varForward(cfg.var(), TokenLayout.of(cfg), cfg.vqvae().vocabSize(), cfg.vqvae().zChannels()).forward();
    }

    /** Teacher-forcing input from tokens (phi convolutions after each scale but the last), per sample. */
    static double varInput(ModelConfig cfg) {
        return (cfg.numScales() - 1) * phiConv(cfg);
    }

    /**
     * Sampling {@code batch} images with classifier-free guidance (the transformer runs on 2 x batch rows;
     * word_embed once per image, its result is shared by both halves), the quantizer's phi convolution per
     * scale and the decoder.
     */
    public static double sample(ModelConfig cfg, int batch) {
        VarCounts f = varForward(cfg.var(), TokenLayout.of(cfg), cfg.vqvae().vocabSize(), cfg.vqvae().zChannels());
        double transformer = 2 * (f.linear() + f.attention()) + f.wordEmbed();
        return batch * (transformer + cfg.numScales() * phiConv(cfg) + decoder(cfg));
    }

    // ---------------------------------------------------------------- tokenizer

    /** Tokenizing {@code batch} images: encoder, quant_conv, codebook distances and phi per scale. */
    public static double tokenize(ModelConfig cfg, int batch) {
        return batch * (encoder(cfg) + quantizer(cfg));
    }

    /** One VQ-VAE training step (forward and backward of encoder, quantizer and decoder). */
    public static double vqvaeTrainStep(ModelConfig cfg, int batch) {
        double convIn = conv(cfg.channels(), cfg.vqvae().ch(), 3, cfg.imageSize());
        double distances = distances(cfg);
        double withGrad = encoder(cfg) + quantizer(cfg) - distances + decoder(cfg);
        return batch * (withGrad + distances + 2 * withGrad - convIn);        // conv_in's input is data
    }

    /** Encoder + quant_conv per image. */
    static double encoder(ModelConfig cfg) {
        VqVaeConfig v = cfg.vqvae();
        List<Integer> mult = v.chMult();
        int levels = mult.size(), side = cfg.imageSize();
        double f = conv(v.inChannels(), v.ch(), 3, side);
        int in = v.ch();
        for (int i = 0; i < levels; i++) {
            int out = v.ch() * mult.get(i);
            for (int j = 0; j < v.numResBlocks(); j++) {
                f += resBlock(in, out, side);
                in = out;
                if (i == levels - 1 && v.usingSa()) f += attnBlock(in, side);
            }
            if (i != levels - 1) {
                side /= 2;
                f += conv(in, in, 3, side);                                      // stride-2 downsample
            }
        }
        f += 2 * resBlock(in, in, side) + (v.usingMidSa() ? attnBlock(in, side) : 0);
        f += conv(in, v.zChannels(), 3, side);                                   // conv_out
        return f + conv(v.zChannels(), v.zChannels(), v.quantConvKs(), side);    // quant_conv
    }

    /** post_quant_conv + decoder per image. */
    public static double decoder(ModelConfig cfg) {
        VqVaeConfig v = cfg.vqvae();
        List<Integer> mult = v.chMult();
        int levels = mult.size(), side = cfg.imageSize() / v.downsample();
        int in = v.ch() * mult.get(levels - 1);
        double f = conv(v.zChannels(), v.zChannels(), v.quantConvKs(), side) + conv(v.zChannels(), in, 3, side);
        f += 2 * resBlock(in, in, side) + (v.usingMidSa() ? attnBlock(in, side) : 0);
        for (int i = levels - 1; i >= 0; i--) {
            int out = v.ch() * mult.get(i);
            for (int j = 0; j < v.numResBlocks() + 1; j++) {
                f += resBlock(in, out, side);
                in = out;
                if (i == levels - 1 && v.usingSa()) f += attnBlock(in, side);
            }
            if (i != 0) {
                side *= 2;
                f += conv(in, in, 3, side);                                      // upsample conv after nearest x2
            }
        }
        return f + conv(in, v.inChannels(), 3, side);                            // conv_out
    }

    /** Quantizer per image: codebook distances at every scale, phi at full token-map size per scale. */
    static double quantizer(ModelConfig cfg) {
        return distances(cfg) + cfg.numScales() * phiConv(cfg);
    }

    static double distances(ModelConfig cfg) {
        double d = 0;
        for (int pn : cfg.patchNums()) d += (double) pn * pn * 2 * cfg.vqvae().zChannels() * cfg.vqvae().vocabSize();
        return d;
    }

    static double phiConv(ModelConfig cfg) {
        VqVaeConfig v = cfg.vqvae();
        if (Math.abs(v.quantResi()) <= 1e-6) return 0;
        return conv(v.zChannels(), v.zChannels(), 3, cfg.patchNums().get(cfg.numScales() - 1));
    }

    private static double resBlock(int in, int out, int side) {
        return conv(in, out, 3, side) + conv(out, out, 3, side) + (in != out ? conv(in, out, 1, side) : 0);
    }

    /** qkv and proj_out 1x1 convolutions plus single-head attention over all side^2 positions. */
    private static double attnBlock(int c, int side) {
        double n = (double) side * side;
        return conv(c, 3 * c, 1, side) + conv(c, c, 1, side) + n * n * 4 * c;
    }

    /** A k x k convolution producing a side x side map. */
    static double conv(int in, int out, int k, int side) {
        return 2.0 * in * out * k * k * side * side;
    }
}
