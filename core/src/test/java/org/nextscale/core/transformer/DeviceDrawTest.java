package org.nextscale.core.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nextscale.core.api.Devices;

/**
 * The device's token draw (used when the logits are on a GPU, so that the probabilities are not read back every scale)
 * against the host's exact draw, both run here on the CPU: the same uniforms give the same token in all but rounding
 * cases, a filtered token is never drawn, and over many draws the frequencies are the softmax's.
 */
class DeviceDrawTest {
    @Test
    void theDevicesDrawMatchesTheHostsAndTheDistribution() {
        try (NDManager m = NDManager.newBaseManager(Devices.host())) {
            int b = 4, l = 64, v = 512;
            float[] x = new float[b * l * v];
            SplittableRandom init = new SplittableRandom(7);
            for (int i = 0; i < x.length; i++) x[i] = (float) (init.nextGaussian() * 2);
            NDArray logits = TokenSampling.topK(m.create(x, new Shape(b, l, v)), 50);    // 462 of 512 filtered out per row
            long[] host = TokenSampling.multinomialOnHost(logits, new SplittableRandom(3)).toLongArray();
            long[] device = TokenSampling.multinomialOnDevice(logits, new SplittableRandom(3)).toLongArray();
            float[] kept = logits.toFloatArray();
            int same = 0;
            for (int r = 0; r < host.length; r++) {
                if (host[r] == device[r]) same++;
                assertTrue(Float.isFinite(kept[r * v + (int) device[r]]), "row " + r + " drew a filtered token " + device[r]);
            }
            assertTrue(same >= host.length - 2, "the same uniforms draw the same tokens but for rounding: " + same + " of " + host.length);

            // one row, drawn 20,000 times: each token's frequency within 4 standard errors of its softmax probability
            float[] row = {2f, 1f, 0.5f, 0f, Float.NEGATIVE_INFINITY, -1f};
            int n = 20_000;
            float[] rows = new float[n * row.length];
            for (int i = 0; i < n; i++) System.arraycopy(row, 0, rows, i * row.length, row.length);
            long[] draws = TokenSampling.multinomialOnDevice(m.create(rows, new Shape(1, n, row.length)), new SplittableRandom(11)).toLongArray();
            double z = 0;
            for (float f : row) z += Math.exp(f);
            int[] counts = new int[row.length];
            for (long d : draws) counts[(int) d]++;
            assertEquals(0, counts[4], "the filtered token is never drawn");
            for (int i = 0; i < row.length; i++) {
                double p = Math.exp(row[i]) / z, se = Math.sqrt(p * (1 - p) / n);
                assertEquals(p, counts[i] / (double) n, 4 * se + 1e-9, "token " + i);
            }
        }
    }
}
