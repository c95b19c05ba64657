package org.nextscale.core.api;

import java.util.Locale;

/** How far out-painting grows the canvas past each border of the image, in the image's pixels. */
public record Extension(int top, int bottom, int left, int right) {
    /** The most any side may grow: four times the largest image side read. */
    public static final int MAX = 16384;
    public static final Extension NONE = new Extension(0, 0, 0, 0);

    public Extension {
        for (int v : new int[] {top, bottom, left, right})
            if (v < 0 || v > MAX) throw new IllegalArgumentException("extend: each side grows by 0 to " + MAX + " px, got " + v);
    }

    public boolean isNone() {
        return top == 0 && bottom == 0 && left == 0 && right == 0;
    }

    /** Parses "left=64,right=64" (sides top, bottom, left, right; ':' also separates) or one number N for all four. */
    public static Extension parse(String spec) {
        if (spec == null || spec.isBlank()) return NONE;
        String s = spec.trim().toLowerCase(Locale.ROOT);
        int[] v = new int[4];
        try {
            if (s.matches("\\d+")) {
                int n = Integer.parseInt(s);
                return new Extension(n, n, n, n);
            }
            for (String part : s.split("\\s*[, ]\\s*")) {
                String[] kv = part.split("\\s*[=:]\\s*");
                if (kv.length != 2) throw new IllegalArgumentException();
                int n = Integer.parseInt(kv[1]);
                switch (kv[0]) {
                    case "top" -> v[0] = n;
                    case "bottom" -> v[1] = n;
                    case "left" -> v[2] = n;
                    case "right" -> v[3] = n;
                    default -> throw new IllegalArgumentException();
                }
            }
            return new Extension(v[0], v[1], v[2], v[3]);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("extend:")) throw e;
            throw new IllegalArgumentException("extend must be sides and pixels such as left=64,right=64 (sides: top, bottom, left, right) "
                    + "or one number for all four, got '" + spec + "'");
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "top=%d,bottom=%d,left=%d,right=%d", top, bottom, left, right);
    }
}
