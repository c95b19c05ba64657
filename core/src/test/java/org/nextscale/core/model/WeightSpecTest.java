package org.nextscale.core.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nextscale.core.TestPaths;
import org.nextscale.core.config.ConfigJson;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.config.VarConfig;
import org.nextscale.core.config.VqVaeConfig;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.io.SafeTensors;
import org.nextscale.core.nn.Params;
import org.nextscale.core.tokenizer.VqVae;
import org.nextscale.core.transformer.TokenLayout;
import org.nextscale.core.transformer.VarTransformer;

class WeightSpecTest {

    static ModelConfig parityConfig(String name) throws IOException {
        return ConfigJson.parse(Files.readString(TestPaths.parity(name).resolve("config.json")));
    }

    /** name -> "dtype[shape]" of the spec and of the reference weights must be identical. */
    @ParameterizedTest
    @ValueSource(strings = {"tiny-a", "tiny-b"})
    void specEqualsTheReferenceStateDicts(String name) throws IOException {
        ModelConfig c = parityConfig(name);
        Map<String, HostTensor> ref = SafeTensors.read(TestPaths.parity(name).resolve("weights.safetensors"));
        Map<String, String> expected = new TreeMap<>(), actual = new TreeMap<>();
        ref.forEach((k, v) -> expected.put(k, v.dtype() + Arrays.toString(v.shape())));
        for (WeightSpec.Entry e : WeightSpec.of(c)) assertNull(actual.put(e.name(), e.dtype() + Arrays.toString(e.shape())), "duplicate " + e.name());
        assertEquals(expected, actual);
        assertTrue(WeightSpec.fit(WeightSpec.of(c), ref).ok());
    }

    /** Buffer values a new model starts with equal the reference's, bit for bit (mask with -inf, level ids, zeros). */
    @ParameterizedTest
    @ValueSource(strings = {"tiny-a", "tiny-b"})
    void bufferValuesEqualTheReference(String name) throws IOException {
        ModelConfig c = parityConfig(name);
        Map<String, HostTensor> ref = SafeTensors.read(TestPaths.parity(name).resolve("weights.safetensors"));
        Map<String, HostTensor> buffers = WeightSpec.buffers(c);
        assertEquals(c.var().depth() + 3, buffers.size()); // zero_k_bias per block, hit counts, lvl_1L, mask
        buffers.forEach((k, v) -> assertEquals(ref.get(k), v, k));
        for (WeightSpec.Entry e : WeightSpec.of(c))
            assertEquals(buffers.containsKey(e.name()), !e.trainable(), e.name());
    }

    @Test
    void phiVariantsAndChannels() throws IOException {
        ModelConfig a = parityConfig("tiny-a");
        assertEquals(List.of("qresi_ls.0", "qresi_ls.1", "qresi_ls.2", "qresi_ls.3"), WeightSpec.phiNames(a.vqvae(), 6));
        assertEquals(List.of("0", "1", "2", "3", "4"), WeightSpec.phiNames(parityConfig("tiny-b").vqvae(), 5));
        assertEquals(List.of("qresi"), WeightSpec.phiNames(withPhi(a.vqvae(), 0.5, 1), 6));
        assertEquals(List.of(), WeightSpec.phiNames(withPhi(a.vqvae(), 0.0, 4), 6));
        ModelConfig none = new ModelConfig(1, a.imageSize(), a.patchNums(), withPhi(a.vqvae(), 0.0, 4), a.var(), a.classNames(), "var");
        assertTrue(WeightSpec.of(none).stream().noneMatch(e -> e.name().contains("quant_resi")));
        assertArrayEquals(new long[] {32, 1, 3, 3}, WeightSpec.byName(parityConfig("tiny-b")).get("vae.encoder.conv_in.weight").shape());
        assertArrayEquals(new long[] {1, 32, 3, 3}, WeightSpec.byName(parityConfig("tiny-b")).get("vae.decoder.conv_out.weight").shape());
    }

    @Test
    void tokenizerOnlyModelHasOnlyVaeTensors() throws IOException {
        ModelConfig c = parityConfig("tiny-a").withVar(null, List.of(), "var");
        assertTrue(WeightSpec.of(c).stream().allMatch(e -> e.name().startsWith("vae.")));
        assertEquals(WeightSpec.vae(c).size(), WeightSpec.of(c).size());
    }

    @Test
    void rasterOrderUsesTheLastScaleOnlyWithACausalMask() throws IOException {
        ModelConfig c = parityConfig("tiny-a").withVar(parityConfig("tiny-a").var(), parityConfig("tiny-a").classNames(), "raster");
        Map<String, WeightSpec.Entry> s = WeightSpec.byName(c);
        assertArrayEquals(new long[] {1, 64, 64}, s.get("var.pos_1LC").shape());
        assertArrayEquals(new long[] {1, 1, 64}, s.get("var.pos_start").shape());
        assertArrayEquals(new long[] {1, 64}, s.get("var.lvl_embed.weight").shape());
        assertArrayEquals(new long[] {1, 1, 64, 64}, s.get("var.attn_bias_for_masking").shape());
        assertArrayEquals(new long[] {1, 64}, s.get("var.lvl_1L").shape());
        float[] mask = WeightSpec.buffers(c).get("var.attn_bias_for_masking").toFloats();
        for (int q = 0; q < 64; q++)
            for (int k = 0; k < 64; k++)
                assertEquals(k <= q ? 0f : Float.NEGATIVE_INFINITY, mask[q * 64 + k], "q=" + q + " k=" + k);
        assertTrue(Arrays.stream(WeightSpec.buffers(c).get("var.lvl_1L").toLongs()).allMatch(x -> x == 0));
        // the tokenizer is the same as for next-scale order
        assertEquals(WeightSpec.vae(parityConfig("tiny-a")).toString(), WeightSpec.vae(c).toString());
    }

    /** Parameter counts of the official models against the sizes the reference README gives (VAR-d16 310M ... d36 2.3B). */
    @Test
    void presetsHaveTheOfficialSizes() {
        Map<String, Double> readme = Map.of("d16", 310e6, "d20", 600e6, "d24", 1.0e9, "d30", 2.0e9, "d36", 2.3e9);
        for (String p : Presets.NAMES) {
            ModelConfig c = Presets.get(p);
            double n = WeightSpec.parameterCount(c, "var.");
            assertEquals(readme.get(p), n, readme.get(p) * 0.06, p + " has " + n + " parameters");
        }
        ModelConfig d16 = Presets.get("d16");
        assertEquals(256, d16.imageSize());
        assertEquals(680, d16.totalTokens());
        assertEquals(1000, d16.classNames().size());
        assertEquals("toilet tissue", d16.classNames().get(999));
        assertEquals("golden retriever", d16.classNames().get(207));
        ModelConfig d36 = Presets.get("d36");
        assertEquals(512, d36.imageSize());
        assertTrue(d36.var().sharedAln());
        assertEquals(List.of(1, 2, 3, 4, 6, 9, 13, 18, 24, 32), d36.patchNums());
        assertTrue(WeightSpec.byName(d36).containsKey("var.shared_ada_lin.1.weight"));
        assertEquals(new VarConfig(1000, 20, 1280, 20, 4.0, 1e-6, false, true, 0.1), Presets.get("D20").var());
        // the tokenizer vae_ch160v4096z32: quantize.ema_vocab_hit_SV has one row per scale, 4 shared phi
        assertArrayEquals(new long[] {10, 4096}, WeightSpec.byName(d16).get("vae.quantize.ema_vocab_hit_SV").shape());
        assertArrayEquals(new long[] {32, 32, 3, 3}, WeightSpec.byName(d16).get("vae.quantize.quant_resi.qresi_ls.3.weight").shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Presets.get("d12"));
        assertEquals("unknown preset 'd12': choose one of d16, d20, d24, d30, d36", e.getMessage());
    }

    /** The tokenizer and transformer read exactly the spec's trainable tensors (raster order too, from spec-built weights). */
    @ParameterizedTest
    @ValueSource(strings = {"tiny-a", "tiny-b"})
    void theModulesReadExactlyTheSpecsTrainableTensors(String name) throws IOException {
        for (String order : List.of("var", "raster")) {
            ModelConfig c0 = parityConfig(name);
            ModelConfig c = c0.withVar(c0.var(), c0.classNames(), order);
            Map<String, HostTensor> w = new LinkedHashMap<>();
            for (WeightSpec.Entry e : WeightSpec.of(c))
                w.put(e.name(), e.dtype().equals("I64") ? HostTensor.ofLongs(new long[(int) e.numel()], e.shape())
                        : HostTensor.ofFloats(new float[(int) e.numel()], e.shape()));
            try (NDManager m = NDManager.newBaseManager()) {
                Params p = Params.fromHost(w, m);
                int side = c.patchNums().get(c.numScales() - 1);
                TokenLayout layout = order.equals("raster")
                        ? TokenLayout.raster(side)
                        : TokenLayout.nextScale(c.patchNums());
                Set<String> read = new TreeSet<>(new VqVae(c, p).parameterNames());
                read.addAll(new VarTransformer(c.var(), layout, c.vqvae().vocabSize(),
                        c.vqvae().zChannels(), p).weightNames());
                Set<String> trainable = new TreeSet<>();
                for (WeightSpec.Entry e : WeightSpec.of(c)) if (e.trainable()) trainable.add(e.name());
                assertEquals(trainable, read, name + " order " + order);
            }
        }
    }

    static VqVaeConfig withPhi(VqVaeConfig v, double ratio, int share) {
        return new VqVaeConfig(v.vocabSize(), v.zChannels(), v.ch(), v.chMult(), v.numResBlocks(), v.inChannels(),
                v.usingSa(), v.usingMidSa(), v.beta(), ratio, share, v.quantConvKs());
    }
}
