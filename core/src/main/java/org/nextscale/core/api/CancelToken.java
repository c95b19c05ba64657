package org.nextscale.core.api;

/** Cooperative cancellation: a front end calls {@link #cancel()}, long work checks between steps. */
public final class CancelToken {
    private volatile boolean cancelled;

    public static CancelToken none() {
        return new CancelToken();
    }

    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Throws {@link CancelledException} if cancellation was requested. */
    public void check() {
        if (cancelled) throw new CancelledException();
    }
}
