package org.nextscale.core.api;

/** Thrown out of long work when its {@link CancelToken} was cancelled; files written so far are intact. */
public class CancelledException extends RuntimeException {
    public CancelledException() {
        super("cancelled");
    }
}
