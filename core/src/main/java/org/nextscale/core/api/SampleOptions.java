package org.nextscale.core.api;

/**
 * How to sample: class (-1 = unconditional), number of images, classifier-free guidance, top-k (0 = off),
 * top-p (0 or 1 = off), seed, Gumbel smoothing of the token embeddings (the reference's more_smooth), and how many
 * images go through the model in one call ({@code batch}, 0 = {@link #DEFAULT_BATCH}; lower it when a GPU runs out
 * of memory; each call has its own seed stream, so the images depend on it).
 */
public record SampleOptions(int classId, int count, double cfg, int topK, double topP, long seed, boolean smooth, int batch) {
    public static final int UNCONDITIONAL = -1;
    /** Images per model call when {@code batch} is 0, the default of every front end's batch option. */
    public static final int DEFAULT_BATCH = 32;

    /** The one check of sampling settings every front end relies on; each message names the setting and its range. */
    public SampleOptions {
        if (classId < UNCONDITIONAL) throw new IllegalArgumentException("class must be a class number >= 0, or -1 for unconditional, got " + classId);
        if (count < 1) throw new IllegalArgumentException("number of images must be at least 1, got " + count);
        if (!(cfg >= 0) || Double.isInfinite(cfg)) throw new IllegalArgumentException("cfg (guidance strength) must be a number >= 0 (0 = off), got " + cfg);
        if (topK < 0) throw new IllegalArgumentException("top-k must be >= 0 (0 = off), got " + topK);
        if (!(topP >= 0 && topP <= 1)) throw new IllegalArgumentException("top-p must be between 0 and 1 (0 or 1 = off), got " + topP);
        if (batch < 0) throw new IllegalArgumentException("batch (images per model call) must be at least 1, or 0 for the default, got " + batch);
    }

    /** With the default batch. */
    public SampleOptions(int classId, int count, double cfg, int topK, double topP, long seed, boolean smooth) {
        this(classId, count, cfg, topK, topP, seed, smooth, 0);
    }

    /**
     * Class 0, 8 images, cfg 1.5, top-k and top-p off, seed 0, no smoothing: the reference's own defaults
     * ({@code VAR.autoregressive_infer_cfg(cfg=1.5, top_k=0, top_p=0.0, more_smooth=False)}). On the shipped model
     * they gave the lowest Frechet distance of the settings screened (docs/evaluation.md), against cfg 3 with
     * top-p 0.95, which made samples more typical of their class than real images are.
     */
    public static SampleOptions defaults() {
        return new SampleOptions(0, 8, 1.5, 0, 0.0, 0, false);
    }

    public SampleOptions withClass(int c) { return new SampleOptions(c, count, cfg, topK, topP, seed, smooth, batch); }
    public SampleOptions withCount(int n) { return new SampleOptions(classId, n, cfg, topK, topP, seed, smooth, batch); }
    public SampleOptions withCfg(double v) { return new SampleOptions(classId, count, v, topK, topP, seed, smooth, batch); }
    public SampleOptions withTopK(int v) { return new SampleOptions(classId, count, cfg, v, topP, seed, smooth, batch); }
    public SampleOptions withTopP(double v) { return new SampleOptions(classId, count, cfg, topK, v, seed, smooth, batch); }
    public SampleOptions withSeed(long v) { return new SampleOptions(classId, count, cfg, topK, topP, v, smooth, batch); }
    public SampleOptions withBatch(int v) { return new SampleOptions(classId, count, cfg, topK, topP, seed, smooth, v); }
    public SampleOptions withSmooth(boolean v) { return new SampleOptions(classId, count, cfg, topK, topP, seed, v, batch); }
}
