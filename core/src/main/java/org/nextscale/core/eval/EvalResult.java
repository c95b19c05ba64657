package org.nextscale.core.eval;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.util.List;

/**
 * Numbers of one evaluation run. {@code toJson()} holds the keys scripts rely on (psnr, ssim, fd,
 * fd_floor, fd_reconstruction, fd_blur, sample_accuracy, real_accuracy, precision, recall, n) plus per-class
 * accuracies, the ratios the project's targets are stated in, and timings. Values that are not finite
 * (PSNR of a perfect reconstruction, metrics that were not measured, such as the sample metrics of a
 * tokenizer-only model) are written as JSON null, and so are targets that were not measured.
 *
 * @param n                   real test images = real training images used (balanced over classes) = samples requested
 * @param samples             samples generated (n, or 0 for a model without a transformer)
 * @param reconstructed       test images reconstructed for PSNR/SSIM (0 when not measured)
 * @param psnr                mean tokenizer PSNR over those images, dB
 * @param ssim                mean tokenizer SSIM over those images
 * @param fd                  Frechet distance, generated vs real test images, classifier features
 * @param fdFloor             the same distance between n real training images and the n test images
 * @param fdReconstruction    the same distance between the tokenizer's reconstructions of those n training
 *                            images and the n test images: the best FD a generator decoding through this
 *                            tokenizer can be expected to reach (floor &lt;= this &lt;= fd)
 * @param fdBlur              the same distance for those n training images blurred by a Gaussian of
 *                            {@link Evaluator#BLUR_SIGMA} pixels: a yardstick of how hard the classifier's
 *                            features punish softness, to read the other distances against
 * @param sampleAccuracy      fraction of class-conditional samples the classifier assigns to their class
 * @param realAccuracy        the classifier's accuracy on the n real test images
 * @param precision           k-NN precision of the samples against the test images
 * @param recall              k-NN recall
 */
public record EvalResult(int n, long seed, int k, int samples, int reconstructed, double psnr, double ssim, double fd,
                         double fdFloor, double fdReconstruction, double fdBlur,
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
        o.addProperty("samples", samples);
        o.addProperty("reconstructed", reconstructed);
        put(o, "psnr", psnr);
        put(o, "ssim", ssim);
        put(o, "fd", fd);
        put(o, "fd_floor", fdFloor);
        put(o, "fd_reconstruction", fdReconstruction);
        put(o, "fd_blur", fdBlur);
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
        target(targets, "accuracy_ratio_at_least_0.9", accuracyRatio(), accuracyRatio() >= TARGET_ACCURACY_RATIO);
        target(targets, "fd_at_most_2x_floor", fdRatio(), fdRatio() <= TARGET_FD_RATIO);
        target(targets, "psnr_at_least_24", reconstructed == 0 ? Double.NaN : psnr, psnr >= TARGET_PSNR);
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
        row(s, "FD reconstructions vs test", fdReconstruction, "(training images through the tokenizer: the best FD to expect)");
        row(s, "FD blurred train vs test", fdBlur, String.format("(training images blurred by sigma %.1f px: how much softness costs)", Evaluator.BLUR_SIGMA));
        row(s, "sample class accuracy", sampleAccuracy, String.format(">= %.3f  (0.9x real)", TARGET_ACCURACY_RATIO * realAccuracy));
        row(s, "real test accuracy", realAccuracy, "");
        row(s, "precision (k=" + k + ")", precision, "");
        row(s, "recall (k=" + k + ")", recall, "");
        if (samples == 0)
            s.append(String.format("  no samples: this model has no transformer; FD, sample accuracy, precision and recall%n"
                    + "  need a model trained with 'nextscale train' (tokenizer + transformer)%n"));
        s.append(String.format("  per class:%n  %-14s %8s %8s%n", "class", "samples", "real"));
        for (int c = 0; c < classNames.size(); c++)
            s.append(String.format("  %-14s %8s %8.3f%n", classNames.get(c), samples == 0 ? "-" : String.format("%.3f", sampleClassAccuracy[c]),
                    realClassAccuracy[c]));
        s.append(String.format("  %.0f s (sampling %.0f s)%n", seconds, sampleSeconds));
        return s.toString();
    }

    private static void row(StringBuilder s, String name, double v, String target) {
        s.append(String.format("  %-28s %10s   %s%n", name, Double.isNaN(v) ? "-" : String.format("%.4f", v), target));
    }

    /** true/false when the value was measured, null when not. */
    private static void target(JsonObject o, String key, double value, boolean met) {
        if (Double.isNaN(value)) o.add(key, com.google.gson.JsonNull.INSTANCE);
        else o.addProperty(key, met);
    }

    private static void put(JsonObject o, String key, double v) {
        if (Double.isFinite(v)) o.addProperty(key, v);
        else o.add(key, com.google.gson.JsonNull.INSTANCE);
    }
}
