package org.nextscale.core.model;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;
import org.nextscale.core.io.HostTensor;

/**
 * Reads PyTorch checkpoints written by {@code torch.save} (PyTorch >= 1.6) without Python.
 *
 * <p>Such a file is a zip: {@code <name>/data.pkl} is a pickle (protocol 2) of the saved object, and each
 * tensor's storage is a raw little-endian file {@code <name>/data/<key>}. In the pickle, storages appear as
 * persistent ids {@code ('storage', torch.FloatStorage, key, location, numel)} and tensors are rebuilt by
 * {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)}. Both are
 * registered here with net.razorvine's unpickler; tensors stay lazy references until asked for, so a
 * training checkpoint's optimizer state is never read when only the weights are wanted.
 *
 * <p>Storages of type float32, float16, bfloat16, float64 and the integer types are supported. bfloat16 is
 * converted to float32 here (the engine crashes on bf16); any storage offset and strides are honoured and
 * the result is always a contiguous tensor.
 *
 * <p>{@link #readStateDict} accepts a plain state dict (the official VAR checkpoints) and also a state
 * dict nested in other dicts, e.g. {@code {"model": {...}}} or a VAR training checkpoint
 * {@code {"trainer": {"var_wo_ddp": {...}, "vae_local": {...}, ...}, ...}}; the DDP / torch.compile name
 * prefixes "module." and "_orig_mod." are removed.
 */
public final class PthReader {
    private PthReader() {}

    /** A storage named by a persistent id: the zip entry data/{key}, numel elements of dtype. */
    record StorageRef(String dtype, String key, long numel) {}

    /** A tensor before its data is read: a view (offset, size, stride in elements) into a storage. */
    record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}

    /** A pickle naming a global outside {@link #ALLOWED_GLOBALS}. */
    static final class RefusedGlobal extends PickleException {
        final String global;

        RefusedGlobal(String global) {
            super("refused global " + global);
            this.global = global;
        }
    }

    /** torch.FloatStorage and friends: a constructor object the pickle names in persistent ids. */
    record StorageType(String dtype) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            throw new PickleException("storage types are not constructed directly");
        }
    }

    /** collections.OrderedDict; the state dict's _metadata attribute (set through BUILD) is ignored. */
    public static final class OrderedDict extends LinkedHashMap<Object, Object> {
        public void __setstate__(Map<?, ?> state) {
            // attributes such as _metadata (module versions) carry no weights
        }
    }

    /**
     * The only globals a checkpoint's pickle may name, as torch.load(weights_only=True) allows: storage
     * types, tensor and parameter rebuilding, OrderedDict and the builtins pickle itself uses for bytes and
     * sets. Any other global (os.system, builtins.eval, a user class, ...) is refused before anything is
     * built from it: a pickle that names one is not a plain checkpoint.
     */
    private static final java.util.Set<String> ALLOWED_GLOBALS = new java.util.HashSet<>(List.of(
            "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
            "torch._utils._rebuild_parameter_with_state", "_codecs.encode", "__builtin__.set", "builtins.set",
            "__builtin__.bytearray", "builtins.bytearray"));

    static {
        String[][] storages = {
            {"FloatStorage", "F32"}, {"DoubleStorage", "F64"}, {"HalfStorage", "F16"}, {"BFloat16Storage", "BF16"},
            {"LongStorage", "I64"}, {"IntStorage", "I32"}, {"ShortStorage", "I16"}, {"CharStorage", "I8"},
            {"ByteStorage", "U8"}, {"BoolStorage", "BOOL"}};
        for (String[] s : storages) {
            Unpickler.registerConstructor("torch", s[0], new StorageType(s[1]));
            ALLOWED_GLOBALS.add("torch." + s[0]);
        }
        Unpickler.registerConstructor("collections", "OrderedDict", args -> new OrderedDict());
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor_v2", PthReader::rebuildTensor);
        Unpickler.registerConstructor("torch._utils", "_rebuild_parameter", args -> args[0]);
        Unpickler.registerConstructor("torch._utils", "_rebuild_parameter_with_state", args -> args[0]);
    }

    private static Object rebuildTensor(Object[] args) {
        if (!(args[0] instanceof StorageRef storage)) throw new PickleException("tensor without a storage: " + args[0]);
        return new TensorRef(storage, ((Number) args[1]).longValue(), longs(args[2]), longs(args[3]));
    }

    private static long[] longs(Object tuple) {
        Object[] t = (Object[]) tuple;
        long[] r = new long[t.length];
        for (int i = 0; i < t.length; i++) r[i] = ((Number) t[i]).longValue();
        return r;
    }

    /**
     * The unpickler of one file: turns persistent ids into storage references, and keeps dict order
     * (the library's EMPTY_DICT / SETITEMS use an unordered HashMap; state dicts are ordered).
     */
    private static final class TorchUnpickler extends Unpickler {
        private static final short EMPTY_DICT = '}', SETITEMS = 'u', BUILD = 'b', GLOBAL = 'c', STACK_GLOBAL = 0x93, INST = 'i';

        @Override
        protected Object dispatch(short key) throws IOException {
            if (key == GLOBAL) {
                String module = net.razorvine.pickle.PickleUtils.readline(input), name = net.razorvine.pickle.PickleUtils.readline(input);
                stack.add(allowedGlobal(module, name));
                return NO_RETURN_VALUE;
            }
            if (key == STACK_GLOBAL) {
                Object name = stack.pop(), module = stack.pop();
                stack.add(allowedGlobal(String.valueOf(module), String.valueOf(name)));
                return NO_RETURN_VALUE;
            }
            if (key == INST) {
                String module = net.razorvine.pickle.PickleUtils.readline(input), name = net.razorvine.pickle.PickleUtils.readline(input);
                throw new RefusedGlobal(module + "." + name);
            }
            if (key == EMPTY_DICT) {
                stack.add(new LinkedHashMap<>());
                return NO_RETURN_VALUE;
            }
            if (key == SETITEMS) {
                List<Object> items = stack.pop_all_since_marker(); // k1, v1, k2, v2, ... in pickle order
                @SuppressWarnings("unchecked")
                Map<Object, Object> dict = (Map<Object, Object>) stack.peek();
                for (int i = 0; i + 1 < items.size(); i += 2) dict.put(items.get(i), items.get(i + 1));
                return NO_RETURN_VALUE;
            }
            if (key == BUILD) { // obj.__setstate__(state) where such a method exists; other attributes are not needed
                Object state = stack.pop();
                Object target = stack.peek();
                for (Method m : target.getClass().getMethods())
                    if (m.getName().equals("__setstate__") && m.getParameterCount() == 1 && m.getParameterTypes()[0].isInstance(state)) {
                        try {
                            m.invoke(target, state);
                        } catch (ReflectiveOperationException e) {
                            throw new PickleException("cannot set the state of " + target.getClass().getSimpleName() + ": " + e);
                        }
                        break;
                    }
                return NO_RETURN_VALUE;
            }
            return super.dispatch(key);
        }

        /** The constructor registered for an allowed global; any other global is refused, nothing is called. */
        private static IObjectConstructor allowedGlobal(String module, String name) {
            String full = module + "." + name;
            IObjectConstructor c = ALLOWED_GLOBALS.contains(full) ? objectConstructors.get(full) : null;
            if (c == null) throw new RefusedGlobal(full);
            return c;
        }

        @Override
        protected Object persistentLoad(Object pid) {
            if (pid instanceof Object[] t && t.length >= 5 && "storage".equals(t[0])) {
                if (!(t[1] instanceof StorageType type))
                    throw new PickleException("unsupported storage type " + t[1]);
                return new StorageRef(type.dtype(), String.valueOf(t[2]), ((Number) t[4]).longValue());
            }
            throw new PickleException("unsupported persistent id " + (pid instanceof Object[] a ? Arrays.toString(a) : pid));
        }
    }

    // ---------------------------------------------------------------- public API

    /** The whole saved object: maps, lists, tuples (Object[]), numbers, strings, and tensors as {@link HostTensor}. */
    public static Object read(Path file) throws IOException {
        try (Archive a = Archive.open(file)) {
            return a.materialize(a.root);
        }
    }

    /**
     * The state dict (name -> tensor) inside a checkpoint. When the file holds several dicts of tensors, the
     * first whose path contains one of {@code preferredKeys} (e.g. "var_wo_ddp", "model") is taken.
     */
    public static Map<String, HostTensor> readStateDict(Path file, List<String> preferredKeys) throws IOException {
        try (Archive a = Archive.open(file)) {
            List<Found> dicts = new ArrayList<>();
            collect(a.root, "", dicts);
            if (dicts.isEmpty())
                throw new IOException(a.name + ": holds no state dict (no dict of tensors found)");
            Found pick = dicts.size() == 1 ? dicts.get(0) : null;
            for (String key : preferredKeys) {
                if (pick != null) break;
                for (Found f : dicts) if (Arrays.asList(f.path.split("/")).contains(key)) { pick = f; break; }
            }
            if (pick == null) {
                List<String> paths = new ArrayList<>();
                for (Found f : dicts) paths.add(f.path.isEmpty() ? "(top level)" : f.path);
                throw new IOException(a.name + ": holds several state dicts " + paths + " and none is named "
                        + preferredKeys + ": save the one you want with torch.save(model.state_dict(), path)");
            }
            Map<String, HostTensor> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : pick.dict.entrySet())
                out.put(String.valueOf(e.getKey()), a.tensor((TensorRef) e.getValue(), String.valueOf(e.getKey())));
            return stripPrefixes(out);
        }
    }

    /** Removes "module." (DistributedDataParallel) and "_orig_mod." (torch.compile) when every key has them. */
    static Map<String, HostTensor> stripPrefixes(Map<String, HostTensor> sd) {
        for (String prefix : List.of("module.", "_orig_mod.")) {
            if (sd.isEmpty() || !sd.keySet().stream().allMatch(k -> k.startsWith(prefix))) continue;
            Map<String, HostTensor> r = new LinkedHashMap<>();
            sd.forEach((k, v) -> r.put(k.substring(prefix.length()), v));
            sd = r;
        }
        return sd;
    }

    private record Found(String path, Map<?, ?> dict) {}

    /** Every non-empty dict whose values are all tensors, with its path of keys ("trainer/var_wo_ddp"). */
    private static void collect(Object node, String path, List<Found> out) {
        if (node instanceof Map<?, ?> m) {
            if (!m.isEmpty() && m.values().stream().allMatch(v -> v instanceof TensorRef)) {
                out.add(new Found(path, m));
                return;
            }
            for (Map.Entry<?, ?> e : m.entrySet())
                collect(e.getValue(), path.isEmpty() ? String.valueOf(e.getKey()) : path + "/" + e.getKey(), out);
        } else if (node instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) collect(l.get(i), path + "/" + i, out);
        } else if (node instanceof Object[] t) {
            for (int i = 0; i < t.length; i++) collect(t[i], path + "/" + i, out);
        }
    }

    // ---------------------------------------------------------------- the archive

    /** An open checkpoint: the unpickled object tree and access to the storages. */
    private static final class Archive implements AutoCloseable {
        final ZipFile zip;
        final String name;
        final String prefix; // "<name>/" before data.pkl
        final Object root;
        final Map<String, byte[]> storages = new HashMap<>();

        private Archive(ZipFile zip, String name, String prefix, Object root) {
            this.zip = zip;
            this.name = name;
            this.prefix = prefix;
            this.root = root;
        }

        static Archive open(Path file) throws IOException {
            String name = String.valueOf(file.getFileName());
            if (!Files.isRegularFile(file)) throw new IOException(file + ": no such file");
            ZipFile zip;
            try {
                zip = new ZipFile(file.toFile());
            } catch (ZipException e) {
                throw new IOException(name + ": " + notZipReason(file));
            }
            try {
                String prefix = null;
                for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                    String n = en.nextElement().getName();
                    if (n.endsWith("data.pkl") && (prefix == null || n.length() < prefix.length() + 8))
                        prefix = n.substring(0, n.length() - "data.pkl".length());
                }
                if (prefix == null)
                    throw new IOException(name + ": not a PyTorch checkpoint (a zip without data.pkl)");
                ZipEntry order = zip.getEntry(prefix + "byteorder");
                if (order != null) {
                    try (InputStream in = zip.getInputStream(order)) {
                        String bo = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
                        if (!bo.equals("little"))
                            throw new IOException(name + ": written on a " + bo + "-endian machine; only little-endian checkpoints are supported");
                    }
                }
                Object root;
                try (InputStream in = zip.getInputStream(zip.getEntry(prefix + "data.pkl"))) {
                    root = new TorchUnpickler().load(in);
                } catch (RefusedGlobal e) {
                    throw new IOException(name + ": refused: its pickle calls " + e.global + ", which is not a tensor-rebuild function; nothing"
                            + " was run. A checkpoint should hold only tensors: save one with torch.save(model.state_dict(), path)");
                } catch (PickleException | ClassCastException | IndexOutOfBoundsException e) {
                    throw new IOException(name + ": cannot read the checkpoint's pickle: " + e.getMessage());
                }
                return new Archive(zip, name, prefix, root);
            } catch (IOException | RuntimeException e) {
                zip.close();
                throw e;
            }
        }

        private static String notZipReason(Path file) throws IOException {
            byte[] head;
            try (InputStream in = Files.newInputStream(file)) {
                head = in.readNBytes(2);
            }
            if (head.length == 2 && (head[0] & 0xff) == 0x80)
                return "a legacy torch.save file (PyTorch < 1.6); re-save it with a newer PyTorch: "
                        + "torch.save(torch.load(path), path)";
            return "not a PyTorch checkpoint (not a zip archive, or truncated)";
        }

        /** Replaces tensor references by host tensors throughout a tree. */
        Object materialize(Object node) throws IOException {
            if (node instanceof TensorRef t) return tensor(t, "tensor");
            if (node instanceof Map<?, ?> m) {
                Map<Object, Object> r = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : m.entrySet()) r.put(e.getKey(), materialize(e.getValue()));
                return r;
            }
            if (node instanceof List<?> l) {
                List<Object> r = new ArrayList<>();
                for (Object o : l) r.add(materialize(o));
                return r;
            }
            if (node instanceof Object[] t) {
                Object[] r = new Object[t.length];
                for (int i = 0; i < t.length; i++) r[i] = materialize(t[i]);
                return r;
            }
            return node;
        }

        /** Reads a tensor's elements (gathering strided views) into a contiguous host tensor; bf16 -> f32. */
        HostTensor tensor(TensorRef t, String what) throws IOException {
            StorageRef s = t.storage();
            int es = HostTensor.bytesPerElement(s.dtype());
            byte[] storage = storage(s, what);
            if (t.stride().length != t.size().length)
                throw new IOException(name + ": tensor '" + what + "' has " + t.size().length + " sizes but " + t.stride().length + " strides");
            long numel = checkedView(t, storage.length / es, what);
            int n = (int) (numel * es);
            byte[] data = new byte[n];
            if (numel > 0 && !isContiguousLike(t.size(), t.stride())) {
                gather(storage, t, es, data, what);
            } else if (numel > 0) {
                long from = t.offset() * es;
                if (from + n > storage.length)
                    throw new IOException(name + ": tensor '" + what + "' reads past the end of its storage");
                System.arraycopy(storage, (int) from, data, 0, n);
            }
            HostTensor h = new HostTensor(s.dtype(), t.size().clone(), data);
            return s.dtype().equals("BF16") ? HostTensor.ofFloats(h.toFloats(), h.shape()) : h;
        }

        /**
         * The element count of a view, after checking (with no memory taken yet) that every element it
         * addresses lies inside its storage of {@code storageNumel} elements and that it fits one array.
         */
        private long checkedView(TensorRef t, long storageNumel, String what) throws IOException {
            long numel = 1, last = t.offset();
            for (int d = 0; d < t.size().length; d++) {
                long size = t.size()[d], stride = t.stride()[d];
                if (size < 0 || stride < 0) throw new IOException(name + ": tensor '" + what + "' has a negative size or stride");
                if (size == 0) return 0;
                if (numel > Integer.MAX_VALUE / size)
                    throw new IOException(name + ": tensor '" + what + "' declares " + java.util.Arrays.toString(t.size())
                            + " elements, more than one tensor can hold (2 GB)");
                numel *= size;
                last += (size - 1) * stride;
            }
            if (t.offset() < 0 || last >= storageNumel || numel * HostTensor.bytesPerElement(t.storage().dtype()) > Integer.MAX_VALUE - 16)
                throw new IOException(name + ": tensor '" + what + "' of size " + java.util.Arrays.toString(t.size())
                        + " reads past the end of its storage (" + storageNumel + " elements in the file)");
            return numel;
        }

        private byte[] storage(StorageRef s, String what) throws IOException {
            byte[] b = storages.get(s.key());
            if (b != null) return b;
            ZipEntry e = zip.getEntry(prefix + "data/" + s.key());
            if (e == null) throw new IOException(name + ": storage " + s.key() + " of tensor '" + what + "' is missing");
            long need = s.numel() * HostTensor.bytesPerElement(s.dtype());
            if (s.numel() < 0 || need > Integer.MAX_VALUE - 16 || (e.getSize() >= 0 && e.getSize() < need))
                throw new IOException(name + ": storage " + s.key() + " is truncated or forged (" + Math.max(0, e.getSize()) + " bytes in the file, "
                        + need + " declared)");
            try (InputStream in = zip.getInputStream(e)) {
                b = in.readNBytes((int) need);
            }
            if (b.length < need)
                throw new IOException(name + ": storage " + s.key() + " is truncated (" + b.length + " of " + need + " bytes)");
            storages.put(s.key(), b);
            return b;
        }

        private void gather(byte[] storage, TensorRef t, int es, byte[] out, String what) throws IOException {
            long[] size = t.size(), stride = t.stride();
            int dims = size.length;
            long[] idx = new long[dims];
            long numel = HostTensor.numel(size);
            for (long i = 0; i < numel; i++) {
                long src = t.offset();
                for (int d = 0; d < dims; d++) src += idx[d] * stride[d];
                if (src < 0 || (src + 1) * es > storage.length)
                    throw new IOException(name + ": tensor '" + what + "' reads past the end of its storage");
                System.arraycopy(storage, (int) (src * es), out, (int) (i * es), es);
                for (int d = dims - 1; d >= 0; d--) { // next index, last dimension fastest
                    if (++idx[d] < size[d]) break;
                    idx[d] = 0;
                }
            }
        }

        @Override
        public void close() throws IOException {
            zip.close();
        }
    }

    /** Row-major strides of a shape. */
    static long[] contiguousStrides(long[] size) {
        long[] s = new long[size.length];
        long acc = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= size[d];
        }
        return s;
    }

    /** Strides that differ from row-major only in dimensions of size 1 still address memory contiguously. */
    private static boolean isContiguousLike(long[] size, long[] stride) {
        long[] c = contiguousStrides(size);
        for (int d = 0; d < size.length; d++) if (size[d] != 1 && stride[d] != c[d]) return false;
        return true;
    }
}
