package org.nextscale.core.data;

/**
 * Which images make up the batch of each step: epoch e visits the set in the order of a permutation drawn
 * from (seed, e), batches run across epoch boundaries, and each image's horizontal flip (when enabled) is
 * drawn from (seed, step, position). Everything is a pure function of the step, so a resumed run sees the
 * same batches as an uninterrupted one without saving any generator state.
 */
public final class DataOrder {
    private static final long FLIP_STREAM = 0xF11BL;
    private final int size;
    private final int batch;
    private final long seed;
    private final boolean flip;
    private long cachedEpoch = -1;
    private int[] cachedPerm;

    public DataOrder(int size, int batch, long seed, boolean flip) {
        if (size <= 0) throw new IllegalArgumentException("the data set is empty");
        this.size = size;
        this.batch = batch;
        this.seed = seed;
        this.flip = flip;
    }

    public int batch() {
        return batch;
    }

    /** Data-set indices of the images of step {@code step} (0-based). */
    public synchronized int[] indices(long step) {
        int[] out = new int[batch];
        long pos = step * batch;
        for (int i = 0; i < batch; i++, pos++) out[i] = permutation(pos / size)[(int) (pos % size)];
        return out;
    }

    /** Whether each image of the step is flipped left-right. */
    public boolean[] flips(long step) {
        boolean[] f = new boolean[batch];
        if (!flip) return f;
        SeededRandom r = SeededRandom.of(seed, FLIP_STREAM, step);
        for (int i = 0; i < batch; i++) f[i] = r.nextBoolean();
        return f;
    }

    /** Epoch (pass over the data) that step {@code step} starts in. */
    public long epoch(long step) {
        return step * batch / size;
    }

    private int[] permutation(long epoch) {
        if (epoch != cachedEpoch) {
            cachedPerm = SeededRandom.of(seed, 0x5EEDL, epoch).permutation(size);
            cachedEpoch = epoch;
        }
        return cachedPerm;
    }

    /** Mirrors a (C, H, W) image left-right in place. */
    public static void flipInPlace(float[] img, int channels, int h, int w) {
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < h; y++) {
                int row = (c * h + y) * w;
                for (int x = 0; x < w / 2; x++) {
                    float t = img[row + x];
                    img[row + x] = img[row + w - 1 - x];
                    img[row + w - 1 - x] = t;
                }
            }
    }
}
