package org.nextscale.core.eval;

import java.util.Locale;
import org.nextscale.core.api.Image;

/**
 * Reconstruction quality of gray images with values in [0, 1], computed in double precision.
 * Both follow scikit-image's definitions (peak_signal_noise_ratio, structural_similarity with
 * gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1), i.e. Wang et al. 2004.
 */
public final class ImageMetrics {
    public static final double SSIM_SIGMA = 1.5, SSIM_K1 = 0.01, SSIM_K2 = 0.03;
    /** Window radius: int(3.5 * sigma + 0.5) = 5, so an 11x11 window (skimage's truncate=3.5). */
    public static final int SSIM_RADIUS = (int) (3.5 * SSIM_SIGMA + 0.5);
    private static final double[] KERNEL = gaussian(SSIM_SIGMA, SSIM_RADIUS);

    private ImageMetrics() {}

    /** PSNR of two images of the same channels and size (any size, e.g. a reconstruction against its input). */
    public static double psnr(Image a, Image b) {
        if (a.channels() != b.channels() || a.height() != b.height() || a.width() != b.width())
            throw new IllegalArgumentException(String.format(Locale.ROOT, "PSNR needs images of the same size: %dx%dx%d vs %dx%dx%d",
                    a.channels(), a.height(), a.width(), b.channels(), b.height(), b.width()));
        return psnr(a.data(), b.data());
    }

    /** 10 log10(1 / MSE) in dB; +infinity when the images are equal. */
    public static double psnr(float[] a, float[] b) {
        checkSizes(a, b);
        double se = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            se += d * d;
        }
        double mse = se / a.length;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(1.0 / mse);
    }

    /**
     * Mean structural similarity of two h x w images: local means, variances and covariance under a
     * normalized Gaussian window (11x11, sigma 1.5), averaged over the positions where the window lies
     * fully inside the image (skimage crops the same 5-pixel border, so its boundary mode does not matter).
     */
    public static double ssim(float[] a, float[] b, int h, int w) {
        checkSizes(a, b);
        if (a.length != h * w) throw new IllegalArgumentException("SSIM: " + a.length + " values are not a " + h + "x" + w + " image");
        int r = SSIM_RADIUS;
        if (h <= 2 * r || w <= 2 * r) throw new IllegalArgumentException("SSIM needs images larger than " + (2 * r + 1) + " pixels per side");
        double c1 = SSIM_K1 * SSIM_K1, c2 = SSIM_K2 * SSIM_K2; // data range 1
        int vh = h - 2 * r, vw = w - 2 * r;
        // separable filtering of x, y, x^2, y^2, xy: rows first (valid columns), then columns (valid rows)
        double[][] rows = new double[5][h * vw];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < vw; x++) {
                double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
                for (int k = 0; k <= 2 * r; k++) {
                    double va = a[y * w + x + k], vb = b[y * w + x + k], g = KERNEL[k];
                    sa += g * va;
                    sb += g * vb;
                    saa += g * va * va;
                    sbb += g * vb * vb;
                    sab += g * va * vb;
                }
                int i = y * vw + x;
                rows[0][i] = sa;
                rows[1][i] = sb;
                rows[2][i] = saa;
                rows[3][i] = sbb;
                rows[4][i] = sab;
            }
        double sum = 0;
        for (int y = 0; y < vh; y++)
            for (int x = 0; x < vw; x++) {
                double[] m = new double[5];
                for (int k = 0; k <= 2 * r; k++) {
                    int i = (y + k) * vw + x;
                    for (int c = 0; c < 5; c++) m[c] += KERNEL[k] * rows[c][i];
                }
                double ux = m[0], uy = m[1];
                double vx = m[2] - ux * ux, vy = m[3] - uy * uy, vxy = m[4] - ux * uy;
                sum += (2 * ux * uy + c1) * (2 * vxy + c2) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
            }
        return sum / (vh * vw);
    }

    /**
     * An h x w image blurred by a Gaussian of {@code sigma} pixels (separable, radius ceil(4 sigma), edges
     * clamped): the softness {@code eval} calibrates its Frechet distance with.
     */
    public static float[] gaussianBlur(float[] img, int h, int w, double sigma) {
        if (img.length != h * w) throw new IllegalArgumentException("blur: " + img.length + " values are not a " + h + "x" + w + " image");
        int r = (int) Math.ceil(4 * sigma);
        double[] k = gaussian(sigma, r);
        float[] rows = new float[h * w], out = new float[h * w];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double v = 0;
                for (int d = -r; d <= r; d++) v += k[d + r] * img[y * w + Math.max(0, Math.min(w - 1, x + d))];
                rows[y * w + x] = (float) v;
            }
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double v = 0;
                for (int d = -r; d <= r; d++) v += k[d + r] * rows[Math.max(0, Math.min(h - 1, y + d)) * w + x];
                out[y * w + x] = (float) v;
            }
        return out;
    }

    /** Normalized 1-D Gaussian taps exp(-k^2 / (2 sigma^2)), k = -radius..radius (as scipy's gaussian_filter1d). */
    static double[] gaussian(double sigma, int radius) {
        double[] k = new double[2 * radius + 1];
        double s = 0;
        for (int i = -radius; i <= radius; i++) s += k[i + radius] = Math.exp(-0.5 * i * i / (sigma * sigma));
        for (int i = 0; i < k.length; i++) k[i] /= s;
        return k;
    }

    private static void checkSizes(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("images differ in size: " + a.length + " vs " + b.length + " values");
    }
}
