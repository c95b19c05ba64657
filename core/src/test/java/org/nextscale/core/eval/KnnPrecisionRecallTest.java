package org.nextscale.core.eval;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class KnnPrecisionRecallTest {

    static float[][] points(double... xs) {
        float[][] p = new float[xs.length][];
        for (int i = 0; i < xs.length; i++) p[i] = new float[] {(float) xs[i], 0f};
        return p;
    }

    @Test
    void radiusIsTheKthNeighbourExcludingTheSampleItself() {
        double[] r = KnnPrecisionRecall.kthNeighbourRadii(points(0, 1, 3, 7), 2);
        // squared distances to the 2nd nearest other point: 0 -> 3, 1 -> 2, 3 -> 3, 7 -> 6
        assertArrayEquals(new double[] {9, 4, 9, 36}, r, 1e-9);
    }

    @Test
    void handComputedPrecisionAndRecall() {
        // reals on a line 0..9, k=1: each ball has radius 1 and together they cover [-1, 10]
        float[][] real = points(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        // fakes: three inside the real manifold, one far away; fake balls (k=1) reach their nearest fake
        float[][] fake = points(0.5, 4.2, 4.4, 30);
        KnnPrecisionRecall.Result r = KnnPrecisionRecall.compute(real, fake, 1);
        assertEquals(0.75, r.precision(), 1e-12);
        // fake radii: 0.5 -> 3.7 (to 4.2), 4.2 -> 0.2, 4.4 -> 0.2, 30 -> 25.6 (to 4.4); the ball around 30
        // reaches down to 4.4, so reals 5..9 are covered, plus 0..4 by the ball around 0.5 (radius 3.7)
        assertEquals(1.0, r.recall(), 1e-12);
        KnnPrecisionRecall.Result narrow = KnnPrecisionRecall.compute(real, points(0.5, 0.6, 0.7, 0.8), 1);
        // fake balls of radius 0.1 around 0.5..0.8 cover no real point
        assertEquals(1.0, narrow.precision(), 1e-12);
        assertEquals(0.0, narrow.recall(), 1e-12);
    }

    @Test
    void identicalSetsHaveFullPrecisionAndRecall() {
        float[][] x = FrechetTest.gaussianSamples(500, 16, 5);
        KnnPrecisionRecall.Result r = KnnPrecisionRecall.compute(x, x, 3);
        assertEquals(1.0, r.precision());
        assertEquals(1.0, r.recall());
    }

    @Test
    void aCollapsedGeneratorHasHighPrecisionButLowRecall() {
        float[][] real = FrechetTest.gaussianSamples(1000, 8, 6);
        float[][] fake = new float[1000][];
        for (int i = 0; i < fake.length; i++) { // every fake is a tiny jitter of one of 20 real points
            fake[i] = real[i % 20].clone();
            fake[i][0] += 1e-3f * (i / 20);
        }
        KnnPrecisionRecall.Result r = KnnPrecisionRecall.compute(real, fake, 3);
        assertTrue(r.precision() > 0.95, "precision " + r.precision());
        assertTrue(r.recall() < 0.2, "recall " + r.recall());
    }
}
