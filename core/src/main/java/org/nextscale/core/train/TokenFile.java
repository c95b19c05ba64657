package org.nextscale.core.train;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.io.HostTensor;

/**
 * A tokenized data set that {@code train --tokens} reads instead of tokenizing the images itself: a
 * safetensors file with {@code tokens} (I32, N x L: every scale's ids in sequence order) and {@code labels}
 * (I32, N), and in its metadata the tokenizer's id ({@link #tokenizerId}), the scales and the class names.
 * The Spark {@code tokenize} job writes it next to its Parquet table ({@link #SIDECAR} inside the table's
 * folder, a name Parquet readers skip), so core reads token tables without Parquet or Hadoop. Rows are in
 * the order {@code ImageFolder} reads the images (class folder, then path), so training on the file and on
 * the folder sees the same data in the same order. Written and read as streams: no size limit but memory.
 */
public final class TokenFile {
    public static final String SIDECAR = "_nextscale_tokens.safetensors";
    public static final String FORMAT = "nextscale-tokens/1";

    private TokenFile() {}

    /** Labels, class names and tokens (N x L) of a table. */
    public record Contents(String tokenizerId, List<Integer> patchNums, List<String> classNames, int[] labels, short[][] tokens) {
        public int size() {
            return labels.length;
        }
    }

    /**
     * What identifies a tokenizer: SHA-256 over the scales, the image size and channels and every
     * {@code vae.} tensor (name, dtype, shape, bytes). A model and the tokenizer-only file it was trained
     * from give the same id; a retrained or fp16 tokenizer does not.
     */
    public static String tokenizerId(ModelConfig config, Map<String, HostTensor> weights) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(("patch_nums=" + config.patchNums() + ";image_size=" + config.imageSize() + ";channels=" + config.channels()
                    + ";vocab=" + config.vqvae().vocabSize()).getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, HostTensor> e : new TreeMap<>(weights).entrySet()) {
                if (!e.getKey().startsWith("vae.")) continue;
                HostTensor t = e.getValue();
                d.update((e.getKey() + ":" + t.dtype() + ":" + java.util.Arrays.toString(t.shape())).getBytes(StandardCharsets.UTF_8));
                d.update(t.data());
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Streaming writer: {@link #add} each row in order, then {@link #finish}. */
    public static final class Writer {
        private final OutputStream out;
        private final int rows, length;
        private final int[] labels;
        private int written;

        /** Writes the header at once; exactly {@code rows} rows of {@code sum(pn^2)} tokens must follow. */
        public Writer(OutputStream out, int rows, String tokenizerId, List<Integer> patchNums, List<String> classNames) throws IOException {
            this.out = out;
            this.rows = rows;
            int l = 0;
            for (int p : patchNums) l += p * p;
            this.length = l;
            this.labels = new int[rows];
            Map<String, String> md = new LinkedHashMap<>();
            md.put("format", FORMAT);
            md.put("tokenizer_id", tokenizerId);
            md.put("patch_nums", new Gson().toJson(patchNums));
            md.put("class_names", new Gson().toJson(classNames));
            JsonObject h = new JsonObject();
            JsonObject m = new JsonObject();
            md.forEach(m::addProperty);
            h.add("__metadata__", m);
            long tokBytes = 4L * rows * length;
            h.add("tokens", entry(new long[] {rows, length}, 0, tokBytes));
            h.add("labels", entry(new long[] {rows}, tokBytes, tokBytes + 4L * rows));
            byte[] json = new Gson().toJson(h).getBytes(StandardCharsets.UTF_8);
            int pad = (8 - json.length % 8) % 8;
            ByteBuffer b = ByteBuffer.allocate(8 + json.length + pad).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(json.length + pad).put(json);
            for (int i = 0; i < pad; i++) b.put((byte) ' ');
            out.write(b.array());
        }

        private static JsonObject entry(long[] shape, long from, long to) {
            JsonObject o = new JsonObject();
            o.addProperty("dtype", "I32");
            JsonArray s = new JsonArray();
            for (long v : shape) s.add(v);
            o.add("shape", s);
            JsonArray off = new JsonArray();
            off.add(from);
            off.add(to);
            o.add("data_offsets", off);
            return o;
        }

        /** One image: its label and its token ids per scale, coarsest first. */
        public void add(int label, List<int[]> perScale) throws IOException {
            if (written >= rows) throw new IllegalStateException("more rows than announced (" + rows + ")");
            ByteBuffer b = ByteBuffer.allocate(4 * length).order(ByteOrder.LITTLE_ENDIAN);
            for (int[] s : perScale) for (int t : s) b.putInt(t);
            if (b.position() != b.capacity()) throw new IllegalArgumentException("a row has " + b.position() / 4 + " tokens, expected " + length);
            out.write(b.array());
            labels[written++] = label;
        }

        public void finish() throws IOException {
            if (written != rows) throw new IllegalStateException("wrote " + written + " rows of " + rows);
            ByteBuffer b = ByteBuffer.allocate(4 * rows).order(ByteOrder.LITTLE_ENDIAN);
            for (int l : labels) b.putInt(l);
            out.write(b.array());
            out.flush();
        }
    }

    /** The file itself, or a table folder holding {@link #SIDECAR}. */
    public static Path resolve(Path tableOrFile) {
        return Files.isDirectory(tableOrFile) ? tableOrFile.resolve(SIDECAR) : tableOrFile;
    }

    public static Contents read(Path tableOrFile) throws IOException {
        Path f = resolve(tableOrFile);
        if (!Files.isRegularFile(f)) {
            throw new IOException(Files.isDirectory(tableOrFile)
                    ? "tokens " + tableOrFile + " has no " + SIDECAR + ": it is not a finished table of 'nextscale spark tokenize' (run the job again)"
                    : "tokens " + tableOrFile + ": no such table or file (give the folder written by 'nextscale spark tokenize')");
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f), 1 << 16))) {
            return read(in, f.toString());
        }
    }

    private static Contents read(DataInputStream in, String what) throws IOException {
        try {
            byte[] len = in.readNBytes(8);
            long hl = len.length == 8 ? ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong() : -1;
            if (hl <= 1 || hl > 10_000_000) throw new IOException(what + ": not a token file of 'nextscale spark tokenize'");
            JsonObject h = JsonParser.parseString(new String(in.readNBytes((int) hl), StandardCharsets.UTF_8).trim()).getAsJsonObject();
            JsonObject md = h.getAsJsonObject("__metadata__");
            if (md == null || !md.has("format") || !md.get("format").getAsString().equals(FORMAT) || !h.has("tokens") || !h.has("labels"))
                throw new IOException(what + ": not a token file of 'nextscale spark tokenize' (format " + FORMAT + ")");
            Gson g = new Gson();
            List<Integer> pns = g.fromJson(md.get("patch_nums").getAsString(), new TypeToken<List<Integer>>() {}.getType());
            List<String> names = g.fromJson(md.get("class_names").getAsString(), new TypeToken<List<String>>() {}.getType());
            JsonArray shape = h.getAsJsonObject("tokens").getAsJsonArray("shape");
            int n = shape.get(0).getAsInt(), l = shape.get(1).getAsInt();
            short[][] tokens = new short[n][l];
            byte[] row = new byte[4 * l];
            for (int i = 0; i < n; i++) {
                in.readFully(row);
                ByteBuffer b = ByteBuffer.wrap(row).order(ByteOrder.LITTLE_ENDIAN);
                for (int j = 0; j < l; j++) tokens[i][j] = (short) b.getInt();
            }
            byte[] lab = new byte[4 * n];
            in.readFully(lab);
            int[] labels = new int[n];
            ByteBuffer b = ByteBuffer.wrap(lab).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) labels[i] = b.getInt();
            return new Contents(md.get("tokenizer_id").getAsString(), pns, names, labels, tokens);
        } catch (EOFException e) {
            throw new IOException(what + ": truncated token file (the job that wrote it did not finish; run it again)");
        } catch (RuntimeException e) {
            throw new IOException(what + ": not a token file of 'nextscale spark tokenize' (" + e.getMessage() + ")");
        }
    }

    /** Row lengths expected for these scales. */
    static int length(List<Integer> patchNums) {
        int l = 0;
        for (int p : patchNums) l += p * p;
        return l;
    }
}
