package org.nextscale.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.nextscale.core.io.HostTensor;

/**
 * Named weights of a model, keyed by the reference's state-dict names with the "vae." / "var." prefix
 * (e.g. "vae.encoder.conv_in.weight", "var.blocks.0.attn.mat_qkv.weight"). Every array belongs to the
 * manager given at construction; closing that manager frees them. Modules read their weights through
 * {@link #get}, so a missing or misnamed weight fails with its name.
 *
 * <p>Some weights may be {@linkplain #defer deferred}: known by name and shape, read into the manager by
 * their loader the first time one of them is asked for (e.g. the tokenizer's encoder, which generating
 * images never uses). Reading the others never waits for that load.
 */
public final class Params {
    private final NDManager manager;
    private final Map<String, NDArray> arrays = new LinkedHashMap<>();
    private final Map<String, long[]> deferredShapes = new LinkedHashMap<>();
    private Deferred deferredLoader;
    private volatile Map<String, NDArray> late = Map.of();          // the deferred weights, once loaded

    /** Reads deferred weights, all at once, into the manager it is given. */
    @FunctionalInterface
    public interface Deferred {
        Map<String, NDArray> load(NDManager manager) throws IOException;
    }

    public Params(NDManager manager) {
        this.manager = manager;
    }

    public static Params fromHost(Map<String, HostTensor> tensors, NDManager manager) {
        Params p = new Params(manager);
        tensors.forEach((k, v) -> p.put(k, v.toNDArray(manager)));
        return p;
    }

    public NDManager manager() {
        return manager;
    }

    public NDArray get(String name) {
        NDArray a = arrays.get(name);
        if (a != null) return a;
        a = late.get(name);
        if (a != null) return a;
        if (!deferredShapes.containsKey(name)) throw new IllegalArgumentException("model weights have no tensor '" + name + "'");
        return loadDeferred().get(name);
    }

    public boolean has(String name) {
        return arrays.containsKey(name) || deferredShapes.containsKey(name);
    }

    /** A weight's shape, without loading it if it is deferred. */
    public long[] shape(String name) {
        long[] s = deferredShapes.get(name);
        return s != null ? s.clone() : get(name).getShape().getShape();
    }

    /**
     * Registers weights that are not in memory yet, by name and shape; {@code loader} reads them all the first
     * time one is asked for. Its IOException reaches the caller of {@link #get} as an UncheckedIOException;
     * a loader that returns other names or shapes fails the same way.
     */
    public void defer(Map<String, long[]> shapes, Deferred loader) {
        if (deferredLoader != null) throw new IllegalStateException("weights are already deferred");
        for (String n : shapes.keySet())
            if (arrays.containsKey(n)) throw new IllegalArgumentException("weight '" + n + "' is loaded already");
        shapes.forEach((n, s) -> deferredShapes.put(n, s.clone()));
        deferredLoader = loader;
    }

    /** The deferred weights not read yet (empty once they are, or when none were deferred). */
    public Set<String> waiting() {
        return late.isEmpty() ? Collections.unmodifiableSet(deferredShapes.keySet()) : Set.of();
    }

    private synchronized Map<String, NDArray> loadDeferred() {
        if (!late.isEmpty()) return late;
        Map<String, NDArray> loaded;
        try {
            loaded = deferredLoader.load(manager);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map.Entry<String, long[]> e : deferredShapes.entrySet()) {
            NDArray a = loaded.get(e.getKey());
            if (a == null || !java.util.Arrays.equals(a.getShape().getShape(), e.getValue())) {
                loaded.values().forEach(NDArray::close);
                throw new UncheckedIOException(new IOException("the deferred weight '" + e.getKey() + "' was not read as declared"));
            }
        }
        late = Map.copyOf(loaded);
        return late;
    }

    public void put(String name, NDArray a) {
        NDArray old = arrays.put(name, a);
        if (old != null && old != a) old.close();
    }

    /** Every weight's name: those in memory in insertion order, then the deferred ones. */
    public Set<String> names() {
        if (deferredShapes.isEmpty()) return Collections.unmodifiableSet(arrays.keySet());
        Set<String> all = new LinkedHashSet<>(arrays.keySet());
        all.addAll(deferredShapes.keySet());
        return Collections.unmodifiableSet(all);
    }

    /** Every weight, deferred ones loaded first, in the order of {@link #names()}. */
    public Map<String, NDArray> asMap() {
        if (deferredShapes.isEmpty()) return Collections.unmodifiableMap(arrays);
        Map<String, NDArray> all = new LinkedHashMap<>(arrays);
        all.putAll(loadDeferred());
        return Collections.unmodifiableMap(all);
    }

    /** Host copies of every tensor, in the order of {@link #names()} (the order model files are written in). */
    public Map<String, HostTensor> toHost() {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        asMap().forEach((k, v) -> out.put(k, HostTensor.fromNDArray(v)));
        return out;
    }
}
