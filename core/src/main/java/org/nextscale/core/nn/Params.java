package org.nextscale.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.nextscale.core.io.HostTensor;

/**
 * Named weights of a model, keyed by the reference's state-dict names with the "vae." / "var." prefix
 * (e.g. "vae.encoder.conv_in.weight", "var.blocks.0.attn.mat_qkv.weight"). Every array belongs to the
 * manager given at construction; closing that manager frees them. Modules read their weights through
 * {@link #get}, so a missing or misnamed weight fails with its name.
 */
public final class Params {
    private final NDManager manager;
    private final Map<String, NDArray> arrays = new LinkedHashMap<>();

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
        if (a == null) throw new IllegalArgumentException("model weights have no tensor '" + name + "'");
        return a;
    }

    public boolean has(String name) {
        return arrays.containsKey(name);
    }

    public void put(String name, NDArray a) {
        NDArray old = arrays.put(name, a);
        if (old != null && old != a) old.close();
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(arrays.keySet());
    }

    public Map<String, NDArray> asMap() {
        return Collections.unmodifiableMap(arrays);
    }

    /** Host copies of every tensor, in insertion order (the order model files are written in). */
    public Map<String, HostTensor> toHost() {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        arrays.forEach((k, v) -> out.put(k, HostTensor.fromNDArray(v)));
        return out;
    }
}
