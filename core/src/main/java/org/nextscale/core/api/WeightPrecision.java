package org.nextscale.core.api;

import java.util.Locale;

/**
 * How a loaded model holds its transformer's weight matrices in memory. FLOAT32 (the default) is the
 * file's precision and the reference's. FLOAT16 halves the memory of every Linear weight of the transformer
 * (blocks and head: 73% of VAR-d16's 419 M parameters) and casts each to float32 for the call that uses it,
 * so all arithmetic stays float32; the weights themselves are rounded to float16 (11-bit mantissa), so
 * samples differ slightly from float32's. Passed to {@link VarModel#load(java.nio.file.Path, ai.djl.Device,
 * ProgressListener, WeightPrecision)}; the loads that take none use {@link #configured()}: the system property
 * {@code nextscale.weights} or the environment variable {@code NEXTSCALE_WEIGHTS} (float32 or float16), so every
 * front end honours it. Training always loads float32.
 */
public enum WeightPrecision {
    FLOAT32, FLOAT16;

    public static final String PROPERTY = "nextscale.weights", ENV = "NEXTSCALE_WEIGHTS";

    /** The precision the property, else the environment variable, asks for; float32 when neither is set. */
    public static WeightPrecision configured() {
        String v = System.getProperty(PROPERTY);
        String from = "-D" + PROPERTY;
        if (v == null || v.isBlank()) {
            v = System.getenv(ENV);
            from = ENV;
        }
        if (v == null || v.isBlank()) return FLOAT32;
        return parse(v, from);
    }

    /** float32 or float16 (also fp32/fp16); anything else is refused naming {@code from}. */
    public static WeightPrecision parse(String value, String from) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "float32", "fp32", "f32": return FLOAT32;
            case "float16", "fp16", "f16", "half": return FLOAT16;
            default: throw new IllegalArgumentException(from + " is '" + value + "': use float32 (the default) or float16");
        }
    }

    /** Whether tensor {@code name} of {@code shape} is held as float16 in memory under this precision. */
    public boolean halves(String name, long[] shape) {
        return this == FLOAT16 && shape.length == 2 && name.endsWith(".weight")
                && (name.startsWith("var.blocks.") || name.equals("var.head.weight"));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
