package org.nextscale.core.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.nextscale.core.TestPaths;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.tokenizer.VqVae;
import org.nextscale.core.config.ConfigJson;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.io.SafeTensors;
import org.nextscale.core.nn.Params;

/** One parity folder (tiny-a, tiny-b): its config, weights on an engine manager, and expected tensors. */
final class ParityCase implements AutoCloseable {
    final String name;
    final ModelConfig config;
    final Map<String, HostTensor> cases;
    final JsonObject raw;
    final NDManager manager;
    final Params params;

    private ParityCase(String name, ModelConfig config, JsonObject raw, Map<String, HostTensor> cases, NDManager manager, Params params) {
        this.name = name;
        this.config = config;
        this.raw = raw;
        this.cases = cases;
        this.manager = manager;
        this.params = params;
    }

    static ParityCase load(String name) throws IOException {
        Path dir = TestPaths.parity(name);
        String json = Files.readString(dir.resolve("config.json"));
        ModelConfig config = ConfigJson.parse(json);
        JsonObject raw = JsonParser.parseString(json).getAsJsonObject();
        Map<String, HostTensor> cases = SafeTensors.read(dir.resolve("cases.safetensors"));
        NDManager manager = NDManager.newBaseManager();
        Params params = Params.fromHost(SafeTensors.read(dir.resolve("weights.safetensors")), manager);
        return new ParityCase(name, config, raw, cases, manager, params);
    }

    VarTransformer transformer() {
        return new VarTransformer(config.var(), TokenLayout.nextScale(config.patchNums()), config.vqvae().vocabSize(),
                config.vqvae().zChannels(), params);
    }

    /** The "sampling" section of config.json (cfg, top_k, labels, edit box). */
    JsonObject sampling() {
        return raw.getAsJsonObject("sampling");
    }

    int lastSide() {
        return config.patchNums().get(config.numScales() - 1);
    }

    /**
     * A raster-layout transformer built from this case's weights: pos_1LC cut to the last scale's N
     * tokens, lvl_embed cut to one row (the other weights are shared with the next-scale model).
     */
    VarTransformer rasterTransformer() {
        int n = lastSide() * lastSide();
        Params raster = new Params(manager);
        for (Map.Entry<String, NDArray> e : params.asMap().entrySet())
            if (!e.getKey().equals("var.pos_1LC") && !e.getKey().equals("var.lvl_embed.weight")) raster.put(e.getKey(), e.getValue());
        raster.put("var.pos_1LC", params.get("var.pos_1LC").get(new NDIndex(":, 0:{}", n)).duplicate());
        raster.put("var.lvl_embed.weight", params.get("var.lvl_embed.weight").get(new NDIndex("0:1")).duplicate());
        return new VarTransformer(config.var(), TokenLayout.raster(lastSide()), config.vqvae().vocabSize(),
                config.vqvae().zChannels(), raster);
    }

    VqVae vae() {
        return new VqVae(config, params);
    }

    Sampler sampler() {
        return new Sampler(transformer(), vae());
    }

    /** The reference run's sampling settings with the given seed, top-k and top-p. */
    SampleOptions options(long seed, int topK, double topP) {
        JsonObject s = sampling();
        return new SampleOptions(0, 2, s.get("cfg").getAsDouble(), topK, topP, seed, s.get("more_smooth").getAsBoolean());
    }

    HostTensor host(String key) {
        HostTensor t = cases.get(key);
        if (t == null) throw new IllegalStateException(name + ": no tensor " + key + " in cases.safetensors");
        return t;
    }

    NDArray array(String key, NDManager m) {
        return host(key).toNDArray(m);
    }

    /** All scales' reference tokens concatenated, (B, L) int64. */
    long[] allTokens(String prefix) {
        int b = (int) host(prefix + "0").shape()[0];
        int l = config.totalTokens();
        long[] out = new long[b * l];
        int off = 0;
        for (int k = 0; k < config.numScales(); k++) {
            long[] t = host(prefix + k).toLongs();
            int n = t.length / b;
            for (int i = 0; i < b; i++) System.arraycopy(t, i * n, out, i * l + off, n);
            off += n;
        }
        return out;
    }

    /** Asserts |actual - ref| <= 1e-4 * max(1, max|ref|) and returns the max abs error (printed). */
    double assertClose(String key, HostTensor actual) {
        return assertClose(key, actual.toFloats(), actual.shape());
    }

    double assertClose(String key, NDArray actual) {
        return assertClose(key, actual.toFloatArray(), actual.getShape().getShape());
    }

    double assertClose(String key, float[] actual, long[] shape) {
        HostTensor ref = host(key);
        assertArrayEquals(ref.shape(), shape, name + " " + key + ": shape");
        float[] r = ref.toFloats();
        double maxRef = 0, err = 0;
        for (int i = 0; i < r.length; i++) {
            maxRef = Math.max(maxRef, Math.abs(r[i]));
            err = Math.max(err, Math.abs((double) r[i] - actual[i]));
        }
        double tol = 1e-4 * Math.max(1, maxRef);
        System.out.printf("[%s] %-26s max|err| %.3e  (tol %.1e, max|ref| %.3g)%n", name, key, err, tol, maxRef);
        assertTrue(err <= tol, name + " " + key + ": max abs error " + err + " > " + tol);
        return err;
    }

    void assertTokens(String key, long[] actual) {
        long[] r = host(key).toLongs();
        int diff = 0;
        for (int i = 0; i < r.length; i++) if (r[i] != actual[i]) diff++;
        System.out.printf("[%s] %-26s %d/%d tokens differ%n", name, key, diff, r.length);
        assertArrayEquals(r, actual, name + " " + key + ": " + diff + " tokens differ; expected " + Arrays.toString(r)
                + " got " + Arrays.toString(actual));
    }

    @Override
    public void close() {
        manager.close();
    }
}
