package org.nextscale.core.model;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.TestPaths;
import org.nextscale.core.config.ConfigJson;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.io.SafeTensors;

class ModelFileTest {

    static Map<String, HostTensor> parityWeights(String name) throws IOException {
        return SafeTensors.read(TestPaths.parity(name).resolve("weights.safetensors"));
    }

    static void saveTinyA(Path file) throws IOException {
        ModelFile.save(file, WeightSpecTest.parityConfig("tiny-a"), parityWeights("tiny-a"), false);
    }

    @Test
    void saveThenLoadIsBitExactForBothParityModels(@TempDir Path dir) throws IOException {
        for (String name : List.of("tiny-a", "tiny-b")) {
            ModelConfig c = WeightSpecTest.parityConfig(name);
            Map<String, HostTensor> w = parityWeights(name);
            Path file = dir.resolve(name + ".zip");
            ModelFile.save(file, c, w, false);
            ModelFile.Loaded m = ModelFile.load(file);
            assertEquals(c, m.config());
            assertEquals(w.keySet(), m.weights().keySet());
            w.forEach((k, v) -> assertEquals(v, m.weights().get(k), k));
            assertEquals(List.copyOf(WeightSpec.byName(c).keySet()), List.copyOf(m.weights().keySet()), "written in spec order");
            try (ZipFile z = new ZipFile(file.toFile())) {
                assertEquals(ZipEntry.STORED, z.getEntry("weights.safetensors").getMethod());
                assertEquals(ConfigJson.toJson(c), new String(z.getInputStream(z.getEntry("model.json")).readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void fp16StoresHalfTheBytesAndLoadsAsFloat32(@TempDir Path dir) throws IOException {
        ModelConfig c = WeightSpecTest.parityConfig("tiny-a");
        Map<String, HostTensor> w = parityWeights("tiny-a");
        Path f32 = dir.resolve("f32.zip"), f16 = dir.resolve("f16.zip");
        ModelFile.save(f32, c, w, false);
        ModelFile.save(f16, c, w, true);
        assertTrue(Files.size(f16) < 0.6 * Files.size(f32), Files.size(f16) + " vs " + Files.size(f32));
        ModelFile.Loaded m = ModelFile.load(f16);
        for (WeightSpec.Entry e : WeightSpec.of(c)) {
            HostTensor loaded = m.weights().get(e.name()), ref = w.get(e.name());
            assertEquals(e.dtype(), loaded.dtype(), e.name());
            if (!e.trainable()) assertEquals(ref, loaded, "buffers stay exact: " + e.name());
            else assertArrayEquals(ref.toF16().toFloats(), loaded.toFloats(), e.name());
        }
        try (ZipFile z = new ZipFile(f16.toFile())) {
            Map<String, HostTensor> raw = SafeTensors.read(z.getInputStream(z.getEntry("weights.safetensors")), "f16");
            assertEquals("F16", raw.get("var.head.weight").dtype());
            assertEquals("F32", raw.get("var.attn_bias_for_masking").dtype());
        }
        Path again = dir.resolve("again.zip");
        ModelFile.save(again, m, true);
        assertEquals(m.weights(), ModelFile.load(again).weights(), "fp16 -> f32 -> fp16 is lossless");
    }

    @Test
    void extraEntriesAndMetadataSurviveALoadSaveCycle(@TempDir Path dir) throws IOException {
        byte[] notes = new byte[300];
        new Random(1).nextBytes(notes);
        ModelConfig c = WeightSpecTest.parityConfig("tiny-b");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("trained_by", "nextscale train \u00e9");
        ModelFile.Loaded model = new ModelFile.Loaded(c, parityWeights("tiny-b"), meta, Map.of("training/log.json", notes));
        Path a = dir.resolve("a.zip"), b = dir.resolve("b.zip");
        ModelFile.save(a, model, false);
        ModelFile.Loaded loaded = ModelFile.load(a);
        assertArrayEquals(notes, loaded.extras().get("training/log.json"));
        assertEquals("nextscale train \u00e9", loaded.metadata().get("trained_by"));
        ModelFile.save(b, loaded, false);
        assertArrayEquals(notes, ModelFile.load(b).extras().get("training/log.json"));
        assertEquals(loaded.metadata(), ModelFile.load(b).metadata());
    }

    @Test
    void aFailedSaveLeavesTheOldFileIntactAndNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.zip");
        saveTinyA(file);
        byte[] before = Files.readAllBytes(file);
        Map<String, HostTensor> broken = new LinkedHashMap<>(parityWeights("tiny-a"));
        broken.remove("var.head.bias");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.save(file, WeightSpecTest.parityConfig("tiny-a"), broken, false));
        assertEquals("cannot save model.zip: the weights do not fit the config: missing 'var.head.bias'", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        saveTinyA(file); // overwrite in place works
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void tokenizerOnlyModelRoundTrips(@TempDir Path dir) throws IOException {
        ModelConfig c = WeightSpecTest.parityConfig("tiny-a").withVar(null, List.of(), "var");
        Map<String, HostTensor> vae = new LinkedHashMap<>();
        parityWeights("tiny-a").forEach((k, v) -> { if (k.startsWith("vae.")) vae.put(k, v); });
        Path file = dir.resolve("tok.zip");
        ModelFile.save(file, c, vae, false);
        ModelFile.Loaded m = ModelFile.load(file);
        assertNull(m.config().var());
        assertEquals(vae, m.weights());
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void randomBytesAndTextAreNotModels(@TempDir Path dir) throws IOException {
        Path junk = dir.resolve("junk.zip");
        byte[] b = new byte[1000];
        new Random(7).nextBytes(b);
        Files.write(junk, b);
        IOException e = assertThrows(IOException.class, () -> ModelFile.load(junk));
        assertEquals("junk.zip: not a nextscale model (not a zip archive, or truncated); a model is a .zip with model.json and weights.safetensors", e.getMessage());
        Path text = dir.resolve("readme.txt");
        Files.writeString(text, "hello\n");
        e = assertThrows(IOException.class, () -> ModelFile.load(text));
        assertTrue(e.getMessage().startsWith("readme.txt: not a nextscale model (not a zip archive"), e.getMessage());
        Path cut = dir.resolve("cut.zip");
        saveTinyA(cut);
        byte[] whole = Files.readAllBytes(cut);
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
        e = assertThrows(IOException.class, () -> ModelFile.load(cut));
        assertTrue(e.getMessage().startsWith("cut.zip: not a nextscale model (not a zip archive, or truncated)"), e.getMessage());
        assertThrows(java.nio.file.NoSuchFileException.class, () -> ModelFile.load(dir.resolve("absent.zip")));
    }

    @Test
    void aPyTorchCheckpointGivenAsModelSaysHowToConvertIt() throws IOException {
        IOException e = assertThrows(IOException.class, () -> ModelFile.load(TestPaths.parity("tiny-a").resolve("var.pth")));
        assertTrue(e.getMessage().startsWith("var.pth: no model.json inside: this is a PyTorch checkpoint; convert it with: nextscale import"), e.getMessage());
    }

    @Test
    void truncatedSafetensorsInsideTheZip(@TempDir Path dir) throws IOException {
        byte[] st = SafeTensors.toBytes(parityWeights("tiny-a"), Map.of());
        Path file = dir.resolve("trunc.zip");
        zip(file, Map.of("model.json", json("tiny-a"), "weights.safetensors", Arrays.copyOf(st, st.length - 1000)));
        IOException e = assertThrows(IOException.class, () -> ModelFile.load(file));
        assertTrue(e.getMessage().matches("trunc\\.zip: weights\\.safetensors: truncated: tensor '[^']+' ends at byte \\d+ but the file ends at byte \\d+"),
                e.getMessage());
        zip(file, Map.of("model.json", json("tiny-a"), "weights.safetensors", Arrays.copyOf(st, 5)));
        e = assertThrows(IOException.class, () -> ModelFile.load(file));
        assertEquals("trunc.zip: weights.safetensors: not a safetensors file (only 5 bytes)", e.getMessage());
        zip(file, Map.of("model.json", json("tiny-a")));
        e = assertThrows(IOException.class, () -> ModelFile.load(file));
        assertEquals("trunc.zip: no weights.safetensors inside: the model file is incomplete", e.getMessage());
        zip(file, Map.of("weights.safetensors", st));
        e = assertThrows(IOException.class, () -> ModelFile.load(file));
        assertEquals("trunc.zip: no model.json inside: not a nextscale model", e.getMessage());
    }

    @Test
    void modelJsonWithAMissingKey(@TempDir Path dir) throws IOException {
        String j = new String(json("tiny-a"), StandardCharsets.UTF_8).replace("\"vocab_size\"", "\"vocab\"");
        Path file = dir.resolve("m.zip");
        zip(file, Map.of("model.json", j.getBytes(StandardCharsets.UTF_8), "weights.safetensors", SafeTensors.toBytes(parityWeights("tiny-a"), Map.of())));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFile.load(file));
        assertEquals("m.zip: model.json: model config: missing key \"vocab_size\"", e.getMessage());
        zip(file, Map.of("model.json", "{not json".getBytes(StandardCharsets.UTF_8)));
        e = assertThrows(IllegalArgumentException.class, () -> ModelFile.load(file));
        assertTrue(e.getMessage().startsWith("m.zip: model.json: not a JSON object"), e.getMessage());
    }

    @Test
    void weightsThatDoNotFitModelJson(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.zip");
        Map<String, HostTensor> vaeOnly = new LinkedHashMap<>();
        parityWeights("tiny-a").forEach((k, v) -> { if (k.startsWith("vae.")) vaeOnly.put(k, v); });
        zip(file, Map.of("model.json", json("tiny-a"), "weights.safetensors", SafeTensors.toBytes(vaeOnly, Map.of())));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFile.load(file));
        assertEquals("model.zip: weights miss 'var.head.weight' and 37 more (is this a tokenizer-only model?)", e.getMessage());

        zip(file, Map.of("model.json", json("tiny-b"), "weights.safetensors", SafeTensors.toBytes(parityWeights("tiny-a"), Map.of())));
        e = assertThrows(IllegalArgumentException.class, () -> ModelFile.load(file));
        assertTrue(e.getMessage().startsWith("model.zip: weights miss '"), e.getMessage());
        assertTrue(e.getMessage().contains("; weights have unexpected '") && e.getMessage().contains("(model.json: ["), e.getMessage());

        ModelConfig tok = WeightSpecTest.parityConfig("tiny-a").withVar(null, List.of(), "var");
        zip(file, Map.of("model.json", ConfigJson.toJson(tok).getBytes(StandardCharsets.UTF_8),
                "weights.safetensors", SafeTensors.toBytes(parityWeights("tiny-a"), Map.of())));
        e = assertThrows(IllegalArgumentException.class, () -> ModelFile.load(file));
        assertEquals("model.zip: weights have unexpected 'var.attn_bias_for_masking' and 37 more "
                + "(model.json has no \"var\" section but the weights hold a transformer)", e.getMessage());
    }

    static byte[] json(String parity) throws IOException {
        return ConfigJson.toJson(WeightSpecTest.parityConfig(parity)).getBytes(StandardCharsets.UTF_8);
    }

    static void zip(Path file, Map<String, byte[]> entries) throws IOException {
        try (OutputStream o = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(o)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
    }
}
