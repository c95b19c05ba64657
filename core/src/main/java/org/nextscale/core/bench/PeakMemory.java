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
     * Hands memory the native allocator holds but no longer uses back to the system, so that a peak measured
     * afterwards is the work's own: jemalloc (as the launcher preloads it, without decay) purges all arenas,
     * glibc trims its heaps. Does nothing where neither is found.
     */
    public static void releaseFreeMemory() {
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
