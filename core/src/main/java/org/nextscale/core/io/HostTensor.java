package org.nextscale.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor held in Java memory: safetensors dtype name, shape and little-endian bytes. This is the
 * currency of model files and checkpoint import; it never touches the engine, so half-precision
 * formats (which crash the engine for bf16) are converted to float32 here.
 */
public record HostTensor(String dtype, long[] shape, byte[] data) {

    public HostTensor {
        long expected = numel(shape) * bytesPerElement(dtype);
        if (expected != data.length)
            throw new IllegalArgumentException("tensor of dtype " + dtype + " and shape " + Arrays.toString(shape)
                    + " needs " + expected + " bytes, got " + data.length);
    }

    public static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }

    public long numel() {
        return numel(shape);
    }

    public static int bytesPerElement(String dtype) {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "I8", "U8", "BOOL" -> 1;
            default -> throw new IllegalArgumentException("unsupported tensor dtype " + dtype);
        };
    }

    public boolean isFloating() {
        return dtype.startsWith("F") || dtype.equals("BF16");
    }

    public static HostTensor ofFloats(float[] v, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return new HostTensor("F32", shape.clone(), b.array());
    }

    public static HostTensor ofLongs(long[] v, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(v);
        return new HostTensor("I64", shape.clone(), b.array());
    }

    /** Values as float32, converting from any floating or integer dtype. */
    public float[] toFloats() {
        int n = (int) numel();
        float[] out = new float[n];
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case "F32" -> b.asFloatBuffer().get(out);
            case "F64" -> { for (int i = 0; i < n; i++) out[i] = (float) b.getDouble(i * 8); }
            case "F16" -> { for (int i = 0; i < n; i++) out[i] = halfToFloat(b.getShort(i * 2)); }
            case "BF16" -> { for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16); }
            default -> { long[] l = toLongs(); for (int i = 0; i < n; i++) out[i] = l[i]; }
        }
        return out;
    }

    /** Values as int64, from an integer dtype (or a float dtype holding whole numbers). */
    public long[] toLongs() {
        int n = (int) numel();
        long[] out = new long[n];
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case "I64", "U64" -> b.asLongBuffer().get(out);
            case "I32", "U32" -> { for (int i = 0; i < n; i++) out[i] = b.getInt(i * 4); }
            case "I16" -> { for (int i = 0; i < n; i++) out[i] = b.getShort(i * 2); }
            case "U16" -> { for (int i = 0; i < n; i++) out[i] = b.getShort(i * 2) & 0xffff; }
            case "I8" -> { for (int i = 0; i < n; i++) out[i] = data[i]; }
            case "U8", "BOOL" -> { for (int i = 0; i < n; i++) out[i] = data[i] & 0xff; }
            default -> { float[] f = toFloats(); for (int i = 0; i < n; i++) out[i] = (long) f[i]; }
        }
        return out;
    }

    /** Float32 copy with every element converted to float16 storage (for compact model files). */
    public HostTensor toF16() {
        float[] f = toFloats();
        ByteBuffer b = ByteBuffer.allocate(f.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : f) b.putShort(floatToHalf(v));
        return new HostTensor("F16", shape, b.array());
    }

    /** An engine array: float dtypes become float32, integer dtypes int64. */
    public NDArray toNDArray(NDManager manager) {
        Shape s = new Shape(shape);
        if (isFloating()) return manager.create(toFloats(), s);
        return manager.create(toLongs(), s);
    }

    /**
     * The array's values in Java: float dtypes as float32, integer dtypes as int64. Every intermediate (a dtype
     * conversion, the copy of a GPU array to the host) lives in a scope closed before returning: left to the engine,
     * a GPU array's host copy stays in the array's own manager until that closes, which for the weights and optimizer
     * moments of a training run meant three models' worth of host memory per checkpoint.
     */
    public static HostTensor fromNDArray(NDArray a) {
        long[] shape = a.getShape().getShape();
        try (ai.djl.ndarray.NDManager scope = a.getManager().newSubManager(org.nextscale.core.api.Devices.host())) {
            NDArray h = a.getDevice().equals(org.nextscale.core.api.Devices.host()) ? a : scoped(a.toDevice(org.nextscale.core.api.Devices.host(), true), a, scope);
            if (h.getDataType() == DataType.INT64) return ofLongs(h.toLongArray(), shape);
            if (h.getDataType().isInteger()) {
                int[] v = scoped(h.toType(DataType.INT32, false), h, scope).toIntArray();
                long[] l = new long[v.length];
                for (int i = 0; i < v.length; i++) l[i] = v[i];
                return ofLongs(l, shape);
            }
            return ofFloats(scoped(h.toType(DataType.FLOAT32, false), h, scope).toFloatArray(), shape);
        }
    }

    /** {@code made} in {@code scope} when it is a new array (not {@code from} itself). */
    private static NDArray scoped(NDArray made, NDArray from, ai.djl.ndarray.NDManager scope) {
        if (made != from) made.attach(scope);
        return made;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostTensor t && t.dtype.equals(dtype) && Arrays.equals(t.shape, shape) && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data) * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return dtype + Arrays.toString(shape);
    }

    /** IEEE 754 binary16 to float32 (Java 17 has no Float.float16ToFloat). */
    public static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        if (exp == 0) {
            if (mant == 0) return Float.intBitsToFloat(sign);
            float v = mant / 1024f * (1f / 16384f); // subnormal: mant * 2^-24
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** float32 to IEEE 754 binary16, round to nearest even. */
    public static short floatToHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
        int e = exp - 127 + 15;
        if (e >= 0x1f) return (short) (sign | 0x7c00);
        if (e <= 0) {
            if (e < -10) return (short) sign;
            mant |= 0x800000;
            int shift = 14 - e;
            int half = mant >> shift;
            int rem = mant & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rem > mid || (rem == mid && (half & 1) != 0)) half++;
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) half++;
        return (short) (sign | half);
    }
}
