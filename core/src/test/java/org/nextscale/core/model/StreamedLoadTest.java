package org.nextscale.core.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.TestPaths;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.api.WeightPrecision;
import org.nextscale.core.bench.OfficialBench;
import org.nextscale.core.io.HostTensor;

/**
 * Loading tensor by tensor into engine memory gives exactly the weights (and samples) of the whole-file
 * path, converts float16 files to float32 alike, reports bytes read, and refuses a model too large for
 * the free memory before reading it; the official-model bench measures a model file in this process.
 */
class StreamedLoadTest {
    @TempDir
    static Path dir;

    @Test
    void streamedWeightsEqualTheWholeFileWeightsForFloat32AndFloat16Files() throws Exception {
        Path f32 = TestPaths.parityModel("tiny-a", dir);
        ModelFile.Loaded whole = ModelFile.load(f32);
        Path f16 = dir.resolve("half.zip");
        ModelFile.save(f16, whole, true);
        for (Path file : List.of(f32, f16)) {
            Map<String, HostTensor> expected = ModelFile.load(file).weights();
            List<long[]> progress = new ArrayList<>();
            try (NDManager m = NDManager.newBaseManager()) {
                ModelFile.Streamed s = ModelFile.loadInto(file, m, (stage, done, total) -> progress.add(new long[] {done, total}));
                assertEquals(expected.keySet(), s.params().names(), "spec order");
                for (String k : expected.keySet()) assertEquals(expected.get(k), HostTensor.fromNDArray(s.params().get(k)), k);
                long[] last = progress.get(progress.size() - 1);
                assertEquals(last[1], last[0], "progress ends at the total");
                assertEquals(s.memoryBytes(), last[1]);
            }
        }
        SampleOptions o = SampleOptions.defaults().withClass(2).withCount(2).withSeed(4);
        try (VarModel streamed = VarModel.load(f32, Device.cpu()); VarModel inMemory = LoadedModel.of(whole, Device.cpu())) {
            var a = streamed.generate(o, ProgressListener.NONE, CancelToken.none());
            var b = inMemory.generate(o, ProgressListener.NONE, CancelToken.none());
            for (int i = 0; i < 2; i++) assertArrayEquals(b.get(i).data(), a.get(i).data(), 0f);
            assertTrue(streamed.summary().contains("MB in memory (float32; the file holds F32/I64)"), streamed.summary());
        }
    }

    /**
     * Generating never reads the encoder, so loading leaves it in the file until the first tokenize, reconstruct or
     * edit; then tokens and reconstructions equal those of the whole model. A file replaced in between is refused
     * with a message (its encoder would not belong to the loaded decoder and transformer), and sampling goes on.
     */
    @Test
    void theEncoderIsReadOnFirstUseAndAReplacedFileIsRefused() throws Exception {
        Path file = dir.resolve("lazy").resolve("a.zip");
        java.nio.file.Files.createDirectories(file.getParent());
        java.nio.file.Files.copy(TestPaths.parityModel("tiny-a", dir.resolve("lazy-src")), file);
        ModelFile.Loaded whole = ModelFile.load(file);
        java.util.Set<String> encoder = new java.util.TreeSet<>();
        for (String k : whole.weights().keySet()) if (k.startsWith("vae.encoder.") || k.startsWith("vae.quant_conv.")) encoder.add(k);
        assertTrue(encoder.size() > 10, encoder.toString());
        var img = new org.nextscale.core.api.Image(whole.config().channels(), whole.config().imageSize(), whole.config().imageSize(),
                noise(whole.config().channels() * whole.config().imageSize() * whole.config().imageSize()));
        SampleOptions o = SampleOptions.defaults().withClass(1).withCount(1).withSeed(3);
        try (LoadedModel lazy = LoadedModel.load(file, Device.cpu()); VarModel inMemory = LoadedModel.of(whole, Device.cpu())) {
            ai.djl.ndarray.NDArray any = lazy.transformer().params().get("var.head.weight");
            assertEquals(encoder, new java.util.TreeSet<>(lazy.transformer().params().waiting()), "left in the file");
            assertTrue(lazy.summary().contains("for the encoder, read on first use"), lazy.summary());
            assertArrayEquals(inMemory.generate(o, ProgressListener.NONE, CancelToken.none()).get(0).data(),
                    lazy.generate(o, ProgressListener.NONE, CancelToken.none()).get(0).data(), 0f);
            assertEquals(encoder, new java.util.TreeSet<>(lazy.transformer().params().waiting()), "generating does not read the encoder");
            assertEquals(inMemory.tokenize(img).tokens().size(), lazy.tokenize(img).tokens().size());
            for (int k = 0; k < whole.config().numScales(); k++)
                assertArrayEquals(inMemory.tokenize(img).tokens().get(k), lazy.tokenize(img).tokens().get(k), "scale " + k);
            assertTrue(lazy.transformer().params().waiting().isEmpty(), "read by the first tokenize");
            assertArrayEquals(inMemory.reconstruct(img).data(), lazy.reconstruct(img).data(), 0f);
            assertSame(any, lazy.transformer().params().get("var.head.weight"), "the other weights stay as they were");
        }
        try (LoadedModel lazy = LoadedModel.load(file, Device.cpu())) {
            Path other = dir.resolve("lazy").resolve("b.zip");
            ModelFile.save(other, whole, false);
            java.nio.file.Files.move(other, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class, () -> lazy.tokenize(img));
            assertEquals("a.zip has changed or gone since the model was loaded, and part of its weights (vae.encoder, vae.quant_conv) is read "
                    + "from it on first use: load the model again", e.getCause().getMessage());
            assertEquals(1, lazy.generate(o, ProgressListener.NONE, CancelToken.none()).size(), "sampling needs no encoder");
        }
    }

    private static float[] noise(int n) {
        float[] x = new float[n];
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < n; i++) x[i] = r.nextFloat();
        return x;
    }

    /**
     * The weights live in engine memory, not in Java direct buffers (capped by the JVM at its heap size): a JVM
     * allowed 3 MB of direct memory loads the shipped model (9.7 MB of weights, largest tensor 0.4 MB) and
     * samples; one allowed less than the largest tensor gets one line saying what to start Java with.
     */
    @Test
    void weightsDoNotNeedJavaDirectMemoryAndTooLittleGetsAMessage() throws Exception {
        Path model = TestPaths.repo().resolve("models/fashion-mnist.zip"), png = dir.resolve("direct.png");
        String[] ok = child(model, png, "3m");
        assertEquals("0", ok[0], ok[1]);
        assertTrue(java.nio.file.Files.size(png) > 0, ok[1]);
        String[] refused = child(model, dir.resolve("refused.png"), "200k");
        assertNotEquals("0", refused[0], refused[1]);
        assertTrue(refused[1].contains("MB of Java direct memory (its largest tensor) and this JVM allows less: start Java with a larger -Xmx"),
                refused[1]);
        assertFalse(refused[1].contains("Exception") || refused[1].contains("\tat "), "no stack trace: " + refused[1]);
    }

    /** `generate` in a child JVM with the given -XX:MaxDirectMemorySize: {exit code, output}. */
    private static String[] child(Path model, Path png, String maxDirect) throws Exception {
        Process p = TestPaths.cli(List.of("-XX:MaxDirectMemorySize=" + maxDirect),
                List.of("generate", "--model", model.toString(), "--class", "1", "--n", "1", "--out", png.toString())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        return new String[] {String.valueOf(p.waitFor()), out};
    }

    @Test
    void aModelLargerThanTheFreeMemoryIsRefusedBeforeReading() {
        long free = WeightStreamer.availableBytes();
        assertTrue(free > 0, "MemAvailable is readable here");
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeightStreamer.checkMemory(free * 2, "huge.zip", m));
            assertTrue(e.getMessage().startsWith("huge.zip needs ") && e.getMessage().contains("GB of memory for its weights but this machine has"),
                    e.getMessage());
            WeightStreamer.checkMemory(1 << 20, "small.zip", m);
        }
    }

    @Test
    void aTensorForAnotherDeviceIsCopiedOnceFromAHostViewAndOwnedByTheModel() {
        // the path a GPU load takes (a host view over the scratch, one copy owned by the model's manager), run CPU to CPU:
        // here the copy is a duplicate, on a GPU it is the transfer (not run on this machine)
        java.nio.ByteBuffer scratch = java.nio.ByteBuffer.allocateDirect(6 * 4).order(java.nio.ByteOrder.nativeOrder());
        scratch.asFloatBuffer().put(new float[] {1, 2, 3, 4, 5, 6});
        try (NDManager model = NDManager.newBaseManager(org.nextscale.core.api.Devices.host())) {
            ai.djl.ndarray.NDArray out;
            try (NDManager host = NDManager.newBaseManager(org.nextscale.core.api.Devices.host())) {
                out = WeightStreamer.copyOut(model, host, scratch, new ai.djl.ndarray.types.Shape(2, 3), ai.djl.ndarray.types.DataType.FLOAT32);
            }                                                                      // the host manager and its view are gone
            scratch.asFloatBuffer().put(new float[] {9, 9, 9, 9, 9, 9});         // the scratch is reused by the next tensor
            assertEquals(model, out.getManager(), "owned by the model's manager");
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, out.toFloatArray(), "a copy, not a view of the scratch");
            assertEquals(new ai.djl.ndarray.types.Shape(2, 3), out.getShape());
        }
    }

    @Test
    void weightsLargerThanTheWholeGpuAreRefusedNamingFloat16() {
        ai.djl.Device gpu = ai.djl.Device.gpu(0);                            // a descriptor: no CUDA needed to name it
        String refusal = WeightStreamer.gpuRefusal(30_000_000_000L, 24_000_000_000L, "d36.zip", gpu);
        assertTrue(refusal != null && refusal.startsWith("d36.zip needs 30.0 GB for its weights and gpu(0) has 24.0 GB in all")
                && refusal.contains("--weights float16") && refusal.contains("--device cpu"), String.valueOf(refusal));
        assertEquals(null, WeightStreamer.gpuRefusal(20_000_000_000L, 24_000_000_000L, "d30.zip", gpu), "fits the GPU: loaded");
        assertEquals(null, WeightStreamer.gpuRefusal(30_000_000_000L, -1, "d36.zip", gpu), "CUDA cannot say: loaded, out-of-memory line if it fails");
        assertEquals(-1, org.nextscale.core.api.Devices.gpuMemoryBytes(gpu), "no CUDA here: the size is unknown, not an error");
    }

    @Test
    void theOfficialModelBenchMeasuresAModelFile() throws Exception {
        Path f32 = TestPaths.parityModel("tiny-a", dir.resolve("bench"));
        Map<String, Object> r = OfficialBench.measure(f32, ai.djl.Device.cpu(), 0, 1, true, line -> {});
        for (String k : List.of("load_s", "cold_first_image_s", "latency_s", "latency_transformer_s", "latency_per_scale_s", "latency_decoder_s",
                "latency_mfu", "batch8_images_per_s", "peak_rss_mb", "raster_latency_s", "raster_step_ms", "memory_gbps",
                "raster_weight_stream_ratio", "raster_over_var_latency", "yardstick_gflops"))
            assertTrue(r.containsKey(k), "missing " + k + ": " + r.keySet());
        assertEquals(6, ((double[]) r.get("latency_per_scale_s")).length, "one time per scale");
        double latency = (double) r.get("latency_s"), split = (double) r.get("latency_transformer_s") + (double) r.get("latency_decoder_s");
        assertEquals(latency, split, 0.05 * latency + 1e-3, "transformer + decoder make up the image's time");
        assertTrue((double) r.get("peak_rss_mb") > 50 && (double) r.get("memory_gbps") > 0.1, r.toString());
    }

    @Test
    void float16WeightsHalveTheTransformerMatricesAndKeepSamplesClose() throws Exception {
        Path f32 = TestPaths.parityModel("tiny-a", dir.resolve("half"));
        Map<String, HostTensor> expected = ModelFile.load(f32).weights();
        long halvedElements = 0;
        try (NDManager m = NDManager.newBaseManager(); NDManager m32 = NDManager.newBaseManager()) {
            ModelFile.Streamed half = ModelFile.loadInto(f32, m, ProgressListener.NONE, WeightPrecision.FLOAT16);
            ModelFile.Streamed full = ModelFile.loadInto(f32, m32, ProgressListener.NONE);
            for (String k : expected.keySet()) {
                ai.djl.ndarray.NDArray a = half.params().get(k);
                boolean matrix = k.startsWith("var.blocks.") && k.endsWith(".weight") && expected.get(k).shape().length == 2
                        || k.equals("var.head.weight");
                assertEquals(matrix ? ai.djl.ndarray.types.DataType.FLOAT16 : full.params().get(k).getDataType(), a.getDataType(), k);
                if (matrix) {
                    halvedElements += a.size();
                    float[] want = expected.get(k).toFloats(), got = a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
                    for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], Math.abs(want[i]) / 1024 + 1e-7f, k + "[" + i + "]");
                } else {
                    assertEquals(expected.get(k), HostTensor.fromNDArray(a), k);
                }
            }
            assertTrue(halvedElements > 0, "tiny-a has transformer matrices");
            assertEquals(full.memoryBytes() - 2 * halvedElements, half.memoryBytes(), "2 bytes saved per halved element");
        }
        SampleOptions o = SampleOptions.defaults().withClass(1).withCount(4).withSeed(7);
        String before = System.getProperty(WeightPrecision.PROPERTY);
        try (VarModel full = VarModel.load(f32, Device.cpu())) {
            System.setProperty(WeightPrecision.PROPERTY, "float16");
            try (VarModel half = VarModel.load(f32, Device.cpu())) {
                assertTrue(half.summary().contains("the transformer's matrices float16, computing in float32"), half.summary());
                var a = full.generate(o, ProgressListener.NONE, CancelToken.none());
                var b = half.generate(o, ProgressListener.NONE, CancelToken.none());
                double diff = 0;
                long n = 0;
                for (int i = 0; i < a.size(); i++) {
                    float[] x = a.get(i).data(), y = b.get(i).data();
                    for (int j = 0; j < x.length; j++, n++) diff += Math.abs(x[j] - y[j]);
                }
                // the same seed samples (nearly) the same tokens: rounding weights to float16 moves the
                // logits by about 1e-3, far less than what separates most sampled tokens
                assertTrue(diff / n < 0.02, "mean |float32 - float16| pixel = " + diff / n);
            }
        } finally {
            if (before == null) System.clearProperty(WeightPrecision.PROPERTY);
            else System.setProperty(WeightPrecision.PROPERTY, before);
        }
    }

    @Test
    void anUnknownPrecisionIsRefusedNamingWhereItCameFrom() {
        assertEquals(WeightPrecision.FLOAT16, WeightPrecision.parse(" FP16", "--weights"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeightPrecision.parse("bf16", "--weights"));
        assertEquals("--weights is 'bf16': use float32 (the default) or float16", e.getMessage());
    }
}
