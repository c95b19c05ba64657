package org.nextscale.core.nn;

/**
 * Hands memory the engine has freed back to the operating system, between phases that allocate differently.
 *
 * <p>Why: glibc's malloc raises its mmap threshold to the size of the largest block freed so far (up to 32 MB),
 * so after loading a model, tensors of a few MB (the sampler's key/value cache, attention scores) come from
 * malloc's heaps, and when freed they stay resident there. The decoder's full-size activations (42 MB each at
 * 256 px for the official tokenizer) are larger than that threshold and always get fresh pages, so without this
 * both sets count in the process's peak. {@code malloc_trim(0)} returns the heaps' free pages (d16, load and one
 * 256 px image: 40-50 MB less peak; a call takes 0.1-2 ms). Where the C library has no malloc_trim
 * (musl, macOS, Windows), or JNA is missing, this does nothing; with jemalloc preloaded it trims glibc's unused
 * heaps only, which is harmless.
 */
public final class NativeMemory {
    private static final Object TRIM = lookup();

    private NativeMemory() {}

    private static Object lookup() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) return null;
        try {
            return com.sun.jna.NativeLibrary.getInstance("c").getFunction("malloc_trim");
        } catch (LinkageError | RuntimeException e) {                 // no JNA, no libc.so, no such symbol
            return null;
        }
    }

    /** Whether this process's C library has malloc_trim (glibc), so {@link #trim} does something. */
    public static boolean canTrim() {
        return TRIM != null;
    }

    /** Returns the C heap's free pages to the system; true when the library did (or could) release some. */
    public static boolean trim() {
        if (TRIM == null) return false;
        try {
            return ((com.sun.jna.Function) TRIM).invokeInt(new Object[] {0}) != 0;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    /**
     * Frees a direct buffer's memory now instead of at some later garbage collection (the JDK's own
     * {@code Unsafe.invokeCleaner}); only for a buffer nothing reads any more. Without access to it, the
     * collector frees the buffer as before.
     */
    public static void free(java.nio.ByteBuffer direct) {
        if (direct == null || !direct.isDirect()) return;
        try {
            java.lang.reflect.Field f = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
            f.setAccessible(true);
            Object unsafe = f.get(null);
            unsafe.getClass().getMethod("invokeCleaner", java.nio.ByteBuffer.class).invoke(unsafe, direct);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // left to the garbage collector
        }
    }
}
