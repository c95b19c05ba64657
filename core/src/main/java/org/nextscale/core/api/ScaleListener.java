package org.nextscale.core.api;

/**
 * Watches a next-scale run form its images coarse to fine: called on the working thread after each scale,
 * in order, once per batch of images. It may cancel the run's {@link CancelToken}; the run stops before the
 * next scale. Raster-order models have no scales and call it never.
 */
@FunctionalInterface
public interface ScaleListener {
    void onScale(ScaleFrame frame);

    ScaleListener NONE = frame -> {};
}
