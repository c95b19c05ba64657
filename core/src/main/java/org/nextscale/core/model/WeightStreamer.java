package org.nextscale.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.nextscale.core.api.Devices;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.WeightPrecision;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.io.SafeTensors;
import org.nextscale.core.nn.NativeMemory;
import org.nextscale.core.nn.Params;

/**
 * Reads a model's weights.safetensors one tensor at a time straight into engine memory: each tensor's bytes
 * go into one reusable native scratch buffer, the engine copies them into memory of its own, and the scratch
 * takes the next tensor, so loading needs the weights' size once (not twice, as a whole Java copy and then an
 * engine copy). The weights do not live in Java direct buffers, whose total the JVM caps at its heap size
 * (-Xmx, or -XX:MaxDirectMemorySize): a 1.7 GB model loads in a JVM of any heap size that holds the largest
 * tensor. Before any tensor is read the header is checked against model.json, and the memory the weights need
 * against what the machine has free.
 */
final class WeightStreamer {
    private WeightStreamer() {}

    /**
     * What was loaded: the config it was checked against, the weights read (in spec order), what the file held,
     * and the shapes and memory of those left unread (in spec order).
     */
    record Result(ModelConfig config, Params params, int tensors, long memoryBytes, TreeSet<String> fileDtypes,
                  Map<String, long[]> unread, long unreadBytes) {}

    static Result read(InputStream in, long size, ModelConfig config, NDManager manager, String name, ProgressListener progress)
            throws IOException {
        return read(in, size, config, manager, name, progress, WeightPrecision.FLOAT32, n -> true);
    }

    /**
     * As above, holding the tensors {@code precision} halves as float16 (converted one tensor at a time), and
     * reading only the tensors {@code wanted} accepts (the others are skipped; the memory check counts the read ones).
     */
    static Result read(InputStream in, long size, ModelConfig config, NDManager manager, String name, ProgressListener progress,
                       WeightPrecision precision, Predicate<String> wanted) throws IOException {
        List<WeightSpec.Entry> spec = WeightSpec.of(config);
        Map<String, WeightSpec.Entry> specByName = new LinkedHashMap<>();
        Map<String, long[]> unread = new LinkedHashMap<>();
        long unreadBytes = 0, largest = 0;
        long[] totals = {0, 0};                                        // bytes in memory, bytes read so far
        for (WeightSpec.Entry e : spec) {
            specByName.put(e.name(), e);
            long bytes = memoryBytes(e, precision);
            if (wanted.test(e.name())) {
                totals[0] += bytes;
                largest = Math.max(largest, bytes);
            } else {
                unread.put(e.name(), e.shape());
                unreadBytes += bytes;
            }
        }
        long scratchBytes = largest;
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        TreeSet<String> dtypes = new TreeSet<>();
        byte[] chunk = new byte[1 << 20];
        ByteBuffer[] scratch = {null};                                 // sized to the largest tensor once the header is checked
        // a GPU's weights are copied up from host views over the scratch: one copy each (see copyOut)
        NDManager host = manager.getDevice().equals(Devices.host()) ? null : NDManager.newBaseManager(Devices.host());
        try {
            SafeTensors.stream(in, size, name + ": " + ModelFile.WEIGHTS_ENTRY, declared -> {
                Map<String, SafeTensors.Declared> byName = new LinkedHashMap<>();
                for (SafeTensors.Declared d : declared) byName.put(d.name(), d);
                WeightSpec.Fit fit = WeightSpec.fitDeclared(spec, byName);
                if (!fit.ok()) throw new IllegalArgumentException(name + ": " + ModelFile.mismatchMessage(config, byName.keySet(), fit));
                checkMemory(totals[0], name, manager);
                scratch[0] = scratchBuffer(scratchBytes, name);
                progress.progress("load", 0, totals[0]);
            }, (d, data) -> {
                if (!wanted.test(d.name())) return;                         // skipped by the stream
                WeightSpec.Entry e = specByName.get(d.name());              // the header fits the spec (checked above)
                boolean integer = e.dtype().equals("I64");
                boolean half = !integer && precision.halves(d.name(), d.shape());
                arrays.put(d.name(), toEngine(manager, host, d, data, integer, half, chunk, scratch[0]));
                dtypes.add(d.dtype());
                totals[1] += memoryBytes(e, precision);
                progress.progress("load", totals[1], totals[0]);
            });
        } finally {
            if (host != null) host.close();
            NativeMemory.free(scratch[0]);                            // no array views it any more
        }
        NativeMemory.trim();
        Params params = new Params(manager);
        for (WeightSpec.Entry e : spec) if (wanted.test(e.name())) params.put(e.name(), arrays.get(e.name()));
        return new Result(config, params, arrays.size(), totals[0], dtypes, unread, unreadBytes);
    }

    private static long memoryBytes(WeightSpec.Entry e, WeightPrecision precision) {
        return HostTensor.numel(e.shape()) * (e.dtype().equals("I64") ? 8 : precision.halves(e.name(), e.shape()) ? 2 : 4);
    }

    /**
     * One tensor as a float32 / int64 (or, when {@code half}, float16) array in engine memory: its bytes are
     * written into {@code scratch} (already in that dtype: copied from the file in 1 MB chunks; float32 to
     * float16: converted chunk by chunk, so a halved tensor never exists in float32; other dtypes: converted in
     * Java one tensor at a time), then the engine copies them out. Null when the file ends early (the caller
     * reports it).
     */
    private static NDArray toEngine(NDManager manager, NDManager host, SafeTensors.Declared d, InputStream data, boolean integer, boolean half, byte[] chunk,
                                    ByteBuffer scratch) throws IOException {
        Shape shape = new Shape(d.shape());
        long n = HostTensor.numel(d.shape());
        DataType type = integer ? DataType.INT64 : half ? DataType.FLOAT16 : DataType.FLOAT32;
        ByteBuffer buf = scratch.clear().limit((int) (n * type.getNumOfBytes())).slice().order(ByteOrder.nativeOrder());
        boolean asIs = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN && d.dtype().equals(integer ? "I64" : half ? "F16" : "F32");
        if (asIs) {
            for (int r; buf.hasRemaining() && (r = data.read(chunk, 0, Math.min(chunk.length, buf.remaining()))) > 0; ) buf.put(chunk, 0, r);
            if (buf.hasRemaining()) return null;                     // the stream reports the truncation
        } else if (half && d.dtype().equals("F32")) {
            java.nio.FloatBuffer floats = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            java.nio.ShortBuffer halves = buf.asShortBuffer();
            float[] f = new float[chunk.length / 4];
            short[] h = new short[f.length];
            for (long left = n * 4; left > 0; ) {
                int want = (int) Math.min(chunk.length, left), count = want / 4;
                if (data.readNBytes(chunk, 0, want) < want) return null;
                floats.get(0, f, 0, count);                                  // bulk copies: per-element buffer calls cost 2x
                for (int i = 0; i < count; i++) h[i] = HostTensor.floatToHalf(f[i]);
                halves.put(h, 0, count);
                left -= want;
            }
        } else {
            byte[] bytes = data.readNBytes((int) d.bytes());
            if (bytes.length < d.bytes()) return null;
            HostTensor t = new HostTensor(d.dtype(), d.shape(), bytes);
            if (integer) for (long v : t.toLongs()) buf.putLong(v);
            else if (half) for (float v : t.toFloats()) buf.putShort(HostTensor.floatToHalf(v));
            else buf.asFloatBuffer().put(t.toFloats());
        }
        buf.rewind();
        return copyOut(manager, host, buf, shape, type);
    }

    /**
     * The engine's own copy of {@code buf}, owned by {@code manager}: a view over the buffer (no copy), then one copy.
     * On the CPU ({@code host} null) the view's duplicate; for another device the view is made on {@code host} and
     * copied to the device once (a view made on the device's manager is already a copy there, and duplicating it
     * would copy each tensor twice and hold it twice at once).
     */
    static NDArray copyOut(NDManager manager, NDManager host, ByteBuffer buf, Shape shape, DataType type) {
        if (host == null) {
            try (NDArray view = manager.create(buf, shape, type)) {                         // over the scratch, no copy
                return view.duplicate();                                                 // the engine's own memory
            }
        }
        try (NDArray view = host.create(buf, shape, type)) {                               // over the scratch, on the host
            // the one copy (PyTorch's to() copies only across devices: on the same device it would return a view)
            NDArray out = view.getDevice().equals(manager.getDevice()) ? view.duplicate() : view.toDevice(manager.getDevice(), false);
            out.attach(manager);
            return out;
        }
    }

    /**
     * The scratch buffer every tensor passes through, of the largest tensor's size. It is the only Java direct
     * memory loading takes; a JVM whose cap on that (the heap size unless -XX:MaxDirectMemorySize says
     * otherwise) is smaller gets a message saying what to start it with.
     */
    static ByteBuffer scratchBuffer(long bytes, String name) {
        if (bytes > Integer.MAX_VALUE)
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s has a tensor of %.1f GB, more than one buffer can hold (2 GB)",
                    name, bytes / 1e9));
        try {
            return ByteBuffer.allocateDirect((int) Math.max(bytes, 8)).order(ByteOrder.nativeOrder());
        } catch (OutOfMemoryError e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: loading needs %.1f MB of Java direct memory (its largest tensor) and this JVM allows less: start Java "
                            + "with a larger -Xmx or with -XX:MaxDirectMemorySize=%dm", name, bytes / 1e6, bytes / (1 << 20) + 64));
        }
    }

    /**
     * Refuses, before reading, weights that cannot fit: on the CPU in the memory the machine has free (Linux), on a GPU
     * in the GPU's whole memory. A GPU's free memory is not the test: PyTorch's caching allocator keeps memory that
     * closed arrays freed, which CUDA counts as used but a load can reuse; a load that does run out gets the
     * out-of-memory line, which names float16 weights.
     */
    static void checkMemory(long bytes, String name, NDManager manager) {
        if (manager.getDevice().isGpu()) {
            String refusal = gpuRefusal(bytes, org.nextscale.core.api.Devices.gpuMemoryBytes(manager.getDevice()), name, manager.getDevice());
            if (refusal != null) throw new IllegalArgumentException(refusal);
            return;
        }
        long available = availableBytes();
        if (available > 0 && bytes > available)
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s needs %.1f GB of memory for its weights but this machine has %.1f GB free: close other programs, "
                            + "or use a smaller model", name, bytes / 1e9, available / 1e9));
    }

    /** Why weights of {@code bytes} cannot go to {@code gpu} of {@code total} bytes (-1: unknown), or null when they may. */
    static String gpuRefusal(long bytes, long total, String name, ai.djl.Device gpu) {
        if (total <= 0 || bytes <= total) return null;
        return String.format(Locale.ROOT, "%s needs %.1f GB for its weights and %s has %.1f GB in all: load them as float16 "
                + "(half the memory: --weights float16 on the command line, NEXTSCALE_WEIGHTS=float16 or -Dnextscale.weights=float16 "
                + "elsewhere), or use --device cpu", name, bytes / 1e9, gpu, total / 1e9);
    }

    /** MemAvailable from /proc/meminfo, or -1 when unknown. */
    static long availableBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo")))
                if (line.startsWith("MemAvailable:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
