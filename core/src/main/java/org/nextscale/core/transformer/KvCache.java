package org.nextscale.core.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of the blocks already run through {@link VarTransformer#step}, per transformer
 * layer, each (B, H, Lcached, head_dim). The arrays live in the cache's own sub-manager, so the
 * per-step arrays around them can be freed while the cache grows; close the cache when sampling ends.
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private long length;

    KvCache(NDManager parent, int depth) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[depth];
        this.values = new NDArray[depth];
    }

    /** Positions cached so far (all layers). */
    public long length() {
        return length;
    }

    /** Appends this block's keys of {@code layer} and returns every cached key (B, H, Lk, hd). */
    NDArray keys(int layer, NDArray k) {
        return keys[layer] = append(keys[layer], k);
    }

    /** Appends this block's values of {@code layer} and returns every cached value (B, H, Lk, hd). */
    NDArray values(int layer, NDArray v) {
        return values[layer] = append(values[layer], v);
    }

    void advance(long positions) {
        length += positions;
    }

    private NDArray append(NDArray cached, NDArray fresh) {
        NDArray all = cached == null ? fresh.duplicate() : cached.concat(fresh, 2);
        all.attach(manager);
        if (cached != null) cached.close();
        return all;
    }

    @Override
    public void close() {
        manager.close();
    }
}
