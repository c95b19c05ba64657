package org.nextscale.core.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of the blocks already run through {@link VarTransformer#step}, per transformer layer.
 * Each layer has one buffer (B, H, capacity, head_dim) with room for the sequence, allocated at the
 * first step: a step writes its block in place and attends to a view of the filled prefix, so nothing is
 * copied per step (appending by concatenation copied the whole cache every step: quadratic in the
 * sequence, which dominated raster-order sampling). The buffers live in the cache's own sub-manager, so
 * the per-step arrays around them can be freed while the cache fills; close the cache when sampling ends.
 * The last block is never stored: nothing attends to it afterwards, so it attends to the cached prefix and
 * itself (a copy of both, per layer, freed with the step) and the buffers hold only the blocks before it
 * (VAR-d16: 424 of 680 positions, 111 instead of 178 MB for one image with guidance).
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final long capacity, total;
    private long length;

    /** For a sequence of {@code total} positions whose last block has {@code lastBlock} of them. */
    KvCache(NDManager parent, int depth, long total, long lastBlock) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[depth];
        this.values = new NDArray[depth];
        this.total = total;
        this.capacity = total - lastBlock;
    }

    /** Positions cached so far (all layers). */
    public long length() {
        return length;
    }

    /**
     * Writes this block's keys (B, H, l, hd) of {@code layer} after the cached ones; returns all (B, H, Lk, hd):
     * a view of the buffer, or for the last block (not stored) a copy of the prefix and the block.
     */
    NDArray keys(int layer, NDArray k) {
        if (keys[layer] == null) keys[layer] = buffer(k);
        return append(keys[layer], k);
    }

    /** As {@link #keys}, for the values. */
    NDArray values(int layer, NDArray v) {
        if (values[layer] == null) values[layer] = buffer(v);
        return append(values[layer], v);
    }

    /** Positions the buffers hold: the sequence without its last block. */
    long capacity() {
        return capacity;
    }

    void advance(long positions) {
        length += positions;
    }

    private NDArray buffer(NDArray like) {
        Shape s = like.getShape();
        return manager.create(new Shape(s.get(0), s.get(1), capacity, s.get(3)), like.getDataType(), like.getDevice());
    }

    /** The view (or, for the last block, the copy) belongs to the manager of {@code fresh} (the step's), not to the cache. */
    private NDArray append(NDArray buffer, NDArray fresh) {
        long end = length + fresh.getShape().get(2);
        if (end == total && end > capacity) {                                                  // the last block: not stored
            NDArray prefix = buffer.get(new NDIndex(":, :, 0:{}", length));                    // (B, H, length, hd)
            prefix.attach(fresh.getManager());
            return prefix.concat(fresh, 2);                                                     // (B, H, total, hd)
        }
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
