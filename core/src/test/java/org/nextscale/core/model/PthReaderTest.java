package org.nextscale.core.model;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.TestPaths;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.io.SafeTensors;

class PthReaderTest {

    @Test
    void parityCheckpointsEqualTheSafetensorsWeightsBitForBit() throws IOException {
        Path dir = TestPaths.parity("tiny-a");
        Map<String, HostTensor> ref = SafeTensors.read(dir.resolve("weights.safetensors"));
        for (String part : List.of("vae", "var")) {
            Map<String, HostTensor> sd = PthReader.readStateDict(dir.resolve(part + ".pth"), List.of());
            long expected = ref.keySet().stream().filter(k -> k.startsWith(part + ".")).count();
            assertEquals(expected, sd.size(), part + ".pth tensor count");
            for (Map.Entry<String, HostTensor> e : sd.entrySet())
                assertEquals(ref.get(part + "." + e.getKey()), e.getValue(), part + ".pth: " + e.getKey());
        }
        assertEquals("I64", PthReader.readStateDict(dir.resolve("var.pth"), List.of()).get("lvl_1L").dtype());
    }

    /** A checkpoint nesting two dicts of tensors, with strided, offset, shared, bf16, f16, int64 and 0-d tensors. */
    private static Path nestedCheckpoint(Path dir) throws IOException {
        float[] v = new float[12];
        for (int i = 0; i < v.length; i++) v[i] = i;
        TorchSaveWriter w = new TorchSaveWriter()
                .storage("0", TorchSaveWriter.floats(v))
                .storage("1", TorchSaveWriter.shorts(0x3F80, 0xC040, 0x3E20))      // bf16 1, -3, 0.15625
                .storage("2", TorchSaveWriter.shorts(0x3C00, 0xC100))              // f16 1, -2.5
                .storage("3", TorchSaveWriter.longs(7, -1, 1L << 40));
        w.op('}').op('(');
        w.str("epoch").integer(3);
        w.str("model").orderedDict().op('(');
        w.str("module.t").tensor("FloatStorage", "0", 12, 0, new long[] {3, 2}, new long[] {1, 3}); // transpose of 2x3
        w.str("module.slice").tensor("FloatStorage", "0", 12, 7, new long[] {2}, new long[] {1});
        w.str("module.scalar").tensor("FloatStorage", "0", 12, 5, new long[] {}, new long[] {});
        w.str("module.every_other").tensor("FloatStorage", "0", 12, 1, new long[] {2, 2}, new long[] {6, 2});
        w.str("module.bf").tensor("BFloat16Storage", "1", 3, 0, new long[] {3}, new long[] {1});
        w.str("module.h").tensor("HalfStorage", "2", 2, 0, new long[] {1, 2}, new long[] {2, 1});
        w.str("module.ids").tensor("LongStorage", "3", 3, 0, new long[] {3}, new long[] {1});
        w.op('u');
        w.op('}').op('(').str("_metadata").op('}').op('u').op('b'); // state_dict()._metadata through BUILD
        w.str("optimizer").op('}').op('(').str("m").tensor("FloatStorage", "0", 12, 0, new long[] {12}, new long[] {1}).op('u');
        w.op('u');
        Path file = dir.resolve("nested.pth");
        w.write(file, "archive");
        return file;
    }

    @Test
    void stridesOffsetsHalfFormatsAndNestingAreHandled(@TempDir Path dir) throws IOException {
        Path file = nestedCheckpoint(dir);
        Map<String, HostTensor> sd = PthReader.readStateDict(file, List.of("model"));
        assertEquals(List.of("t", "slice", "scalar", "every_other", "bf", "h", "ids"), List.copyOf(sd.keySet()), "module. prefix removed");
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, sd.get("t").toFloats());
        assertArrayEquals(new long[] {3, 2}, sd.get("t").shape());
        assertArrayEquals(new float[] {7, 8}, sd.get("slice").toFloats());
        assertArrayEquals(new float[] {5}, sd.get("scalar").toFloats());
        assertEquals(0, sd.get("scalar").shape().length);
        assertArrayEquals(new float[] {1, 3, 7, 9}, sd.get("every_other").toFloats());
        assertEquals("F32", sd.get("bf").dtype(), "bf16 is converted to f32 before anything else sees it");
        assertArrayEquals(new float[] {1f, -3f, 0.15625f}, sd.get("bf").toFloats());
        assertEquals("F16", sd.get("h").dtype());
        assertArrayEquals(new float[] {1f, -2.5f}, sd.get("h").toFloats());
        assertArrayEquals(new long[] {7, -1, 1L << 40}, sd.get("ids").toLongs());

        Map<String, HostTensor> opt = PthReader.readStateDict(file, List.of("optimizer"));
        assertEquals(12, opt.get("m").numel());

        IOException e = assertThrows(IOException.class, () -> PthReader.readStateDict(file, List.of()));
        assertTrue(e.getMessage().startsWith("nested.pth: holds several state dicts [model, optimizer]"), e.getMessage());

        Object all = PthReader.read(file);
        assertEquals(3, ((Number) ((Map<?, ?>) all).get("epoch")).intValue());
    }

    @Test
    void foreignFilesGiveOneLineMessages(@TempDir Path dir) throws IOException {
        Path text = dir.resolve("notes.pth");
        Files.writeString(text, "just some text\n");
        IOException e = assertThrows(IOException.class, () -> PthReader.readStateDict(text, List.of()));
        assertEquals("notes.pth: not a PyTorch checkpoint (not a zip archive, or truncated)", e.getMessage());

        Path legacy = dir.resolve("old.pth");
        Files.write(legacy, new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc});
        e = assertThrows(IOException.class, () -> PthReader.readStateDict(legacy, List.of()));
        assertTrue(e.getMessage().startsWith("old.pth: a legacy torch.save file"), e.getMessage());

        Path model = dir.resolve("m.zip");
        ModelFileTest.saveTinyA(model);
        e = assertThrows(IOException.class, () -> PthReader.readStateDict(model, List.of()));
        assertEquals("m.zip: not a PyTorch checkpoint (a zip without data.pkl)", e.getMessage());
    }
}
