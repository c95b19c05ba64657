package org.nextscale.core.eval;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.util.List;

/**
 * Numbers of one evaluation run. {@code toJson()} holds the keys scripts rely on (psnr, ssim, fd,
 * fd_floor, sample_accuracy, real_accuracy, precision, recall, n) plus per-class accuracies, the
 * ratios the project's targets are stated in, and timings. Values that are not finite (PSNR of a
 * perfect reconstruction, metrics that were not measured) are written as JSON null.
 *
 * @param n                   generated samples = real test images = real training images used (balanced over classes)
 * @param reconstructed       test images reconstructed for PSNR/SSIM (0 when not measured)
 * @param psnr                mean tokenizer PSNR over those images, dB
 * @param ssim                mean tokenizer SSIM over those images
 * @param fd                  Frechet distance, generated vs real test images, classifier features
 * @param fdFloor             the same distance between n real training images and the n test images
 * @param sampleAccuracy      fraction of class-conditional samples the classifier assigns to their class
 * @param realAccuracy        the classifier's accuracy on the n real test images
 * @param precision           k-NN precision of the samples against the test images
 * @param recall              k-NN recall
 */
public record EvalResult(int n, long seed, int k, int reconstructed, double psnr, double ssim, double fd, double fdFloor,
                         double sampleAccuracy, double realAccuracy, double[] sampleClassAccuracy,
                         double[] realClassAccuracy, double precision, double recall, List<String> classNames,
                         double sampleSeconds, double seconds) {

    /** Targets for the shipped model: accuracy ratio >= 0.9, FD <= 2x floor, PSNR >= 24 dB. */
    public static final double TARGET_ACCURACY_RATIO = 0.9, TARGET_FD_RATIO = 2.0, TARGET_PSNR = 24.0;

    public double accuracyRatio() {
        return sampleAccuracy / realAccuracy;
    }

    public double fdRatio() {
        return fd / fdFloor;
    }

    public JsonObject toJsonObject() {
        JsonObject o = new JsonObject();
        o.addProperty("n", n);
        o.addProperty("seed", seed);
        o.addProperty("k", k);
        o.addProperty("reconstructed", reconstructed);
        put(o, "psnr", psnr);
        put(o, "ssim", ssim);
        put(o, "fd", fd);
        put(o, "fd_floor", fdFloor);
        put(o, "fd_ratio", fdRatio());
        put(o, "sample_accuracy", sampleAccuracy);
        put(o, "real_accuracy", realAccuracy);
        put(o, "accuracy_ratio", accuracyRatio());
        put(o, "precision", precision);
        put(o, "recall", recall);
        JsonObject perClass = new JsonObject();
        for (int c = 0; c < classNames.size(); c++) {
            JsonObject pc = new JsonObject();
            put(pc, "sample_accuracy", sampleClassAccuracy[c]);
            put(pc, "real_accuracy", realClassAccuracy[c]);
            perClass.add(classNames.get(c), pc);
        }
        o.add("per_class", perClass);
        JsonObject targets = new JsonObject();
        targets.addProperty("accuracy_ratio_at_least_0.9", accuracyRatio() >= TARGET_ACCURACY_RATIO);
        targets.addProperty("fd_at_most_2x_floor", fdRatio() <= TARGET_FD_RATIO);
        targets.addProperty("psnr_at_least_24", psnr >= TARGET_PSNR);
        o.add("targets_met", targets);
        put(o, "sample_seconds", sampleSeconds);
        put(o, "seconds", seconds);
        return o;
    }

    /** One JSON object on one line. */
    public String toJson() {
        return new GsonBuilder().serializeNulls().create().toJson(toJsonObject());
    }

    /** A human-readable report: headline numbers with their targets, then per-class accuracy. */
    public String toTable() {
        StringBuilder s = new StringBuilder();
        s.append(String.format("evaluation on %d samples (seed %d, balanced over %d classes)%n", n, seed, classNames.size()));
        s.append(String.format("  %-28s %10s   %s%n", "metric", "value", "target"));
        row(s, "tokenizer PSNR (dB)", psnr, String.format(">= %.0f  (%d test images)", TARGET_PSNR, reconstructed));
        row(s, "tokenizer SSIM", ssim, "");
        row(s, "FD (samples vs test)", fd, String.format("<= %.1f  (2x floor)", TARGET_FD_RATIO * fdFloor));
        row(s, "FD floor (train vs test)", fdFloor, "");
        row(s, "sample class accuracy", sampleAccuracy, String.format(">= %.3f  (0.9x real)", TARGET_ACCURACY_RATIO * realAccuracy));
        row(s, "real test accuracy", realAccuracy, "");
        row(s, "precision (k=" + k + ")", precision, "");
        row(s, "recall (k=" + k + ")", recall, "");
        s.append(String.format("  per class:%n  %-14s %8s %8s%n", "class", "samples", "real"));
        for (int c = 0; c < classNames.size(); c++)
            s.append(String.format("  %-14s %8.3f %8.3f%n", classNames.get(c), sampleClassAccuracy[c], realClassAccuracy[c]));
        s.append(String.format("  %.0f s (sampling %.0f s)%n", seconds, sampleSeconds));
        return s.toString();
    }

    private static void row(StringBuilder s, String name, double v, String target) {
        s.append(String.format("  %-28s %10s   %s%n", name, Double.isNaN(v) ? "-" : String.format("%.4f", v), target));
    }

    private static void put(JsonObject o, String key, double v) {
        if (Double.isFinite(v)) o.addProperty(key, v);
        else o.add(key, com.google.gson.JsonNull.INSTANCE);
    }
}
