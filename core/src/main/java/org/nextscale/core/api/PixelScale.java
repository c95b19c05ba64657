package org.nextscale.core.api;

import java.util.Locale;

/**
 * How many image pixels one model pixel covers, for every image operation (tokenize, reconstruct, edits):
 * the option "scale" of every front end.
 * <ul>
 *   <li>{@code auto} (the default): an image larger than the model on either side is worked on at the model's own
 *       scale (one model pixel is one image pixel), in tiles or windows; an image no larger than the model keeps
 *       the whole-image rule ({@link ImageAdapter}: a little smaller is zero-padded, much smaller is resized).</li>
 *   <li>a number {@code s} (e.g. {@code 2}): the image is first resized to 1/s of its size (2 = half resolution,
 *       for selections larger than one window), worked on as above, and the result resized back.</li>
 *   <li>{@code fit}: the whole image is fitted to the model's square, as before (fast, loses detail on large images).</li>
 * </ul>
 */
public record PixelScale(boolean fit, double factor) {
    /** The smallest and largest factor accepted: below 1/4 a 2k image would be a 64-megapixel working image. */
    public static final double MIN_FACTOR = 0.25, MAX_FACTOR = 256;

    public static final PixelScale AUTO = new PixelScale(false, 1);
    public static final PixelScale FIT = new PixelScale(true, 0);

    public PixelScale {
        if (!fit && !(factor >= MIN_FACTOR && factor <= MAX_FACTOR)) throw new IllegalArgumentException(invalid(String.valueOf(factor)));
    }

    /** Parses "auto", "fit" or a number of image pixels per model pixel (0.25 to 256); anything else is one clear line. */
    public static PixelScale parse(String spec) {
        if (spec == null || spec.isBlank() || spec.trim().equalsIgnoreCase("auto")) return AUTO;
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("fit")) return FIT;
        double f;
        try {
            f = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(invalid(spec));
        }
        if (!(f >= MIN_FACTOR && f <= MAX_FACTOR)) throw new IllegalArgumentException(invalid(spec));
        return new PixelScale(false, f);
    }

    private static String invalid(String spec) {
        return "scale must be auto, fit, or the image pixels per model pixel as a number from " + MIN_FACTOR + " to " + (int) MAX_FACTOR
                + " (1 = the image's own resolution, 2 = half resolution), got '" + spec + "'";
    }

    /** The size (h, w) the image is worked on at: 1/factor of its own, at least one pixel a side. */
    public int[] workingSize(int height, int width) {
        if (fit || factor == 1) return new int[] {height, width};
        int h = (int) Math.round(height / factor), w = (int) Math.round(width / factor);
        if (h < ImageAdapter.MIN_SIDE || w < ImageAdapter.MIN_SIDE)
            throw new IllegalArgumentException(String.format(Locale.ROOT, "scale %s makes the %dx%d px image %dx%d px, too small to work on "
                    + "(at least %d px a side): use a smaller scale, or auto", this, width, height, w, h, ImageAdapter.MIN_SIDE));
        return new int[] {h, w};
    }

    /** True when an image of (h, w) pixels is processed as a whole (the model-size rule) rather than in tiles or windows. */
    public boolean whole(int height, int width, int modelSide) {
        if (fit) return true;
        int[] hw = workingSize(height, width);
        return hw[0] <= modelSide && hw[1] <= modelSide;
    }

    @Override
    public String toString() {
        if (fit) return "fit";
        if (equals(AUTO)) return "auto";
        return factor == Math.rint(factor) ? String.valueOf((long) factor) : String.valueOf(factor);
    }
}
