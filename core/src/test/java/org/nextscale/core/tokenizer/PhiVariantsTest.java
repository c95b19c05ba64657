package org.nextscale.core.tokenizer;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nextscale.core.TestPaths;
import org.nextscale.core.config.ConfigJson;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.config.VqVaeConfig;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.io.SafeTensors;
import org.nextscale.core.nn.Params;

/**
 * The phi variants the parity vectors do not cover (fully shared, identity) and the key layout of all
 * three sharing modes: with one convolution copied into every slot, every mode must give the same tokens
 * and f_hat; with quant_resi = 0, f_hat is the plain sum of the upsampled codebook maps.
 */
class PhiVariantsTest {
    private static final String P = "vae.quantize.quant_resi.";

    @Test
    void allSharingModesAgreeWhenTheirConvolutionsAreEqual() throws IOException {
        Path dir = TestPaths.parity("tiny-a");
        ModelConfig cfg = ConfigJson.parse(Files.readString(dir.resolve("config.json")));
        Map<String, HostTensor> base = SafeTensors.read(dir.resolve("weights.safetensors"));
        HostTensor w = base.get(P + "qresi_ls.2.weight"), b = base.get(P + "qresi_ls.2.bias");
        int scales = cfg.numScales();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray img = SafeTensors.read(dir.resolve("cases.safetensors")).get("img").toNDArray(m);

            Map<String, HostTensor> partial = withoutPhi(base);          // share_quant_resi = 4 (qresi_ls.0..3)
            for (int k = 0; k < 4; k++) { partial.put(P + "qresi_ls." + k + ".weight", w); partial.put(P + "qresi_ls." + k + ".bias", b); }
            Map<String, HostTensor> shared = withoutPhi(base);           // share_quant_resi = 1 (qresi)
            shared.put(P + "qresi.weight", w);
            shared.put(P + "qresi.bias", b);
            Map<String, HostTensor> perScale = withoutPhi(base);         // share_quant_resi = 0 (one per scale)
            for (int k = 0; k < scales; k++) { perScale.put(P + k + ".weight", w); perScale.put(P + k + ".bias", b); }

            VqVae vPartial = new VqVae(withPhi(cfg, 0.5, 4), Params.fromHost(partial, m));
            VqVae vShared = new VqVae(withPhi(cfg, 0.5, 1), Params.fromHost(shared, m));
            VqVae vPerScale = new VqVae(withPhi(cfg, 0.5, 0), Params.fromHost(perScale, m));
            for (int si = 0; si < scales; si++) {
                assertEquals(0, vShared.quantizer().phiIndex(si));
                assertEquals(si, vPerScale.quantizer().phiIndex(si), "non-shared phi with K = S uses one per scale");
            }
            List<NDArray> idx = vPartial.imgToIdx(img);
            NDArray fhat = vPartial.quantizer().idxToFhat(idx);
            for (VqVae other : List.of(vShared, vPerScale)) {
                List<NDArray> idx2 = other.imgToIdx(img);
                for (int k = 0; k < scales; k++) assertArrayEquals(idx.get(k).toLongArray(), idx2.get(k).toLongArray());
                assertArrayEquals(fhat.toFloatArray(), other.quantizer().idxToFhat(idx2).toFloatArray(), 0f);
            }
            assertEquals(base.keySet().stream().filter(n -> n.startsWith("vae.") && !n.endsWith("ema_vocab_hit_SV")).count() - 8 + 2,
                    vShared.parameterNames().size(), "the shared model has one phi convolution");
        }
    }

    @Test
    void zeroQuantResiIsTheIdentityAndNeedsNoWeights() throws IOException {
        Path dir = TestPaths.parity("tiny-a");
        ModelConfig cfg = withPhi(ConfigJson.parse(Files.readString(dir.resolve("config.json"))), 0.0, 4);
        Map<String, HostTensor> weights = withoutPhi(SafeTensors.read(dir.resolve("weights.safetensors")));
        Map<String, HostTensor> cases = SafeTensors.read(dir.resolve("cases.safetensors"));
        try (NDManager m = NDManager.newBaseManager()) {
            MultiScaleQuantizer q = new VqVae(cfg, Params.fromHost(weights, m)).quantizer();
            List<NDArray> idx = new ArrayList<>();
            for (int k = 0; k < cfg.numScales(); k++) idx.add(cases.get("idx_s" + k).toNDArray(m));
            int side = cfg.patchNums().get(cfg.numScales() - 1);
            NDArray expected = null;
            for (int k = 0; k < cfg.numScales(); k++) {
                int pn = cfg.patchNums().get(k);
                NDArray map = q.embed(idx.get(k)).transpose(0, 2, 1).reshape(2, q.cvae(), pn, pn);
                NDArray h = Resize.bicubic(map, side, side);
                expected = expected == null ? h : expected.add(h);
            }
            assertArrayEquals(expected.toFloatArray(), q.idxToFhat(idx).toFloatArray(), 1e-6f);
        }
    }

    private static Map<String, HostTensor> withoutPhi(Map<String, HostTensor> w) {
        Map<String, HostTensor> out = new LinkedHashMap<>(w);
        out.keySet().removeIf(n -> n.startsWith(P));
        return out;
    }

    private static ModelConfig withPhi(ModelConfig c, double quantResi, int share) {
        VqVaeConfig v = c.vqvae();
        VqVaeConfig v2 = new VqVaeConfig(v.vocabSize(), v.zChannels(), v.ch(), v.chMult(), v.numResBlocks(), v.inChannels(),
                v.usingSa(), v.usingMidSa(), v.beta(), quantResi, share, v.quantConvKs());
        return new ModelConfig(c.formatVersion(), c.imageSize(), c.patchNums(), v2, c.var(), c.classNames(), c.order());
    }
}
