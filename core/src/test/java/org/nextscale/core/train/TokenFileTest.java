package org.nextscale.core.train;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.io.SafeTensors;

class TokenFileTest {
    @TempDir
    Path dir;

    private static byte[] twoRows() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        TokenFile.Writer w = new TokenFile.Writer(b, 2, "abcdef0123456789", List.of(1, 2), List.of("cat", "dog"));
        w.add(1, List.of(new int[] {7}, new int[] {1, 2, 3, 4095}));
        w.add(0, List.of(new int[] {0}, new int[] {9, 8, 7, 6}));
        w.finish();
        return b.toByteArray();
    }

    @Test
    void roundTripsAndIsAPlainSafetensorsFile() throws IOException {
        Path table = dir.resolve("t.parquet");
        Files.createDirectories(table);
        Files.write(table.resolve(TokenFile.SIDECAR), twoRows());
        TokenFile.Contents c = TokenFile.read(table);
        assertEquals(List.of("cat", "dog"), c.classNames());
        assertEquals(List.of(1, 2), c.patchNums());
        assertArrayEquals(new int[] {1, 0}, c.labels());
        assertArrayEquals(new short[] {7, 1, 2, 3, 4095}, c.tokens()[0]);
        Map<String, HostTensor> t = SafeTensors.read(table.resolve(TokenFile.SIDECAR));
        assertArrayEquals(new long[] {2, 5}, t.get("tokens").shape());
        assertEquals("I32", t.get("labels").dtype());
    }

    @Test
    void truncatedOrMissingFilesSayWhatToDo() throws IOException {
        byte[] b = twoRows();
        Path f = dir.resolve("cut.safetensors");
        Files.write(f, Arrays.copyOf(b, b.length - 5));
        IOException e = assertThrows(IOException.class, () -> TokenFile.read(f));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        Path empty = dir.resolve("unfinished.parquet");
        Files.createDirectories(empty);
        e = assertThrows(IOException.class, () -> TokenFile.read(empty));
        assertTrue(e.getMessage().contains("not a finished table") && e.getMessage().contains("run the job again"), e.getMessage());
    }
}
