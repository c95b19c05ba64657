package org.nextscale.core.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes small checkpoints in torch.save's zip format for tests, opcode by opcode (pickle protocol 2),
 * the way PyTorch writes them: tensors through torch._utils._rebuild_tensor_v2 with persistent-id storages.
 * Lets the tests cover strides, offsets, shared storages, bf16/f16 and nesting without Python.
 */
final class TorchSaveWriter {
    private final ByteArrayOutputStream pkl = new ByteArrayOutputStream();
    private final Map<String, byte[]> storages = new LinkedHashMap<>();

    TorchSaveWriter() {
        pkl.write(0x80);
        pkl.write(2);
    }

    /** Adds a raw storage (little-endian bytes) under a key. */
    TorchSaveWriter storage(String key, byte[] bytes) {
        storages.put(key, bytes);
        return this;
    }

    TorchSaveWriter op(char c) {
        pkl.write(c);
        return this;
    }

    TorchSaveWriter global(String module, String name) {
        pkl.write('c');
        pkl.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    TorchSaveWriter str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        pkl.write('X');
        pkl.writeBytes(le4(b.length));
        pkl.writeBytes(b);
        return this;
    }

    TorchSaveWriter integer(int v) {
        pkl.write('J');
        pkl.writeBytes(le4(v));
        return this;
    }

    TorchSaveWriter tuple(long... v) {
        op('(');
        for (long x : v) integer((int) x);
        return op('t');
    }

    /** Pushes an empty collections.OrderedDict. */
    TorchSaveWriter orderedDict() {
        return global("collections", "OrderedDict").op(')').op('R');
    }

    /** Pushes a tensor: a view (offset, size, stride) into storage key of the given torch storage class. */
    TorchSaveWriter tensor(String storageClass, String key, long numel, long offset, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2").op('(');
        op('(').str("storage").global("torch", storageClass).str(key).str("cpu").integer((int) numel).op('t').op('Q');
        integer((int) offset).tuple(size).tuple(stride);
        pkl.write(0x89); // NEWFALSE: requires_grad
        orderedDict();   // backward hooks
        return op('t').op('R');
    }

    /** Writes the archive: prefix/data.pkl, prefix/data/KEY, prefix/version, prefix/byteorder. */
    void write(Path file, String prefix) throws IOException {
        pkl.write('.');
        try (OutputStream fo = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(fo)) {
            put(zip, prefix + "/data.pkl", pkl.toByteArray());
            put(zip, prefix + "/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            for (Map.Entry<String, byte[]> e : storages.entrySet()) put(zip, prefix + "/data/" + e.getKey(), e.getValue());
            put(zip, prefix + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] b) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(b);
        zip.closeEntry();
    }

    static byte[] le4(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    static byte[] shorts(int... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) b.putShort((short) x);
        return b.array();
    }

    static byte[] longs(long... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) b.putLong(x);
        return b.array();
    }
}
