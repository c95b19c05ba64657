package org.nextscale.core.nn;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Memory handed back between phases really leaves the process (Linux: its resident set). */
class NativeMemoryTest {
    @Test
    void aFreedDirectBufferLeavesTheResidentSetAtOnceAndTrimIsFoundOnGlibc() throws Exception {
        ByteBuffer b = ByteBuffer.allocateDirect(96 << 20);
        for (int i = 0; i < b.capacity(); i += 4096) b.put(i, (byte) 1);               // resident now
        long before = rssKb();
        NativeMemory.free(b);
        long after = rssKb();
        assertTrue(before - after > 80 * 1024, "RSS " + before + " kB -> " + after + " kB");
        NativeMemory.free(null);                                                   // nothing to do
        NativeMemory.free(ByteBuffer.allocate(16));
        assertTrue(NativeMemory.canTrim(), "glibc's malloc_trim is found through JNA on this Linux");
        NativeMemory.trim();                                                       // callable any time, twice too
        NativeMemory.trim();
    }

    private static long rssKb() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status")))
            if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("\\D", ""));
        throw new IllegalStateException("no VmRSS");
    }
}
