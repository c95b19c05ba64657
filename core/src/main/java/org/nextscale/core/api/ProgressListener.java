package org.nextscale.core.api;

/** Progress of long work: {@code done} of {@code total} units of the named stage. Called on the worker thread. */
@FunctionalInterface
public interface ProgressListener {
    void progress(String stage, long done, long total);

    ProgressListener NONE = (stage, done, total) -> {};
}
