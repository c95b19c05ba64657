package org.nextscale.core.io;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format: 8-byte little-endian header length, a JSON header mapping each name to
 * {dtype, shape, data_offsets}, then the raw little-endian data. Pure Java; validated on read so a
 * truncated or foreign file gives a clear {@link IOException} instead of a crash.
 */
public final class SafeTensors {
    private SafeTensors() {}

    public static Map<String, HostTensor> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such file");
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return readAll(in, Files.size(file), file.toString()).tensors();
        }
    }

    public static Map<String, HostTensor> read(byte[] bytes, String what) throws IOException {
        return read(new ByteArrayInputStream(bytes), what);
    }

    /** Reads a safetensors stream of any size (tensors are read one at a time, never the whole file at once). */
    public static Map<String, HostTensor> read(InputStream in, String what) throws IOException {
        return readAll(in, what).tensors();
    }

    /** The tensors (in header order) and the header's __metadata__ strings. */
    public record Contents(Map<String, HostTensor> tensors, Map<String, String> metadata) {}

    /** Streaming read of tensors and metadata; a stream that ends early gives an IOException saying "truncated". */
    public static Contents readAll(InputStream in, String what) throws IOException {
        return readAll(in, -1, what);
    }

    /**
     * As {@link #readAll(InputStream, String)} for a stream of {@code size} bytes (-1 when unknown): every size
     * the header declares is checked against the real size before any memory is taken for it.
     */
    public static Contents readAll(InputStream in, long size, String what) throws IOException {
        Map<String, HostTensor> read = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        Map<String, String> metadata = stream(in, size, what,
                declared -> declared.forEach(d -> order.add(d.name())),
                (d, data) -> {
                    byte[] bytes = data.readNBytes((int) d.bytes());
                    if (bytes.length == d.bytes()) read.put(d.name(), new HostTensor(d.dtype(), d.shape(), bytes));   // else: "truncated"
                });
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (String name : order) out.put(name, read.get(name));
        return new Contents(out, metadata);
    }

    /** What the header declares about one tensor. */
    public record Declared(String name, String dtype, long[] shape) {
        public long bytes() {
            return HostTensor.numel(shape) * HostTensor.bytesPerElement(dtype);
        }
    }

    /**
     * Receives a tensor: {@code data} holds exactly its {@link Declared#bytes()} bytes (checked to be there),
     * to be read now, e.g. in chunks straight into engine memory; what it leaves unread is skipped.
     */
    @FunctionalInterface
    public interface Sink {
        void accept(Declared tensor, InputStream data) throws IOException;
    }

    /** Sees every declaration before any tensor is read; throws to refuse the file. */
    @FunctionalInterface
    public interface Check {
        void accept(List<Declared> declared) throws IOException;
    }

    /**
     * Streams a safetensors file of {@code size} bytes (-1 when unknown) one tensor at a time, in file order:
     * every declared size is checked against the real size, then {@code check} sees the declarations (header
     * order), then {@code sink} gets each tensor's bytes, so a reader that hands them on holds one tensor at a
     * time. Returns the header's __metadata__ strings; a stream that ends early is an IOException saying "truncated".
     */
    public static Map<String, String> stream(InputStream in, long size, String what, Check check, Sink sink) throws IOException {
        byte[] len = in.readNBytes(8);
        if (len.length < 8) throw new IOException(what + ": not a safetensors file (only " + len.length + " bytes)");
        long headerLen = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLen <= 1 || headerLen > 100_000_000L)
            throw new IOException(what + ": not a safetensors file (header length " + headerLen + ")");
        if (size >= 0 && 8 + headerLen > size)
            throw new IOException(what + ": truncated or forged: the header claims " + headerLen + " bytes but the file has only " + size);
        byte[] h = in.readNBytes((int) headerLen);
        if (h.length < headerLen)
            throw new IOException(what + ": truncated: the header needs " + headerLen + " bytes but the file ends after " + h.length);
        Header header = parseHeader(h, what);
        // the data in file order, whatever the header's order
        List<Slot> byOffset = new ArrayList<>(header.slots());
        byOffset.sort(Comparator.comparingLong(Slot::begin));
        long pos = 0, base = 8 + headerLen;
        for (Slot s : byOffset) {
            if (size >= 0 && base + s.end > size) throw truncated(what, s.name, base + s.end, size);
            if (s.end - s.begin > Integer.MAX_VALUE - 16)
                throw new IOException(what + ": tensor '" + s.name + "' claims " + (s.end - s.begin) + " bytes, more than one tensor can hold (2 GB)");
        }
        List<Declared> declared = new ArrayList<>();
        for (Slot s : header.slots()) declared.add(new Declared(s.name, s.dtype, s.shape));
        check.accept(declared);
        for (Slot s : byOffset) {
            if (s.begin < pos) throw new IOException(what + ": tensor '" + s.name + "' overlaps another tensor");
            long skipped = skip(in, s.begin - pos, size >= 0);
            if (skipped < s.begin - pos) throw truncated(what, s.name, base + s.end, base + pos + skipped);
            Bounded data = new Bounded(in, s.end - s.begin, size >= 0);
            sink.accept(new Declared(s.name, s.dtype, s.shape), data);
            if (data.drain() < s.end - s.begin) throw truncated(what, s.name, base + s.end, base + s.begin + data.read);
            pos = s.end;
        }
        return header.metadata();
    }

    /** The next {@code limit} bytes of a stream; a read past its end sees the end of the stream, not an error. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private final long limit;
        private final boolean seek;
        private long read;

        Bounded(InputStream in, long limit, boolean seek) {
            this.in = in;
            this.limit = limit;
            this.seek = seek;
        }

        @Override
        public int read() throws IOException {
            if (read >= limit) return -1;
            int b = in.read();
            if (b >= 0) read++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (read >= limit) return -1;
            int n = in.read(b, off, (int) Math.min(len, limit - read));
            if (n > 0) read += n;
            return n;
        }

        /** Skips what the sink left unread; returns the bytes the tensor really had. */
        long drain() throws IOException {
            read += SafeTensors.skip(in, limit - read, seek);
            return read;
        }
    }

    /** Where a tensor's bytes are, relative to the end of the header. */
    private record Slot(String name, String dtype, long[] shape, long begin, long end) {}

    /** A parsed header: tensor slots in header order, and the __metadata__ strings. */
    private record Header(List<Slot> slots, Map<String, String> metadata) {}

    /** The one header parser: JSON, every entry's dtype, shape and byte range, checked against each other. */
    private static Header parseHeader(byte[] json, String what) throws IOException {
        JsonObject header;
        try {
            header = JsonParser.parseString(new String(json, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IOException(what + ": not a safetensors file (header is not JSON)");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Slot> slots = new ArrayList<>();
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            try {
                if (e.getKey().equals("__metadata__")) {
                    for (Map.Entry<String, JsonElement> m : e.getValue().getAsJsonObject().entrySet())
                        metadata.put(m.getKey(), m.getValue().getAsString());
                    continue;
                }
                JsonObject t = e.getValue().getAsJsonObject();
                String dtype = t.get("dtype").getAsString();
                JsonArray sh = t.getAsJsonArray("shape");
                long[] shape = new long[sh.size()];
                for (int i = 0; i < shape.length; i++) shape[i] = sh.get(i).getAsLong();
                JsonArray off = t.getAsJsonArray("data_offsets");
                long begin = off.get(0).getAsLong(), end = off.get(1).getAsLong();
                long need = HostTensor.numel(shape) * HostTensor.bytesPerElement(dtype);
                if (begin < 0 || end - begin != need)
                    throw new IOException(what + ": tensor '" + e.getKey() + "' has " + (end - begin) + " bytes but its shape needs " + need);
                slots.add(new Slot(e.getKey(), dtype, shape, begin, end));
            } catch (IOException x) {
                throw x;
            } catch (RuntimeException x) {
                throw new IOException(what + ": malformed entry '" + e.getKey() + "': " + x.getMessage());
            }
        }
        return new Header(slots, metadata);
    }

    private static IOException truncated(String what, String tensor, long end, long fileEnd) {
        return new IOException(what + ": truncated: tensor '" + tensor + "' ends at byte " + end
                + " but the file ends at byte " + fileEnd);
    }

    /**
     * Skips n bytes; returns how many there were. With {@code seek} (the stream's size was checked against every
     * tensor's end first, so skipping cannot pass it unnoticed) the stream moves its position without reading where
     * it can (a file, a stored zip entry: skipping 1.5 GB takes microseconds, not a second); otherwise it reads.
     */
    static long skip(InputStream in, long n, boolean seek) throws IOException {
        long done = 0;
        while (done < n) {
            long s = seek ? in.skip(n - done) : 0;
            if (s > 0) {
                done += s;
                continue;
            }
            byte[] b = in.readNBytes((int) Math.min(n - done, 1 << 20));      // skip may give 0 before the end
            if (b.length == 0) break;
            done += b.length;
        }
        return done;
    }

    /** The first part of a file: 8-byte little-endian length, the JSON header, space padding to 8 bytes. */
    public static byte[] header(Map<String, HostTensor> tensors, Map<String, String> metadata) {
        JsonObject header = new JsonObject();
        if (metadata != null && !metadata.isEmpty()) {
            JsonObject md = new JsonObject();
            metadata.forEach(md::addProperty);
            header.add("__metadata__", md);
        }
        long offset = 0;
        for (Map.Entry<String, HostTensor> e : tensors.entrySet()) {
            HostTensor t = e.getValue();
            JsonObject o = new JsonObject();
            o.addProperty("dtype", t.dtype());
            JsonArray sh = new JsonArray();
            for (long s : t.shape()) sh.add(s);
            o.add("shape", sh);
            JsonArray off = new JsonArray();
            off.add(offset);
            off.add(offset + t.data().length);
            o.add("data_offsets", off);
            header.add(e.getKey(), o);
            offset += t.data().length;
        }
        byte[] h = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
        int pad = (8 - h.length % 8) % 8; // align data to 8 bytes, padding with spaces as the spec allows
        ByteBuffer out = ByteBuffer.allocate(8 + h.length + pad).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(h.length + pad).put(h);
        for (int i = 0; i < pad; i++) out.put((byte) ' ');
        return out.array();
    }

    /** Size in bytes of the file {@link #write} produces. */
    public static long size(Map<String, HostTensor> tensors, Map<String, String> metadata) {
        long n = header(tensors, metadata).length;
        for (HostTensor t : tensors.values()) n += t.data().length;
        return n;
    }

    public static byte[] toBytes(Map<String, HostTensor> tensors, Map<String, String> metadata) {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, size(tensors, metadata)));
        try {
            write(tensors, metadata, out);
        } catch (IOException e) {
            throw new IllegalStateException(e); // cannot happen for a byte array
        }
        return out.toByteArray();
    }

    /** Streams the file: header, then each tensor's bytes (no copy of the whole file in memory). */
    public static void write(Map<String, HostTensor> tensors, Map<String, String> metadata, OutputStream out) throws IOException {
        out.write(header(tensors, metadata));
        for (HostTensor t : tensors.values()) out.write(t.data());
    }
}
