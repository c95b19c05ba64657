package org.nextscale.core.api;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ScaleListener} that decodes every scale and keeps the frames per image, [image][scale], for the
 * coarse-to-fine strips every front end shows; optionally tells {@code onDecoded} after each scale (to update
 * a window or a notebook output in place). Also times the decoder passes it ran.
 */
public final class ScaleFrames implements ScaleListener {
    /** Called on the working thread with the batch's images after scale {@code scale} (token-map side {@code side}). */
    @FunctionalInterface
    public interface Decoded {
        void accept(int scale, int side, int firstImage, List<Image> images);
    }

    private final List<List<Image>> frames = new ArrayList<>();
    private final List<Integer> sides = new ArrayList<>();
    private final Decoded onDecoded;
    private long decodeNanos;
    private int numScales;

    public ScaleFrames() {
        this(null);
    }

    public ScaleFrames(Decoded onDecoded) {
        this.onDecoded = onDecoded;
    }

    @Override
    public void onScale(ScaleFrame frame) {
        long t0 = System.nanoTime();
        List<Image> images = frame.decode();
        decodeNanos += System.nanoTime() - t0;
        numScales = frame.numScales();
        if (frame.scale() == sides.size()) sides.add(frame.side());
        for (int i = 0; i < images.size(); i++) {
            int index = frame.firstImage() + i;
            while (frames.size() <= index) frames.add(new ArrayList<>());
            frames.get(index).add(images.get(i));
        }
        if (onDecoded != null) onDecoded.accept(frame.scale(), frame.side(), frame.firstImage(), images);
    }

    /**
     * Whether to show the scales, from a front end's setting: "auto" (or empty) = the model's
     * {@link VarModel#showScalesByDefault()}, "yes"/"no" (also true/false, on/off).
     */
    public static boolean wanted(String setting, VarModel model) {
        String s = setting == null ? "" : setting.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (s) {
            case "", "auto" -> model.showScalesByDefault();
            case "yes", "true", "on", "1" -> true;
            case "no", "false", "off", "0" -> false;
            default -> throw new IllegalArgumentException("show_scales must be auto, yes or no, got '" + setting + "'");
        };
    }

    /** Frames per image, coarse to fine: [image][scale]. */
    public List<List<Image>> perImage() {
        return frames;
    }

    /** Token-map side of each scale seen, in order. */
    public List<Integer> sides() {
        return sides;
    }

    public int numScales() {
        return numScales;
    }

    /** Seconds spent decoding frames (one decoder pass per scale and batch). */
    public double decodeSeconds() {
        return decodeNanos / 1e9;
    }
}
