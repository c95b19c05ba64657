package org.nextscale.core.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak resident memory of this process over a stretch of work (Linux): the kernel's high-water mark
 * VmHWM, reset at the start through /proc/self/clear_refs ("5"), and in case that reset is not allowed,
 * VmRSS sampled every millisecond by a watcher thread (only then: it costs a little CPU). Elsewhere both read as 0 and the peak is unknown.
 */
public final class PeakMemory implements AutoCloseable {
    private static final Path STATUS = Path.of("/proc/self/status");
    private final boolean resetWorked;
    private final Thread watcher;
    private volatile boolean running = true;
    private volatile long sampledKb;

    public PeakMemory() {
        resetWorked = resetHighWaterMark();
        sampledKb = readKb("VmRSS:");
        watcher = resetWorked ? null : new Thread(() -> {
            while (running) {
                sampledKb = Math.max(sampledKb, readKb("VmRSS:"));
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "nextscale-rss-watcher");
        if (watcher != null) {
            watcher.setDaemon(true);
            watcher.start();
        }
    }

    /** Peak resident set since construction, in MiB (0 when the system does not tell). */
    public double peakMb() {
        long kb = Math.max(sampledKb, readKb("VmRSS:"));
        if (resetWorked) kb = Math.max(kb, readKb("VmHWM:"));
        return kb / 1024.0;
    }

    /**
     * Hands memory that is held but no longer used back to the system, so that a peak measured afterwards is
     * the work's own: the Java heap (a full collection, after which the JVM shrinks the heap; G1 returns the
     * pages in a background thread, so this waits, 0.5 to 3 s, until the resident size stops falling), then
     * the native allocator's free memory: jemalloc (as the launcher preloads it, without decay) purges all
     * arenas, glibc trims its heaps (neither found: nothing). Without the first, a model file written by an
     * earlier phase of the same process (~1 GB of byte arrays for config B's checkpoint) stayed resident.
     */
    public static void releaseFreeMemory() {
        releaseJavaHeap();
        releaseNative();
    }

    private static void releaseJavaHeap() {
        System.gc();
        long last = readKb("VmRSS:");
        int still = 0;
        for (int i = 0; i < 30 && (i < 5 || still < 3); i++) {                         // 0.5 to 3 s
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = readKb("VmRSS:");
            still = now < last - 1024 ? 0 : still + 1;                                       // fell by more than 1 MB?
            last = Math.min(last, now);
        }
    }

    private static void releaseNative() {
        try {
            com.sun.jna.Function f = com.sun.jna.NativeLibrary.getProcess().getFunction("mallctl");
            f.invokeInt(new Object[] {"arena.4096.purge", null, null, null, 0L});                // MALLCTL_ARENAS_ALL
            return;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // not jemalloc
        }
        try {
            com.sun.jna.NativeLibrary.getProcess().getFunction("malloc_trim").invokeInt(new Object[] {0L});
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // not glibc either
        }
    }

    /** Resident set now, in MiB. */
    /** The process's peak resident memory since it started (VmHWM), in MB. */
    public static double peakSinceStartMb() {
        return readKb("VmHWM:") / 1024.0;
    }

    public static double currentMb() {
        return readKb("VmRSS:") / 1024.0;
    }

    @Override
    public void close() {
        running = false;
        if (watcher != null) watcher.interrupt();
    }

    private static boolean resetHighWaterMark() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return false;
        }
    }

    static long readKb(String key) {
        try {
            for (String line : Files.readAllLines(STATUS))
                if (line.startsWith(key)) return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
