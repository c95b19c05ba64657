package org.nextscale.core.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nextscale.core.api.Image;
import org.nextscale.core.data.FashionMnist;
import org.nextscale.core.data.LabeledImages;

class ImageMetricsTest {
    static LabeledImages test;

    @BeforeAll
    static void load() throws IOException {
        test = FashionMnist.load(FashionMnist.defaultDir(), false, 2);
    }

    @Test
    void identicalImagesHaveInfinitePsnrAndSsimOne() {
        float[] a = test.images()[0];
        assertEquals(Double.POSITIVE_INFINITY, ImageMetrics.psnr(a, a.clone()));
        assertEquals(1.0, ImageMetrics.ssim(a, a.clone(), 28, 28), 1e-12);
    }

    @Test
    void psnrOfAKnownNoiseLevel() {
        // +-0.1 noise on values in [0.2, 0.8]: MSE is exactly 0.01, so PSNR = 20 dB
        Random rnd = new Random(1);
        float[] a = new float[32 * 32], b = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = 0.2f + 0.6f * rnd.nextFloat();
            b[i] = a[i] + (rnd.nextBoolean() ? 0.1f : -0.1f);
        }
        assertEquals(20.0, ImageMetrics.psnr(a, b), 1e-5);
    }

    @Test
    void psnrOfImagesChecksTheirShapes() {
        Image a = new Image(1, 1, 4, new float[] {0, 0, 0, 0});
        Image b = new Image(1, 1, 4, new float[] {0.1f, 0.1f, 0.1f, 0.1f});
        assertEquals(20.0, ImageMetrics.psnr(a, b), 1e-5);
        assertEquals(Double.POSITIVE_INFINITY, ImageMetrics.psnr(a, a));
        // same number of values, other shape: refused rather than compared pixel by pixel
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageMetrics.psnr(a, new Image(1, 2, 2, new float[4])));
        assertTrue(e.getMessage().contains("same size"), e.getMessage());
    }

    @Test
    void ssimOfConstantImagesIsTheLuminanceTerm() {
        // constant images have zero variance: SSIM = (2 a b + C1) / (a^2 + b^2 + C1)
        float[] a = new float[28 * 28], b = new float[28 * 28];
        java.util.Arrays.fill(a, 0.3f);
        java.util.Arrays.fill(b, 0.6f);
        double c1 = 1e-4, va = 0.3f, vb = 0.6f;
        assertEquals((2 * va * vb + c1) / (va * va + vb * vb + c1), ImageMetrics.ssim(a, b, 28, 28), 1e-9);
    }

    @Test
    void matchesScikitImageOnRealImages() {
        // reference: skimage 0.19 structural_similarity(gaussian_weights=True, sigma=1.5,
        // use_sample_covariance=False, data_range=1) and peak_signal_noise_ratio, reimplemented with
        // scipy.ndimage.gaussian_filter(truncate=3.5) in float64 on the same float32 inputs
        float[] a = test.images()[0], b = test.images()[1];
        float[] c = new float[a.length];
        for (int i = 0; i < a.length; i++) c[i] = a[i] * 0.8f + 0.1f;
        assertEquals(0.022878679343249005, ImageMetrics.ssim(a, b, 28, 28), 1e-9);
        assertEquals(4.91901777043451, ImageMetrics.psnr(a, b), 1e-9);
        assertEquals(0.701744612149776, ImageMetrics.ssim(a, c, 28, 28), 1e-9);
        assertEquals(21.34921400611531, ImageMetrics.psnr(a, c), 1e-9);
    }

    @Test
    void ssimDropsWithNoise() {
        float[] a = test.images()[0];
        Random rnd = new Random(2);
        double last = 1.0;
        for (float sigma : new float[] {0.02f, 0.1f, 0.3f}) {
            float[] b = new float[a.length];
            for (int i = 0; i < a.length; i++) b[i] = a[i] + sigma * (float) rnd.nextGaussian();
            double s = ImageMetrics.ssim(a, b, 28, 28);
            assertTrue(s < last, "SSIM must fall as noise grows: " + s + " after " + last);
            last = s;
        }
        assertTrue(last < 0.5, "SSIM with noise sigma 0.3 should be low, got " + last);
    }

    @Test
    void rejectsMismatchedSizes() {
        assertThrows(IllegalArgumentException.class, () -> ImageMetrics.psnr(new float[4], new float[5]));
        assertThrows(IllegalArgumentException.class, () -> ImageMetrics.ssim(new float[100], new float[100], 10, 10));
    }

    @Test
    void gaussianBlurKeepsFlatImagesAndSpreadsAnImpulseAsTheKernel() {
        float[] flat = new float[12 * 9];
        java.util.Arrays.fill(flat, 0.4f);
        for (float v : ImageMetrics.gaussianBlur(flat, 12, 9, 0.8)) assertEquals(0.4f, v, 1e-6f);
        float[] impulse = new float[15 * 15];
        impulse[7 * 15 + 7] = 1f;
        float[] b = ImageMetrics.gaussianBlur(impulse, 15, 15, 0.5);
        double sum = 0;
        for (float v : b) sum += v;
        assertEquals(1.0, sum, 1e-6);
        double[] k = ImageMetrics.gaussian(0.5, 2);
        assertEquals(k[2] * k[2], b[7 * 15 + 7], 1e-6);
        assertEquals(k[2] * k[3], b[7 * 15 + 8], 1e-6);
        assertEquals(k[1] * k[3], b[6 * 15 + 8], 1e-6);
        assertEquals(0f, b[0]);
    }
}
