package org.nextscale.core.tokenizer;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nextscale.core.TestPaths;
import org.nextscale.core.config.ConfigJson;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.io.SafeTensors;
import org.nextscale.core.nn.Params;

/**
 * The tokenizer against the reference's outputs (shared/parity): tokens equal, floats within
 * 1e-4 * max(1, max|reference|). tiny-a: RGB, 3 levels, partially shared phi; tiny-b: gray, 2 levels,
 * non-shared phi with a negative quant_resi.
 */
class VqVaeParityTest {

    @ParameterizedTest
    @ValueSource(strings = {"tiny-a", "tiny-b"})
    void matchesReference(String name) throws IOException {
        Path dir = TestPaths.parity(name);
        String json = Files.readString(dir.resolve("config.json"));
        ModelConfig cfg = ConfigJson.parse(json);
        Map<String, HostTensor> cases = SafeTensors.read(dir.resolve("cases.safetensors"));
        try (NDManager m = NDManager.newBaseManager()) {
            VqVae vae = new VqVae(cfg, Params.fromHost(SafeTensors.read(dir.resolve("weights.safetensors")), m));
            MultiScaleQuantizer q = vae.quantizer();
            checkPhiChoice(JsonParser.parseString(json).getAsJsonObject().getAsJsonObject("vqvae"), q);

            NDArray img = cases.get("img").toNDArray(m);
            NDArray f = vae.encode(img);
            close(name, "f", f, cases.get("f"));

            List<NDArray> idx = q.fToIdx(f);
            assertEquals(cfg.numScales(), idx.size());
            List<NDArray> refIdx = new ArrayList<>();
            for (int k = 0; k < idx.size(); k++) {
                HostTensor ref = cases.get("idx_s" + k);
                assertArrayEquals(ref.shape(), idx.get(k).getShape().getShape(), name + " idx_s" + k + " shape");
                assertArrayEquals(ref.toLongs(), idx.get(k).toLongArray(), name + " idx_s" + k);
                refIdx.add(ref.toNDArray(m));
            }
            System.out.printf("%s idx_s0..%d: equal%n", name, idx.size() - 1);

            close(name, "fhat_last", q.idxToFhat(refIdx), cases.get("fhat_last"));
            close(name, "recon", vae.idxToImg(refIdx), cases.get("recon"));
            close(name, "var_input", q.idxToVarInput(refIdx), cases.get("var_input"));
            checkAutoregressiveSteps(name, q, refIdx, cases);

            TrainOutput t = vae.forwardTrain(img);
            close(name, "vq_loss", t.vqLoss().reshape(1), cases.get("vq_loss"));
            close(name, "vae_out", t.out(), cases.get("vae_out"));
            int[][] usage = t.usageCounts();
            for (int k = 0; k < usage.length; k++) {
                int total = 0;
                for (int n : usage[k]) total += n;
                assertEquals(cases.get("idx_s" + k).numel(), total, "usage counts of scale " + k);
            }
        }
    }

    /** nextInput, scale by scale from zero, gives the teacher-forcing inputs and the final f_hat. */
    private static void checkAutoregressiveSteps(String name, MultiScaleQuantizer q, List<NDArray> idx, Map<String, HostTensor> cases) {
        long b = idx.get(0).getShape().get(0);
        int side = q.patchNums().get(q.numScales() - 1);
        NDArray fhat = idx.get(0).getManager().zeros(new Shape(b, q.cvae(), side, side));
        NDList inputs = new NDList();
        for (int si = 0; si < q.numScales(); si++) {
            int pn = q.patchNums().get(si);
            NDArray h = q.embed(idx.get(si)).transpose(0, 2, 1).reshape(b, q.cvae(), pn, pn);   // (B, Cvae, pn, pn)
            NDArray[] step = q.nextInput(si, fhat, h);
            fhat = step[0];
            if (si < q.numScales() - 1) {
                int next = q.patchNums().get(si + 1);
                assertArrayEquals(new long[] {b, q.cvae(), next, next}, step[1].getShape().getShape());
                inputs.add(step[1].reshape(b, q.cvae(), -1).transpose(0, 2, 1));
            } else {
                assertSame(step[0], step[1]);
            }
        }
        close(name, "ar_input", NDArrays.concat(inputs, 1), cases.get("var_input"));
        close(name, "ar_fhat", fhat, cases.get("fhat_last"));
    }

    /** The phi index per scale and the ticks equal the reference's (config.json). */
    private static void checkPhiChoice(JsonObject vq, MultiScaleQuantizer q) {
        JsonArray perScale = vq.getAsJsonArray("phi_index_per_scale");
        for (int si = 0; si < q.numScales(); si++) assertEquals(perScale.get(si).getAsInt(), q.phiIndex(si), "phi of scale " + si);
        JsonArray ticks = vq.getAsJsonArray("phi_ticks");
        double[] mine = Phi.ticks(ticks.size());
        for (int i = 0; i < ticks.size(); i++) assertEquals(ticks.get(i).getAsDouble(), mine[i], 0.0, "tick " + i);
    }

    private static void close(String name, String what, NDArray actual, HostTensor expected) {
        assertArrayEquals(expected.shape(), actual.getShape().getShape(), name + " " + what + " shape");
        float[] a = actual.toFloatArray(), e = expected.toFloats();
        double maxErr = 0, maxRef = 0;
        for (int i = 0; i < a.length; i++) {
            maxErr = Math.max(maxErr, Math.abs(a[i] - e[i]));
            maxRef = Math.max(maxRef, Math.abs(e[i]));
        }
        double tol = 1e-4 * Math.max(1, maxRef);
        System.out.printf("%s %-9s max abs error %.3e (max |ref| %.3f, tolerance %.1e)%n", name, what, maxErr, maxRef, tol);
        assertTrue(maxErr <= tol, name + " " + what + ": max abs error " + maxErr + " > " + tol);
    }
}
