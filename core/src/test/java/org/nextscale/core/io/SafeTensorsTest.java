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
