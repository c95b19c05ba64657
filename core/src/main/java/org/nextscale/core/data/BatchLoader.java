package org.nextscale.core.data;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Prepares the batches of steps [first, end) on a background thread, a few steps ahead, so the engine does
 * not wait for host-side work (gathering, flipping, cutting patches). The batch of a step depends on the step
 * alone ({@link DataOrder}, {@link Patches}), so prefetching changes no result. Errors in the maker surface from
 * {@link #next()}.
 */
public final class BatchLoader<T> implements AutoCloseable {

    /** Builds the batch of one step, a pure function of the step (runs on the loader thread). */
    public interface Maker<T> {
        T make(long step) throws Exception;
    }

    private record Item<T>(T value, Throwable error) {}

    private final BlockingQueue<Item<T>> queue;
    private final Thread thread;
    private volatile boolean closed;

    public BatchLoader(long first, long end, int prefetch, Maker<T> maker) {
        this.queue = new ArrayBlockingQueue<>(Math.max(1, prefetch));
        this.thread = new Thread(() -> {
            for (long s = first; s < end && !closed; s++) {
                Item<T> item;
                try {
                    item = new Item<>(maker.make(s), null);
                } catch (Throwable e) {
                    item = new Item<>(null, e);
                }
                try {
                    queue.put(item);
                } catch (InterruptedException e) {
                    return;
                }
                if (item.error() != null) return;
            }
        }, "nextscale-batch-loader");
        thread.setDaemon(true);
        thread.start();
    }

    /** The next step's batch, waiting for it if needed. */
    public T next() {
        Item<T> item;
        try {
            item = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch");
        }
        if (item.error() instanceof RuntimeException r) throw r;
        if (item.error() instanceof Error r) throw r;
        if (item.error() != null) throw new IllegalStateException("preparing a batch failed: " + item.error().getMessage(), item.error());
        return item.value();
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
