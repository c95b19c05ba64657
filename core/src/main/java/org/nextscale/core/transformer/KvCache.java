package org.nextscale.core.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of the blocks already run through {@link VarTransformer#step}, per transformer layer.
 * Each layer has one buffer (B, H, capacity, head_dim) with room for the whole sequence, allocated at the
 * first step: a step writes its block in place and attends to a view of the filled prefix, so nothing is
 * copied per step (appending by concatenation copied the whole cache every step: quadratic in the
 * sequence, which dominated raster-order sampling). The buffers live in the cache's own sub-manager, so
 * the per-step arrays around them can be freed while the cache fills; close the cache when sampling ends.
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final long capacity;
    private long length;

    KvCache(NDManager parent, int depth, long capacity) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[depth];
        this.values = new NDArray[depth];
        this.capacity = capacity;
    }

    /** Positions cached so far (all layers). */
    public long length() {
        return length;
    }

    /** Writes this block's keys (B, H, l, hd) of {@code layer} after the cached ones; returns all (B, H, Lk, hd), a view. */
    NDArray keys(int layer, NDArray k) {
        if (keys[layer] == null) keys[layer] = buffer(k);
        return append(keys[layer], k);
    }

    /** Writes this block's values of {@code layer} after the cached ones; returns all (B, H, Lk, hd), a view. */
    NDArray values(int layer, NDArray v) {
        if (values[layer] == null) values[layer] = buffer(v);
        return append(values[layer], v);
    }

    void advance(long positions) {
        length += positions;
    }

    private NDArray buffer(NDArray like) {
        Shape s = like.getShape();
        return manager.create(new Shape(s.get(0), s.get(1), capacity, s.get(3)), like.getDataType(), like.getDevice());
    }

    /** The view belongs to the manager of {@code fresh} (the step's), not to the cache. */
    private NDArray append(NDArray buffer, NDArray fresh) {
        long end = length + fresh.getShape().get(2);
        if (end > capacity) throw new IllegalStateException("key/value cache full: " + end + " > " + capacity + " positions");
        buffer.set(new NDIndex(":, :, {}:{}", length, end), fresh);
        NDArray all = buffer.get(new NDIndex(":, :, 0:{}", end));                              // (B, H, end, hd)
        all.attach(fresh.getManager());
        return all;
    }

    @Override
    public void close() {
        manager.close();
    }
}
