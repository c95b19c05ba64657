package org.nextscale.core.api;

import java.util.Arrays;
import java.util.Locale;

/**
 * The raw pixel values that map to the model's 0 and 1: {@code unit = (raw - low) / (high - low)}, and back
 * {@code raw = low + unit (high - low)}. 8-bit data use 0..255; 16-bit and 32-bit data use, by default, a
 * robust range of the data themselves (the {@link #LOW_PERCENTILE} and {@link #HIGH_PERCENTILE} percentiles),
 * so a 12-bit image in a 16-bit file (0-4095) is not divided by 65535 and comes back in its own range. Fiji
 * uses the image's display range instead. Values outside the range pass on unclamped; the model's outputs are
 * clamped to [0, 1], so results lie within the range.
 */
public record ValueRange(double low, double high) {
    public static final double LOW_PERCENTILE = 0.1, HIGH_PERCENTILE = 99.9;
    public static final ValueRange UNIT = new ValueRange(0, 1), BYTE = new ValueRange(0, 255), SHORT = new ValueRange(0, 65535);

    public ValueRange {
        if (!(Double.isFinite(low) && Double.isFinite(high) && high > low))
            throw new IllegalArgumentException(String.format(Locale.ROOT, "a value range needs low < high, got %s..%s", low, high));
    }

    /**
     * The range for raw data of {@code bits} (8, 16 or 32) given as the option "range": "auto" (8-bit: 0..255;
     * 16/32-bit: the data's robust range), "full" (0..255, 0..65535; 32-bit: min..max) or "LOW,HIGH".
     */
    public static ValueRange resolve(String spec, float[] raw, int bits) {
        String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty() || s.equals("auto")) return bits == 8 ? BYTE : robust(raw);
        if (s.equals("full")) return bits == 8 ? BYTE : bits == 16 ? SHORT : minMax(raw);
        String[] p = s.split("\\s*,\\s*");
        try {
            if (p.length == 2) {
                double lo = Double.parseDouble(p[0]), hi = Double.parseDouble(p[1]);
                if (Double.isFinite(lo) && Double.isFinite(hi) && hi > lo) return new ValueRange(lo, hi);
            }
        } catch (NumberFormatException ignored) {
            // falls through to the message
        }
        throw new IllegalArgumentException("range must be auto, full, or LOW,HIGH with LOW < HIGH (e.g. 0,4095), got '" + spec + "'");
    }

    /** The data's {@link #LOW_PERCENTILE}..{@link #HIGH_PERCENTILE} percentiles (min..max where those coincide). */
    public static ValueRange robust(float[] raw) {
        float[] sample = sortedSample(raw);
        double lo = at(sample, LOW_PERCENTILE), hi = at(sample, HIGH_PERCENTILE);
        if (hi > lo) return new ValueRange(lo, hi);
        return minMax(raw);
    }

    /** The {@code percentile} (0..100) of the values, on at most 2^20 of them spread evenly over the array. */
    public static double percentile(float[] values, double percentile) {
        return at(sortedSample(values), percentile);
    }

    /** min..max of the data; 0..1 around a constant image. */
    public static ValueRange minMax(float[] raw) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (float v : raw) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return hi > lo ? new ValueRange(lo, hi) : new ValueRange(lo, lo + 1);
    }

    /** A raw image (values as stored) in the model's units. */
    public Image toUnit(Image raw) {
        float[] d = raw.data(), out = new float[d.length];
        double span = high - low;
        for (int i = 0; i < d.length; i++) out[i] = (float) ((d[i] - low) / span);
        return new Image(raw.channels(), raw.height(), raw.width(), out);
    }

    /** An image in the model's units back in raw values. */
    public Image fromUnit(Image unit) {
        float[] d = unit.data(), out = new float[d.length];
        double span = high - low;
        for (int i = 0; i < d.length; i++) out[i] = (float) (low + d[i] * span);
        return new Image(unit.channels(), unit.height(), unit.width(), out);
    }

    private static float[] sortedSample(float[] raw) {
        int max = 1 << 20;
        float[] s;
        if (raw.length <= max) s = raw.clone();
        else {
            s = new float[max];
            double step = (double) raw.length / max;
            for (int i = 0; i < max; i++) s[i] = raw[(int) (i * step)];
        }
        Arrays.sort(s);
        return s;
    }

    private static double at(float[] sorted, double percentile) {
        int i = (int) Math.round(percentile / 100 * (sorted.length - 1));
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s..%s", fmt(low), fmt(high));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.6g", v);
    }
}
