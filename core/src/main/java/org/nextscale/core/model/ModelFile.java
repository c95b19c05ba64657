package org.nextscale.core.model;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.WeightPrecision;
import org.nextscale.core.config.ConfigJson;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.io.AtomicWrite;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.io.SafeTensors;
import org.nextscale.core.nn.Params;

/**
 * A model on disk: one .zip holding
 * <ul>
 *   <li>{@code model.json}: the {@link ModelConfig} ({@link ConfigJson#toJson}): every hyperparameter,
 *       image size, channels, scales, class names, order and format version;</li>
 *   <li>{@code weights.safetensors}: every tensor of {@link WeightSpec#of}, named as in the reference's
 *       state dicts with the prefixes "vae." and "var." (buffers included), in float32 or, when saved
 *       with fp16, trainable float tensors in float16 (buffers stay float32 / int64);</li>
 *   <li>any other entries (e.g. training notes), kept byte for byte when a loaded model is saved again,
 *       as are the safetensors header's metadata strings.</li>
 * </ul>
 * Saving writes a temporary file in the same folder and renames it over the target, so an existing
 * model is never left half-written. Loading validates everything and converts floats to float32.
 */
public final class ModelFile {
    public static final String CONFIG_ENTRY = "model.json";
    public static final String WEIGHTS_ENTRY = "weights.safetensors";
    /** What only a training checkpoint holds beside a model file's entries: the optimizer's and the trainer's state. */
    public static final String OPTIMIZER_ENTRY = "optimizer.safetensors", TRAINER_ENTRY = "trainer.json";
    /** The prefix of a moving average's tensors in a checkpoint's optimizer state (train --ema): "ema.NAME". */
    public static final String MOVING_AVERAGE_PREFIX = "ema.";

    /** Which trainable weights a file stores as float16 (half their bytes); loading converts them back to float32. */
    public enum Storage {
        /** every tensor float32 (integer buffers int64) */
        FLOAT32,
        /** the transformer's ("var.") trainable tensors float16, the tokenizer's float32: the sampler's weights halved, the tokens unchanged */
        TRANSFORMER_FLOAT16,
        /** every trainable tensor float16 */
        FLOAT16;

        boolean halves(WeightSpec.Entry e) {
            return e.trainable() && (this == FLOAT16 || this == TRANSFORMER_FLOAT16 && e.name().startsWith("var."));
        }
    }

    private ModelFile() {}

    /**
     * A loaded model: config, weights (float32 / int64, in spec order), the safetensors metadata strings and
     * any extra zip entries (name -> bytes).
     */
    public record Loaded(ModelConfig config, Map<String, HostTensor> weights, Map<String, String> metadata,
                         Map<String, byte[]> extras) {
        public Loaded(ModelConfig config, Map<String, HostTensor> weights) {
            this(config, weights, Map.of(), Map.of());
        }
    }

    // ---------------------------------------------------------------- save

    public static void save(Path file, ModelConfig config, Map<String, HostTensor> weights, boolean fp16) throws IOException {
        save(file, new Loaded(config, weights), fp16);
    }

    /** Saves a model, keeping its metadata strings and extra entries unchanged; fp16: every trainable tensor as float16. */
    public static void save(Path file, Loaded model, boolean fp16) throws IOException {
        save(file, model, fp16 ? Storage.FLOAT16 : Storage.FLOAT32);
    }

    /** Saves a model with the given storage, keeping its metadata strings and extra entries unchanged. */
    public static void save(Path file, Loaded model, Storage storage) throws IOException {
        ModelConfig config = model.config().validate();
        Map<String, HostTensor> tensors = storageForm(config, model.weights(), storage, file);
        Map<String, String> metadata = new LinkedHashMap<>(model.metadata());
        metadata.putIfAbsent("format", "pt");
        byte[] json = ConfigJson.toJson(config).getBytes(StandardCharsets.UTF_8);
        for (String name : model.extras().keySet())
            if (name.equals(CONFIG_ENTRY) || name.equals(WEIGHTS_ENTRY) || name.endsWith("/") || !safeEntryName(name))
                throw new IllegalArgumentException("cannot save " + file.getFileName() + ": extra entry name '" + name + "' is reserved");

        AtomicWrite.write(file, out -> {
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                zip.setLevel(6);
                put(zip, CONFIG_ENTRY, json);
                writeWeights(zip, tensors, metadata);
                for (Map.Entry<String, byte[]> e : model.extras().entrySet()) put(zip, e.getKey(), e.getValue());
            }
        });
    }

    /** Checks the weights against the config and converts them to the dtypes stored in the file, in spec order. */
    private static Map<String, HostTensor> storageForm(ModelConfig config, Map<String, HostTensor> weights, Storage storage, Path file) {
        List<WeightSpec.Entry> spec = WeightSpec.of(config);
        WeightSpec.Fit fit = WeightSpec.fit(spec, weights);
        if (!fit.ok())
            throw new IllegalArgumentException("cannot save " + file.getFileName() + ": the weights do not fit the config: " + fit.describe(3));
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (WeightSpec.Entry e : spec) {
            HostTensor t = weights.get(e.name());
            if (e.dtype().equals("I64")) t = t.dtype().equals("I64") ? t : HostTensor.ofLongs(t.toLongs(), t.shape());
            else if (storage.halves(e)) t = t.dtype().equals("F16") ? t : t.toF16();
            else if (!t.dtype().equals("F32")) t = HostTensor.ofFloats(t.toFloats(), t.shape());
            out.put(e.name(), t);
        }
        return out;
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    /** weights.safetensors is stored uncompressed (floats do not compress), so size and CRC come first. */
    private static void writeWeights(ZipOutputStream zip, Map<String, HostTensor> tensors, Map<String, String> metadata) throws IOException {
        byte[] header = SafeTensors.header(tensors, metadata);
        CRC32 crc = new CRC32();
        crc.update(header);
        long size = header.length;
        for (HostTensor t : tensors.values()) {
            crc.update(t.data());
            size += t.data().length;
        }
        ZipEntry e = new ZipEntry(WEIGHTS_ENTRY);
        e.setMethod(ZipEntry.STORED);
        e.setSize(size);
        e.setCompressedSize(size);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(header);
        for (HostTensor t : tensors.values()) zip.write(t.data());
        zip.closeEntry();
    }

    /**
     * Writes the model in {@code in} (a model file, or a training checkpoint: its weights at that step) to {@code out}
     * as a model file stored as {@code storage}, keeping model.json, the metadata and extra entries (a model card)
     * but not a checkpoint's optimizer and trainer state. Refuses to write over a training checkpoint, the input's
     * included, so that no run loses the state it resumes from.
     */
    public static Loaded convert(Path in, Path out, Storage storage) throws IOException {
        return convert(List.of(in), out, storage, false);
    }

    /**
     * As above for the mean of several models' weights (checkpoint averaging: the last checkpoints of one run, say),
     * which must share one model.json; buffers must be equal. The first file gives the metadata and entries.
     * One model is held besides the running mean at a time. With {@code movingAverage}, each input must be a checkpoint
     * of a run that kept a moving average of its weights (train --ema): that average stands for its weights.
     */
    public static Loaded convert(List<Path> in, Path out, Storage storage, boolean movingAverage) throws IOException {
        if (in.isEmpty()) throw new IllegalArgumentException("no model to convert");
        if (isCheckpoint(out))
            throw new IllegalArgumentException(out.getFileName() + " is a training checkpoint: writing the model over it would lose the run's "
                    + "optimizer state; choose another output file");
        Loaded first = load(in.get(0), movingAverage);
        Map<String, HostTensor> weights = new LinkedHashMap<>(first.weights());
        for (int k = 1; k < in.size(); k++) {
            Loaded next = load(in.get(k), movingAverage);
            if (!next.config().equals(first.config()))
                throw new IllegalArgumentException("cannot average " + in.get(k).getFileName() + " with " + in.get(0).getFileName()
                        + ": their model.json differ (average checkpoints of one run or of one architecture)");
            for (WeightSpec.Entry e : WeightSpec.of(first.config())) {
                HostTensor mean = weights.get(e.name()), x = next.weights().get(e.name());
                if (!e.trainable()) {                   // buffers (masks with -inf, level indices) follow from model.json
                    if (!java.util.Arrays.equals(mean.data(), x.data()))
                        throw new IllegalArgumentException("cannot average " + in.get(k).getFileName() + " with " + in.get(0).getFileName()
                                + ": their buffer " + e.name() + " differs");
                    continue;
                }
                float[] m = mean.toFloats(), v = x.toFloats();
                for (int i = 0; i < m.length; i++) m[i] = (float) (m[i] + ((double) v[i] - m[i]) / (k + 1));   // running mean
                weights.put(e.name(), HostTensor.ofFloats(m, mean.shape()));
            }
        }
        Map<String, byte[]> extras = new LinkedHashMap<>(first.extras());
        extras.keySet().removeAll(List.of(OPTIMIZER_ENTRY, TRAINER_ENTRY));
        Loaded model = new Loaded(first.config(), weights, first.metadata(), extras);
        save(out, model, storage);
        return model;
    }

    /** {@link #load}, with a checkpoint's moving average ({@link #MOVING_AVERAGE_PREFIX} in its optimizer state) in place of its weights when asked. */
    private static Loaded load(Path file, boolean movingAverage) throws IOException {
        // a checkpoint's optimizer state is read only for its moving average, the trainer's state never
        Loaded m = load(file, n -> movingAverage ? !n.equals(TRAINER_ENTRY) : !n.equals(OPTIMIZER_ENTRY) && !n.equals(TRAINER_ENTRY));
        if (!movingAverage) return m;
        byte[] state = m.extras().get(OPTIMIZER_ENTRY);
        Map<String, HostTensor> kept = state == null ? Map.of() : SafeTensors.read(state, file.getFileName() + ": " + OPTIMIZER_ENTRY);
        Map<String, HostTensor> weights = new LinkedHashMap<>(m.weights());
        int replaced = 0;
        for (Map.Entry<String, HostTensor> e : kept.entrySet()) {
            if (!e.getKey().startsWith(MOVING_AVERAGE_PREFIX)) continue;
            String name = e.getKey().substring(MOVING_AVERAGE_PREFIX.length());
            HostTensor old = weights.get(name);
            if (old == null || !java.util.Arrays.equals(old.shape(), e.getValue().shape()))
                throw new IllegalArgumentException(file.getFileName() + ": its moving average does not fit its model.json (" + name + ")");
            weights.put(name, e.getValue());
            replaced++;
        }
        if (replaced == 0)
            throw new IllegalArgumentException(file.getFileName() + " holds no moving average of the weights: only a checkpoint of a run "
                    + "trained with --ema has one; leave out --ema to use its weights");
        return new Loaded(m.config(), weights, m.metadata(), m.extras());
    }

    /** Whether {@code file} exists and is a training checkpoint (it holds the trainer's state). */
    public static boolean isCheckpoint(Path file) {
        if (!Files.isRegularFile(file)) return false;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.getEntry(TRAINER_ENTRY) != null;
        } catch (IOException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- load

    /** Loads and validates a model file; failures are one-line IOException / IllegalArgumentException naming the file. */
    public static Loaded load(Path file) throws IOException {
        return load(file, n -> true);
    }

    /** As above, reading only the extra entries {@code keepExtra} accepts. */
    private static Loaded load(Path file, java.util.function.Predicate<String> keepExtra) throws IOException {
        String name = String.valueOf(file.getFileName());
        try (ZipFile zip = open(file)) {
            ModelConfig config = checkedConfig(zip, name);
            ZipEntry we = weightsEntry(zip, name);
            SafeTensors.Contents contents;
            try (InputStream in = zip.getInputStream(we)) {
                contents = SafeTensors.readAll(in, we.getSize(), name + ": " + WEIGHTS_ENTRY);
            } catch (ZipException e) {
                throw new IOException(name + ": " + WEIGHTS_ENTRY + " is damaged (" + e.getMessage() + ")");
            }
            Map<String, HostTensor> weights = checkAndConvert(config, contents.tensors(), name);
            Map<String, byte[]> extras = new LinkedHashMap<>();
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                if (e.isDirectory() || e.getName().equals(CONFIG_ENTRY) || e.getName().equals(WEIGHTS_ENTRY) || !keepExtra.test(e.getName())) continue;
                try (InputStream in = zip.getInputStream(e)) {
                    extras.put(e.getName(), in.readAllBytes());
                }
            }
            return new Loaded(config, weights, Collections.unmodifiableMap(contents.metadata()), Collections.unmodifiableMap(extras));
        }
    }

    /**
     * Refuses archives with entry names that point outside the archive ("../x", "/etc/x", "C:\\x"): nextscale
     * never extracts a model, but such a name is the mark of a tampered file and would be carried into every
     * copy saved from it.
     */
    static void checkEntryNames(ZipFile zip, String name) throws IOException {
        for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
            String n = en.nextElement().getName();
            if (!safeEntryName(n))
                throw new IOException(name + ": refused: it holds an entry named '" + n + "', a path outside the archive"
                        + " (a damaged or tampered model file; use the original file)");
        }
    }

    /** A relative name without "..", backslashes or a drive letter. */
    public static boolean safeEntryName(String n) {
        if (n.isEmpty() || n.startsWith("/") || n.contains("\\") || n.matches("^[A-Za-z]:.*")) return false;
        for (String part : n.split("/")) if (part.equals("..")) return false;
        return true;
    }

    /**
     * A model loaded straight into engine memory ({@link #loadInto}): its config and weights, what the file held,
     * and the memory of the weights deferred to their first use.
     */
    public record Streamed(ModelConfig config, Params params, int tensors, long memoryBytes, java.util.Set<String> fileDtypes,
                           long deferredBytes) {}

    /**
     * Loads a model file into {@code manager} one tensor at a time (never a whole Java copy of the weights),
     * after checking names and shapes against model.json and the memory needed against what is free;
     * {@code progress} counts bytes ("load"). Failures as {@link #load}.
     */
    public static Streamed loadInto(Path file, NDManager manager, ProgressListener progress) throws IOException {
        return loadInto(file, manager, progress, WeightPrecision.FLOAT32);
    }

    /** As above, holding the weights {@code precision} names as float16 in memory (inference only). */
    public static Streamed loadInto(Path file, NDManager manager, ProgressListener progress, WeightPrecision precision) throws IOException {
        return loadInto(file, manager, progress, precision, n -> false);
    }

    /**
     * As above, leaving the weights {@code defer} accepts in the file: {@link Params} knows their names and shapes
     * and reads them from the file the first time one is used. Should the file have been replaced or changed by
     * then, that use fails with a message to load the model again (a changed file's weights would not belong
     * to the others).
     */
    public static Streamed loadInto(Path file, NDManager manager, ProgressListener progress, WeightPrecision precision,
                                    java.util.function.Predicate<String> defer) throws IOException {
        String name = String.valueOf(file.getFileName());
        Stamp stamp = Stamp.of(file);
        WeightStreamer.Result r = readWeights(file, manager, progress, precision, defer.negate());
        if (!r.unread().isEmpty())
            r.params().defer(r.unread(), m -> {
                if (!stamp.equals(Stamp.ofOrNull(file)))
                    throw new IOException(name + " has changed or gone since the model was loaded, and part of its weights (" + String.join(", ",
                            prefixes(r.unread().keySet())) + ") is read from it on first use: load the model again");
                return readWeights(file, m, ProgressListener.NONE, precision, r.unread()::containsKey).params().asMap();
            });
        return new Streamed(r.config(), r.params(), r.tensors() + r.unread().size(), r.memoryBytes(), r.fileDtypes(), r.unreadBytes());
    }

    private static WeightStreamer.Result readWeights(Path file, NDManager manager, ProgressListener progress, WeightPrecision precision,
                                                     java.util.function.Predicate<String> wanted) throws IOException {
        String name = String.valueOf(file.getFileName());
        try (ZipFile zip = open(file)) {
            ModelConfig config = checkedConfig(zip, name);
            ZipEntry we = weightsEntry(zip, name);
            try (InputStream in = new java.io.BufferedInputStream(zip.getInputStream(we), 1 << 20)) {
                return WeightStreamer.read(in, we.getSize(), config, manager, name, progress, precision, wanted);
            } catch (ZipException e) {
                throw new IOException(name + ": " + WEIGHTS_ENTRY + " is damaged (" + e.getMessage() + ")");
            }
        }
    }

    /** "vae.encoder", "vae.quant_conv": the modules (first two name parts) of some weights, in order. */
    private static List<String> prefixes(java.util.Collection<String> names) {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (String n : names) {
            String[] p = n.split("\\.");
            out.add(p.length > 2 ? p[0] + "." + p[1] : n);
        }
        return List.copyOf(out);
    }

    /** What identifies a file's content without reading it: size, modification time and, where the system has one, its inode. */
    private record Stamp(long size, java.nio.file.attribute.FileTime modified, Object key) {
        static Stamp of(Path file) throws IOException {
            java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
            return new Stamp(a.size(), a.lastModifiedTime(), a.fileKey());
        }

        static Stamp ofOrNull(Path file) {
            try {
                return of(file);
            } catch (IOException e) {
                return null;
            }
        }
    }

    /** model.json of an archive whose entry names were checked. */
    private static ModelConfig checkedConfig(ZipFile zip, String name) throws IOException {
        checkEntryNames(zip, name);
        return config(zip, name);
    }

    private static ZipEntry weightsEntry(ZipFile zip, String name) throws IOException {
        ZipEntry we = zip.getEntry(WEIGHTS_ENTRY);
        if (we == null) throw new IOException(name + ": no " + WEIGHTS_ENTRY + " inside: the model file is incomplete");
        return we;
    }

    /** Only model.json (fast: the weights are not read). */
    public static ModelConfig readConfig(Path file) throws IOException {
        try (ZipFile zip = open(file)) {
            return checkedConfig(zip, String.valueOf(file.getFileName()));
        }
    }

    /** The bytes of a small entry of a model file (e.g. training.json), or null when it has none (1 MB at most). */
    public static byte[] readEntry(Path file, String entry) throws IOException {
        try (ZipFile zip = open(file)) {
            ZipEntry e = zip.getEntry(entry);
            if (e == null) return null;
            if (e.getSize() > (1 << 20)) throw new IOException(file.getFileName() + ": " + entry + " is larger than 1 MB");
            try (java.io.InputStream in = zip.getInputStream(e)) {
                return in.readNBytes(1 << 20);
            }
        }
    }

    private static ZipFile open(Path file) throws IOException {
        String name = String.valueOf(file.getFileName());
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString());
        if (!Files.isRegularFile(file)) throw new IOException(name + ": not a file");
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new IOException(name + ": not a nextscale model (not a zip archive, or truncated); a model is a .zip with "
                    + CONFIG_ENTRY + " and " + WEIGHTS_ENTRY);
        }
    }

    private static ModelConfig config(ZipFile zip, String name) throws IOException {
        ZipEntry ce = zip.getEntry(CONFIG_ENTRY);
        if (ce == null) {
            boolean pth = zip.stream().anyMatch(e -> e.getName().endsWith("data.pkl"));
            throw new IOException(name + ": no " + CONFIG_ENTRY + " inside: " + (pth
                    ? "this is a PyTorch checkpoint; convert it with: nextscale import --vae VAE.pth --var VAR.pth --preset d16 --out MODEL.zip"
                    : "not a nextscale model"));
        }
        String json;
        try (InputStream in = zip.getInputStream(ce)) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (ZipException e) {
            throw new IOException(name + ": " + CONFIG_ENTRY + " is damaged (" + e.getMessage() + ")");
        }
        try {
            return ConfigJson.parse(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + CONFIG_ENTRY + ": " + e.getMessage());
        }
    }

    /** Validates names and shapes against model.json and converts every float tensor to float32. */
    private static Map<String, HostTensor> checkAndConvert(ModelConfig config, Map<String, HostTensor> raw, String name) {
        List<WeightSpec.Entry> spec = WeightSpec.of(config);
        WeightSpec.Fit fit = WeightSpec.fit(spec, raw);
        if (!fit.ok()) throw new IllegalArgumentException(name + ": " + mismatchMessage(config, raw, fit));
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (WeightSpec.Entry e : spec) {
            HostTensor t = raw.get(e.name());
            if (e.dtype().equals("F32") && !t.dtype().equals("F32")) t = HostTensor.ofFloats(t.toFloats(), t.shape());
            else if (e.dtype().equals("I64") && !t.dtype().equals("I64")) t = HostTensor.ofLongs(t.toLongs(), t.shape());
            out.put(e.name(), t);
        }
        return Collections.unmodifiableMap(out);
    }

    /** "weights miss 'var.head.weight' (is this a tokenizer-only model?)" and similar, with a hint where one helps. */
    static String mismatchMessage(ModelConfig config, Map<String, HostTensor> weights, WeightSpec.Fit fit) {
        return mismatchMessage(config, weights.keySet(), fit);
    }

    static String mismatchMessage(ModelConfig config, java.util.Set<String> weightNames, WeightSpec.Fit fit) {
        boolean hasVarWeights = weightNames.stream().anyMatch(k -> k.startsWith("var."));
        StringBuilder m = new StringBuilder();
        if (!fit.missing().isEmpty()) {
            String first = fit.missing().stream().filter(k -> k.endsWith("head.weight")).findFirst().orElse(fit.missing().get(0));
            m.append("weights miss '").append(first).append("'");
            if (fit.missing().size() > 1) m.append(" and ").append(fit.missing().size() - 1).append(" more");
            if (config.var() != null && !hasVarWeights) m.append(" (is this a tokenizer-only model?)");
        }
        if (!fit.unexpected().isEmpty()) {
            if (m.length() > 0) m.append("; ");
            m.append("weights have unexpected '").append(fit.unexpected().get(0)).append("'");
            if (fit.unexpected().size() > 1) m.append(" and ").append(fit.unexpected().size() - 1).append(" more");
            if (config.var() == null && hasVarWeights) m.append(" (" + CONFIG_ENTRY + " has no \"var\" section but the weights hold a transformer)");
        }
        if (!fit.misShaped().isEmpty()) {
            if (m.length() > 0) m.append("; ");
            m.append("weight ").append(fit.misShaped().get(0).replace("(config: ", "(" + CONFIG_ENTRY + ": "));
            if (fit.misShaped().size() > 1) m.append(" and ").append(fit.misShaped().size() - 1).append(" more mis-shaped");
        }
        return m.toString();
    }
}
