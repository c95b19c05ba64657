package org.nextscale.core.data;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.PixelScale;

/**
 * What a trainer learns from, opened from the data option, with its validation split.
 * <ul>
 *   <li><b>Whole images</b>: Fashion-MNIST, synthetic shapes, or a folder of single images no larger than the model at
 *       the pixel scale (or any folder of equal-sized images with scale=fit): each image is one sample, fitted to the
 *       model as inference fits it; a fixed-seed choice of round(val x N) images is held out.</li>
 *   <li><b>Patches</b>: any other folder, file or list of files (images larger than the model, of different sizes,
 *       multi-page TIFF stacks): random patches of the model's side at the pixel scale ({@link Patches}).</li>
 * </ul>
 * A batch is a pure function of (seed, step), so resuming draws the same batches.
 */
public final class TrainingData {
    /** The data options of both trainers (see TrainOptions for their meaning). */
    public record Options(String spec, int limit, int side, int channels, String scale, String range, double val, boolean valGiven,
                          double foreground, String augment, boolean flip, long seed) {
        /** The validation fraction to use for {@code n} samples: the default one is dropped for sets too small to split (fewer than 10). */
        double valFor(long n) {
            return !valGiven && n < MIN_SPLIT ? 0 : val;
        }
    }

    /** Fewer whole images than this train without the default validation split (a given val still applies). */
    public static final int MIN_SPLIT = 10;

    /** One batch: (B, C, side, side) pixels in [-1, 1] and class labels. */
    public record Batch(float[] pixels, long[] labels) {
        public int size() {
            return labels.length;
        }
    }

    private final Options options;
    private final LabeledImages train, validation;    // whole images
    private final Patches patches;
    private final String description, summary;
    private DataOrder order;

    private TrainingData(Options options, LabeledImages train, LabeledImages validation, Patches patches, String description, String summary) {
        this.summary = summary;
        this.options = options;
        this.train = train;
        this.validation = validation;
        this.patches = patches;
        this.description = description;
    }

    /** Opens the data of {@code o} (validated by TrainOptions). */
    public static TrainingData open(Options o, CancelToken cancel) throws IOException {
        String s = o.spec() == null ? "" : o.spec().trim();
        String lower = s.toLowerCase(Locale.ROOT);
        PixelScale scale = PixelScale.parse(o.scale());
        if (lower.startsWith("fashion-mnist") || lower.startsWith("synthetic") || s.isEmpty())
            return whole(o, Datasets.open(s, o.limit(), o.side(), o.channels(), o.seed()), s);
        SourceImages.FileList files = SourceImages.list(s);
        List<SourceImages.Header> headers = SourceImages.headers(files.files());
        boolean whole = scale.fit() || headers.stream().allMatch(h -> h.pages() == 1 && scale.whole(h.height(), h.width(), o.side()));
        if (whole) return whole(o, Datasets.open(s, o.limit(), o.side(), o.channels(), o.seed()), s);
        if (o.limit() > 0 && files.files().size() > o.limit())
            files = new SourceImages.FileList(files.files().subList(0, o.limit()), files.labels().subList(0, o.limit()), files.classNames());
        SourceImages src = SourceImages.read(files, o.channels(), scale, o.range(), cancel);
        Patches.Augment aug = augment(o, true);
        Patches p = new Patches(src, o.side(), o.val(), o.valGiven(), o.foreground(), aug);
        String d = String.format(Locale.ROOT, "%s: %s; patches of %d px, %s, foreground filter %s, %s", s, src.describe(scale), o.side(),
                augmentWords(aug), o.foreground() > 0 ? String.valueOf(o.foreground()) : "off", p.split());
        String summary = String.format(Locale.ROOT, "%d image%s of %s (%d-px patches at scale %s)", src.pages().size(), src.pages().size() == 1 ? "" : "s",
                java.nio.file.Path.of(s.split(",")[0].trim()).getFileName(), o.side(), scale);
        return new TrainingData(o, null, null, p, d, summary);
    }

    /**
     * Which of {@code n} samples are held out for validation: round(val x n) of them (at least one when val > 0), chosen
     * with the split's fixed seed, so every run on the same data holds out the same ones; null when val is 0.
     */
    public static boolean[] heldOut(int n, double val) {
        if (val <= 0) return null;
        if (n < 2) throw new IllegalArgumentException("val=" + val + " needs at least 2 images to hold some out, the data have " + n
                + ": give more images, or val=0");
        int k = (int) Math.max(1, Math.round(val * n));
        if (k >= n) throw new IllegalArgumentException("val=" + val + " leaves no training data of " + n + " images: use a smaller val");
        boolean[] held = new boolean[n];
        int[] perm = SeededRandom.of(Patches.SPLIT_SEED).permutation(n);
        for (int i = 0; i < k; i++) held[perm[i]] = true;
        return held;
    }

    private static TrainingData whole(Options o, LabeledImages all, String spec) {
        boolean[] held = heldOut(all.size(), o.valFor(all.size()));
        int n = all.size(), k = 0;
        LabeledImages train = all, val = null;
        if (held != null) {
            for (boolean h : held) if (h) k++;
            train = pick(all, held, false);
            val = pick(all, held, true);
        }
        String d = String.format(Locale.ROOT, "%s: %d images %dx%dx%d, %d class%s; %s", spec.isEmpty() ? "data" : spec, n, all.channels(), all.height(),
                all.width(), all.numClasses(), all.numClasses() == 1 ? "" : "es",
                k > 0 ? k + " held out for validation (val=" + o.val() + ")"
                        : o.val() > 0 ? "no validation split (fewer than " + MIN_SPLIT + " images; give val to split anyway)" : "no validation split (val=0)");
        String summary = spec.toLowerCase(Locale.ROOT).startsWith("fashion-mnist") ? "Fashion-MNIST clothing (" + n + " images)"
                : String.format(Locale.ROOT, "%d images of %s", n, spec.isEmpty() ? "data" : java.nio.file.Path.of(spec).getFileName());
        return new TrainingData(o, train, val, null, d, summary);
    }

    private static LabeledImages pick(LabeledImages all, boolean[] held, boolean want) {
        List<float[]> img = new ArrayList<>();
        List<Integer> lab = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) if (held[i] == want) { img.add(all.images()[i]); lab.add(all.labels()[i]); }
        return new LabeledImages(img.toArray(new float[0][]), lab.stream().mapToInt(Integer::intValue).toArray(), all.classNames(),
                all.channels(), all.height(), all.width());
    }

    private static Patches.Augment augment(Options o, boolean patches) {
        String a = o.augment() == null ? "auto" : o.augment().trim().toLowerCase(Locale.ROOT);
        return switch (a) {
            case "auto", "" -> patches ? Patches.Augment.DIHEDRAL : o.flip() ? Patches.Augment.FLIP : Patches.Augment.NONE;
            case "none" -> Patches.Augment.NONE;
            case "flip" -> Patches.Augment.FLIP;
            case "dihedral" -> Patches.Augment.DIHEDRAL;
            default -> throw new IllegalArgumentException("training option augment must be auto, none, flip or dihedral, got '" + o.augment() + "'");
        };
    }

    private static String augmentWords(Patches.Augment a) {
        return switch (a) {
            case NONE -> "no flips or rotations";
            case FLIP -> "random left-right flips";
            case DIHEDRAL -> "random flips and 90-degree rotations";
        };
    }

    /** True when training draws patches from larger images; false for whole images. */
    public boolean isPatches() {
        return patches != null;
    }

    public Patches patches() {
        return patches;
    }

    /** The training images (whole images only). */
    public LabeledImages trainImages() {
        return train;
    }

    public List<String> classNames() {
        return patches != null ? patches.classNames() : train.classNames();
    }

    public int numClasses() {
        return classNames().size();
    }

    public int channels() {
        return patches != null ? patches.channels() : train.channels();
    }

    /** Training samples: whole images, or non-overlapping patches' worth of training pixels. */
    public long size() {
        return patches != null ? patches.distinctPatches() : train.size();
    }

    public String describe() {
        return description;
    }

    /** Whether every image is flipped or rotated at random (whole images: the flip option; patches: the augment option). */
    public boolean flips() {
        return augment(options, patches != null) != Patches.Augment.NONE;
    }

    /** Whole images: which images make up each step and whether each is flipped. */
    public synchronized DataOrder order(int batch) {
        if (patches != null) throw new IllegalStateException("patch data have no image order");
        if (order == null || order.batch() != batch) order = new DataOrder(train.size(), batch, options.seed(), flips());
        return order;
    }

    /** The batch of step {@code step}: a pure function of (seed, step). */
    public Batch batch(long step, int batch) {
        if (patches != null) {
            Patches.Batch b = patches.batch(options.seed(), step, batch);
            return new Batch(b.pixels(), b.labels());
        }
        DataOrder o = order(batch);
        int[] idx = o.indices(step);
        long[] labels = new long[idx.length];
        for (int i = 0; i < idx.length; i++) labels[i] = train.labels()[idx[i]];
        return new Batch(pixels(train, idx, o.flips(step)), labels);
    }

    /** At most {@code max} held-out samples, always the same ones; empty without a split. */
    public Batch validation(int max) {
        if (patches != null) {
            Patches.Batch b = patches.validation(max);
            return new Batch(b.pixels(), b.labels());
        }
        if (validation == null) return new Batch(new float[0], new long[0]);
        int n = Math.min(max, validation.size());
        int[] idx = new int[n];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) { idx[i] = i; labels[i] = validation.labels()[i]; }
        return new Batch(pixels(validation, idx, new boolean[n]), labels);
    }

    public boolean hasValidation() {
        return patches != null ? patches.hasValidation() : validation != null && validation.size() > 0;
    }

    /** What the model file records of its data: the option, the split, sizes. */
    public JsonObject record() {
        JsonObject j = new JsonObject();
        j.addProperty("data", options.spec());
        j.addProperty("description", description);
        j.addProperty("summary", summary);
        j.addProperty("kind", patches != null ? "patches" : "whole images");
        j.addProperty("val", options.val());
        j.addProperty("scale", options.scale());
        if (patches != null) {
            j.addProperty("foreground", options.foreground());
            j.addProperty("distinct_patches", patches.distinctPatches());
            j.addProperty("patch_positions", patches.trainPositions());
            j.addProperty("split", patches.split());
        } else {
            j.addProperty("train_images", train.size());
            j.addProperty("validation_images", validation == null ? 0 : validation.size());
        }
        return j;
    }

    /** The images {@code idx} as (B, C, H, W) floats in [-1, 1], flipped left-right where asked. */
    public static float[] pixels(LabeledImages data, int[] idx, boolean[] flips) {
        int n = data.channels() * data.height() * data.width();
        float[] px = new float[idx.length * n];
        float[] tmp = new float[n];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(data.images()[idx[i]], 0, tmp, 0, n);
            if (flips[i]) DataOrder.flipInPlace(tmp, data.channels(), data.height(), data.width());
            for (int j = 0; j < n; j++) px[i * n + j] = tmp[j] * 2f - 1f;
        }
        return px;
    }
}
