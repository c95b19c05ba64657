package org.nextscale.core.transformer;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TokenSamplingTest {
    private static final float NEG = Float.NEGATIVE_INFINITY;
    private static final float L2 = (float) Math.log(2), L4 = (float) Math.log(4), L8 = (float) Math.log(8);

    @Test
    void topKKeepsTiesAtTheKthValue() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray row = m.create(new float[] {1, 3, 3, 0, 2}, new Shape(1, 1, 5));
            assertArrayEquals(new float[] {NEG, 3, 3, NEG, NEG}, TokenSampling.topK(row, 1).toFloatArray(), "ties of the largest");
            assertArrayEquals(new float[] {NEG, 3, 3, NEG, NEG}, TokenSampling.topK(row, 2).toFloatArray());
            assertArrayEquals(new float[] {NEG, 3, 3, NEG, 2}, TokenSampling.topK(row, 3).toFloatArray());
            assertArrayEquals(row.toFloatArray(), TokenSampling.topK(row, 0).toFloatArray(), "0 = off");
        }
    }

    @Test
    void topPDropsTheLowTailInVocabularyOrder() {
        try (NDManager m = NDManager.newBaseManager()) {
            // probabilities 4/15, 1/15, 8/15, 2/15; ascending cumulative 1/15, 3/15, 7/15, 1
            NDArray row = m.create(new float[] {L4, 0, L8, L2}, new Shape(1, 1, 4));
            assertArrayEquals(new float[] {L4, NEG, L8, L2}, TokenSampling.topP(row, 0.9).toFloatArray(), "drop cum <= 0.1");
            assertArrayEquals(new float[] {L4, NEG, L8, NEG}, TokenSampling.topP(row, 0.6).toFloatArray(), "drop cum <= 0.4");
            assertArrayEquals(new float[] {NEG, NEG, L8, NEG}, TokenSampling.topP(row, 0.5).toFloatArray(), "drop cum <= 0.5");
            assertArrayEquals(new float[] {NEG, NEG, L8, NEG}, TokenSampling.topP(row, 1e-9).toFloatArray(), "the largest always stays");
            assertArrayEquals(row.toFloatArray(), TokenSampling.topP(row, 0).toFloatArray(), "0 = off");
            // top-k before top-p: k = 3 removes 0, then p = 0.6 on 4/14, 8/14, 2/14 (cum 1/7, 3/7, 1) drops only L2
            assertArrayEquals(new float[] {L4, NEG, L8, NEG}, TokenSampling.filter(row, 3, 0.6).toFloatArray());
        }
    }

    @Test
    void multinomialFollowsTheProbabilitiesAndTheSeed() {
        try (NDManager m = NDManager.newBaseManager()) {
            int n = 20000;
            float[] logits = new float[n * 4];
            for (int i = 0; i < n; i++) {
                logits[i * 4] = (float) Math.log(0.1);
                logits[i * 4 + 1] = (float) Math.log(0.2);
                logits[i * 4 + 2] = (float) Math.log(0.7);
                logits[i * 4 + 3] = NEG;
            }
            NDArray x = m.create(logits, new Shape(2, n / 2, 4));
            long[] a = TokenSampling.multinomial(x, new SplittableRandom(7)).toLongArray();
            long[] b = TokenSampling.multinomial(x, new SplittableRandom(7)).toLongArray();
            long[] c = TokenSampling.multinomial(x, new SplittableRandom(8)).toLongArray();
            assertArrayEquals(a, b, "same seed, same tokens");
            assertFalse(java.util.Arrays.equals(a, c), "different seeds, different tokens");
            int[] count = new int[4];
            for (long t : a) count[(int) t]++;
            assertEquals(0, count[3], "a filtered entry is never drawn");
            assertEquals(0.1, count[0] / (double) n, 0.015);
            assertEquals(0.2, count[1] / (double) n, 0.015);
            assertEquals(0.7, count[2] / (double) n, 0.015);
        }
    }

    @Test
    void gumbelSoftmaxIsADistributionThatSharpensWithLowTemperature() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {0, 1, 2, NEG}, new Shape(1, 1, 4));
            float[] soft = TokenSampling.gumbelSoftmax(x, 1.0, new SplittableRandom(1)).toFloatArray();
            float[] sharp = TokenSampling.gumbelSoftmax(x, 0.005, new SplittableRandom(1)).toFloatArray();
            assertEquals(1f, soft[0] + soft[1] + soft[2] + soft[3], 1e-5f);
            assertEquals(0f, soft[3]);
            float max = Math.max(sharp[0], Math.max(sharp[1], sharp[2]));
            assertTrue(max > 0.99f, "tau 0.005 is nearly one-hot, got " + java.util.Arrays.toString(sharp));
        }
    }
}
