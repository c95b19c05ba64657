package org.nextscale.core.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nextscale.core.TestPaths;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.io.SafeTensors;

class ParityCheckTest {

    /** Every non-input tensor of the parity folder is recomputed and passes. */
    @ParameterizedTest
    @ValueSource(strings = {"tiny-a", "tiny-b"})
    void everyReferenceTensorIsRecomputedWithinTolerance(String name) throws IOException {
        Path dir = TestPaths.parity(name);
        List<String> printed = new ArrayList<>();
        ParityCheck.Result r = ParityCheck.run(dir, null, Device.cpu(), l -> printed.add(l.format()));
        printed.forEach(System.out::println);
        System.out.println(r.summary());
        for (ParityCheck.Line l : r.lines()) assertTrue(l.passed(), l.format());
        assertEquals(0, r.failed());
        long expected = SafeTensors.read(dir.resolve("cases.safetensors")).keySet().stream()
                .filter(k -> !ParityCheck.INPUTS.contains(k)).count();
        assertEquals(expected, r.passed(), "every case tensor is checked");
        assertEquals(expected, printed.size());
        assertTrue(r.lines().stream().anyMatch(l -> l.tensor().equals("gen_img")));
    }

    /** A perturbed weight, a missing computation and a wrong shape all fail; the rest still passes. */
    @Test
    void theCheckFailsWhenSomethingIsWrong(@TempDir Path dir) throws IOException {
        Path src = TestPaths.parity("tiny-a");
        Files.copy(src.resolve("config.json"), dir.resolve("config.json"));
        Map<String, HostTensor> w = new LinkedHashMap<>(SafeTensors.read(src.resolve("weights.safetensors")));
        float[] b = w.get("vae.post_quant_conv.bias").toFloats();
        b[0] += 0.05f;                                        // the decoder sees a changed input: recon must fail
        w.put("vae.post_quant_conv.bias", HostTensor.ofFloats(b, b.length));
        Files.write(dir.resolve("weights.safetensors"), SafeTensors.toBytes(w, Map.of()));
        Map<String, HostTensor> all = SafeTensors.read(src.resolve("cases.safetensors"));
        Map<String, HostTensor> cases = new LinkedHashMap<>();
        for (String k : List.of("img", "f", "recon", "idx_s0", "idx_s1", "idx_s2", "idx_s3", "idx_s4", "idx_s5")) cases.put(k, all.get(k));
        cases.put("mystery", HostTensor.ofFloats(new float[] {1f}, 1));
        float[] wrongShape = all.get("fhat_last").toFloats();
        cases.put("fhat_last", HostTensor.ofFloats(wrongShape, 2, 8, 64));
        Files.write(dir.resolve("cases.safetensors"), SafeTensors.toBytes(cases, Map.of()));

        ParityCheck.Result r = ParityCheck.run(dir, null, Device.cpu(), l -> System.out.println(l.format()));
        Map<String, ParityCheck.Line> byName = new LinkedHashMap<>();
        r.lines().forEach(l -> byName.put(l.tensor(), l));
        assertEquals(List.of("f", "fhat_last", "idx_s0", "idx_s1", "idx_s2", "idx_s3", "idx_s4", "idx_s5", "mystery", "recon"),
                List.copyOf(byName.keySet()), "sorted, inputs not listed");
        assertTrue(byName.get("f").passed());
        assertTrue(byName.get("idx_s5").passed());
        assertFalse(byName.get("recon").passed(), byName.get("recon").format());
        assertTrue(byName.get("recon").maxAbsError() > 1e-3);
        assertEquals("not recomputed: nextscale has no computation for this tensor", byName.get("mystery").detail());
        assertEquals("shape [2, 8, 8, 8] but the reference has [2, 8, 64]", byName.get("fhat_last").detail());
        assertEquals("7 passed, 3 failed", r.summary());
    }

    @Test
    void aModelThatDoesNotMatchTheFolderIsRefused(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("a.zip");
        ModelFileTest.saveTinyA(model);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParityCheck.run(TestPaths.parity("tiny-b"), model, Device.cpu(), l -> {}));
        assertTrue(e.getMessage().startsWith("a.zip does not match config.json: patch_nums [1, 2, 3, 4, 6, 8] vs [1, 2, 4, 8, 16]"), e.getMessage());
    }
}
