package org.nextscale.core.data;

import java.util.List;

/**
 * A small labelled image set drawn in code, for tests and smoke runs: four classes of simple shapes with
 * random position, size and brightness on a dark background, so a tokenizer can learn them in tens of
 * steps and a class-conditional model can tell them apart.
 */
public final class SyntheticImages {
    public static final List<String> CLASS_NAMES = List.of("square", "disk", "bars", "cross");

    private SyntheticImages() {}

    /** n images of size x size with the given channels (1 or 3), drawn from {@code seed}. */
    public static LabeledImages generate(int n, int size, int channels, long seed) {
        float[][] images = new float[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            SeededRandom r = SeededRandom.of(seed, i);
            labels[i] = i % CLASS_NAMES.size();
            images[i] = draw(labels[i], size, channels, r);
        }
        return new LabeledImages(images, labels, CLASS_NAMES, channels, size, size);
    }

    private static float[] draw(int label, int size, int channels, SeededRandom r) {
        float[] img = new float[channels * size * size];
        double cx = size * (0.35 + 0.3 * r.nextDouble()), cy = size * (0.35 + 0.3 * r.nextDouble());
        double half = size * (0.15 + 0.12 * r.nextDouble());
        float[] color = new float[channels];
        for (int c = 0; c < channels; c++) color[c] = 0.55f + 0.45f * r.nextFloat();
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
                boolean on = switch (label) {
                    case 0 -> Math.abs(dx) <= half && Math.abs(dy) <= half;
                    case 1 -> dx * dx + dy * dy <= half * half;
                    case 2 -> Math.abs(dy) <= half * 1.4 && Math.abs(dx) <= half * 1.4 && ((int) Math.floor((y - cy) / (half * 0.5)) & 1) == 0;
                    default -> (Math.abs(dx) <= half * 0.35 && Math.abs(dy) <= half * 1.3) || (Math.abs(dy) <= half * 0.35 && Math.abs(dx) <= half * 1.3);
                };
                if (on) for (int c = 0; c < channels; c++) img[(c * size + y) * size + x] = color[c];
            }
        }
        return img;
    }
}
