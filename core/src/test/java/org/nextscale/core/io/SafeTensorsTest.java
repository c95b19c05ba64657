package org.nextscale.core.io;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.TestPaths;

class SafeTensorsTest {

    @Test
    void readsReferenceWeightsAndRoundTripsBitExactly() throws IOException {
        Path file = TestPaths.parity("tiny-a").resolve("weights.safetensors");
        Map<String, HostTensor> w = SafeTensors.read(file);
        assertEquals(210, w.size());
        HostTensor emb = w.get("vae.quantize.embedding.weight");
        assertArrayEquals(new long[] {64, 8}, emb.shape());
        assertEquals("I64", w.get("var.lvl_1L").dtype());
        Map<String, HostTensor> back = SafeTensors.read(SafeTensors.toBytes(w, Map.of("k", "v")), "memory");
        assertEquals(w, back);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = emb.toNDArray(m);
            assertArrayEquals(emb.toFloats(), a.toFloatArray());
            assertEquals(emb, HostTensor.fromNDArray(a));
        }
    }

    @Test
    void truncatedFileGivesAClearMessage(@TempDir Path dir) throws IOException {
        byte[] bytes = Files.readAllBytes(TestPaths.parity("tiny-a").resolve("cases.safetensors"));
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(cut));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        Path junk = dir.resolve("junk.safetensors");
        Files.writeString(junk, "hello world, not tensors");
        e = assertThrows(IOException.class, () -> SafeTensors.read(junk));
        assertTrue(e.getMessage().contains("not a safetensors file"), e.getMessage());
    }

    /** A file as another writer may lay it out: header order differs from data order, metadata first. */
    static byte[] handWritten(String aOffsets) {
        String json = "{\"__metadata__\":{\"format\":\"pt\"},\"z\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":" + aOffsets + "}}";
        byte[] h = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + h.length + 12).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).putFloat(3f).putFloat(1f).putFloat(2f); // a = [3], z = [1, 2]
        return b.array();
    }

    @Test
    void bytesFilesAndStreamsAreReadByTheSameParser(@TempDir Path dir) throws IOException {
        byte[] bytes = handWritten("[0,4]");
        Path file = dir.resolve("hand.safetensors");
        Files.write(file, bytes);
        SafeTensors.Contents c = SafeTensors.readAll(new java.io.ByteArrayInputStream(bytes), "stream");
        assertEquals(java.util.List.of("z", "a"), java.util.List.copyOf(c.tensors().keySet()), "header order kept");
        assertArrayEquals(new float[] {1f, 2f}, c.tensors().get("z").toFloats());
        assertArrayEquals(new float[] {3f}, c.tensors().get("a").toFloats());
        assertEquals(Map.of("format", "pt"), c.metadata());
        assertEquals(c.tensors(), SafeTensors.read(bytes, "memory"));
        assertEquals(c.tensors(), SafeTensors.read(file));

        // a byte range that does not fit the shape, or that overlaps another tensor, is refused the same way everywhere
        Files.write(file, handWritten("[0,8]"));
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(file));
        assertEquals(file + ": tensor 'a' has 8 bytes but its shape needs 4", e.getMessage());
        e = assertThrows(IOException.class, () -> SafeTensors.read(handWritten("[0,8]"), "memory"));
        assertEquals("memory: tensor 'a' has 8 bytes but its shape needs 4", e.getMessage());
        e = assertThrows(IOException.class, () -> SafeTensors.read(handWritten("[8,12]"), "memory"));
        assertEquals("memory: tensor 'a' overlaps another tensor", e.getMessage());
    }

    @Test
    void halfPrecisionConversionMatchesIeee() {
        float[] v = {0f, -0f, 1f, -2.5f, 65504f, 6.1035156e-5f, 5.9604645e-8f, 1e-3f, 3.14159f, Float.POSITIVE_INFINITY};
        HostTensor h = HostTensor.ofFloats(v, v.length).toF16();
        float[] back = h.toFloats();
        for (int i = 0; i < v.length; i++) assertEquals(v[i], back[i], Math.abs(v[i]) * 1e-3 + 1e-12, "value " + v[i]);
        assertEquals(0x3c00, HostTensor.floatToHalf(1f) & 0xffff);
        assertEquals(0xc100, HostTensor.floatToHalf(-2.5f) & 0xffff);
    }
}
