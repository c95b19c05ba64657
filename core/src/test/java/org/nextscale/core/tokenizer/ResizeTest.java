package org.nextscale.core.tokenizer;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Resize against values worked out by hand from PyTorch's definitions (see comments). */
class ResizeTest {

    @Test
    void areaSixteenToThirteenAveragesOverlappingWindows() {
        // x[h][w] = 100 h + w. Cell i averages [floor(16i/13), ceil(16(i+1)/13)):
        // [0,2) [1,3) [2,4) [3,5) [4,7) [6,8) [7,9) [8,10) [9,12) [11,13) [12,14) [13,15) [14,16)
        // so the mean of 0..15 over each window is:
        double[] mean = {0.5, 1.5, 2.5, 3.5, 5, 6.5, 7.5, 8.5, 10, 11.5, 12.5, 13.5, 14.5};
        float[] x = new float[16 * 16];
        for (int h = 0; h < 16; h++) for (int w = 0; w < 16; w++) x[h * 16 + w] = 100 * h + w;
        try (NDManager m = NDManager.newBaseManager()) {
            float[] y = Resize.area(m.create(x, new Shape(1, 1, 16, 16)), 13, 13).toFloatArray();
            assertEquals(169, y.length);
            for (int i = 0; i < 13; i++)
                for (int j = 0; j < 13; j++)
                    assertEquals(100 * mean[i] + mean[j], y[i * 13 + j], 1e-3, "cell " + i + "," + j);
        }
    }

    @Test
    void areaOfAnExactDivisorIsBlockMeanAndUpsamplingRepeats() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, new Shape(1, 1, 4, 4));
            assertArrayEquals(new float[] {3.5f, 5.5f, 11.5f, 13.5f}, Resize.area(x, 2, 2).toFloatArray(), 1e-6f);
            // 2 -> 3: windows [0,1) [0,2) [1,2)
            NDArray r = m.create(new float[] {0, 4}, new Shape(1, 1, 1, 2));
            assertArrayEquals(new float[] {0, 2, 4}, Resize.area(r, 1, 3).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void bicubicTwoToEightOvershootsAtTheBorder() {
        // In = 2, Out = 8, scale 1/4, src = (dst+0.5)/4 - 0.5 (not clamped), A = -0.75,
        // w1(d) = (1.25 d - 2.25) d^2 + 1, w2(d) = ((-0.75 d + 3.75) d - 6) d + 3.
        // dst 0: src -0.375, floor -1, t 0.625, taps -2..1 clamp to 0,0,0,1: out = w2(2-t) = w2(1.375) = -0.10986328125
        // dst 1: src -0.125, t 0.875: out = w2(1.125) = -0.07177734375
        // dst 2: src 0.125, floor 0, t 0.125, taps -1..2 clamp to 0,0,1,1: out = w1(0.875) + w2(1.875) = 0.1044921875
        // dst 3: src 0.375, t 0.375: out = w1(0.625) + w2(1.625) = 0.3603515625; the rest by symmetry 1 - out[7-i]
        float[] expected = {-0.10986328125f, -0.07177734375f, 0.1044921875f, 0.3603515625f,
                0.6396484375f, 0.8955078125f, 1.07177734375f, 1.10986328125f};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {0, 1, 0, 1}, new Shape(1, 1, 2, 2));    // rows [0, 1]
            float[] y = Resize.bicubic(x, 8, 8).toFloatArray();
            for (int r = 0; r < 8; r++)
                for (int c = 0; c < 8; c++) assertEquals(expected[c], y[r * 8 + c], 1e-6, "row " + r + " col " + c);
            // the transpose resizes the other axis the same way
            float[] yt = Resize.bicubic(x.transpose(0, 1, 3, 2), 8, 8).toFloatArray();
            for (int r = 0; r < 8; r++)
                for (int c = 0; c < 8; c++) assertEquals(expected[r], yt[r * 8 + c], 1e-6);
        }
    }

    @Test
    void bicubicOfOnePixelIsConstantAndSameSizeIsIdentity() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray one = m.create(new float[] {2.5f, -1f}, new Shape(1, 2, 1, 1));
            float[] y = Resize.bicubic(one, 4, 4).toFloatArray();
            for (int i = 0; i < 16; i++) {
                assertEquals(2.5f, y[i], 1e-6);
                assertEquals(-1f, y[16 + i], 1e-6);
            }
            NDArray x = m.randomNormal(new Shape(2, 3, 5, 5));
            assertArrayEquals(x.toFloatArray(), Resize.bicubic(x, 5, 5).toFloatArray(), 0f);
            assertArrayEquals(x.toFloatArray(), Resize.area(x, 5, 5).toFloatArray(), 0f);
        }
    }

    @Test
    void matricesRowsSumToOne() {
        for (int[] io : new int[][] {{1, 16}, {3, 8}, {13, 16}, {16, 13}, {6, 8}}) {
            float[] b = Resize.bicubicMatrix(io[0], io[1]);
            float[] a = Resize.areaMatrix(io[0], io[1]);
            for (int r = 0; r < io[1]; r++) {
                double sb = 0, sa = 0;
                for (int c = 0; c < io[0]; c++) {
                    sb += b[r * io[0] + c];
                    sa += a[r * io[0] + c];
                }
                assertEquals(1.0, sb, 1e-6, "bicubic " + io[0] + "->" + io[1] + " row " + r);
                assertEquals(1.0, sa, 1e-6, "area " + io[0] + "->" + io[1] + " row " + r);
            }
        }
    }
}
