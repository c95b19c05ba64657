package org.nextscale.core.nn;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns gradient recording off for the calling thread until closed, then restores it. Grad mode is
 * per thread in the engine, so sampling on a thread that trains (or shares trainable weights) would
 * otherwise build autograd graphs.
 */
public final class NoGrad implements AutoCloseable {
    private final boolean previous;

    public NoGrad() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
