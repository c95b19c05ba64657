package org.nextscale.core.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.nextscale.core.TestPaths;
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
    final NDManager manager;
    final Params params;

    private ParityCase(String name, ModelConfig config, Map<String, HostTensor> cases, NDManager manager, Params params) {
        this.name = name;
        this.config = config;
        this.cases = cases;
        this.manager = manager;
        this.params = params;
    }

    static ParityCase load(String name) throws IOException {
        Path dir = TestPaths.parity(name);
        ModelConfig config = ConfigJson.parse(Files.readString(dir.resolve("config.json")));
        Map<String, HostTensor> cases = SafeTensors.read(dir.resolve("cases.safetensors"));
        NDManager manager = NDManager.newBaseManager();
        Params params = Params.fromHost(SafeTensors.read(dir.resolve("weights.safetensors")), manager);
        return new ParityCase(name, config, cases, manager, params);
    }

    VarTransformer transformer() {
        return new VarTransformer(config.var(), TokenLayout.nextScale(config.patchNums()), config.vqvae().vocabSize(),
                config.vqvae().zChannels(), params);
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
