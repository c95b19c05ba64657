package org.nextscale.imagej;

import ij.IJ;
import ij.ImagePlus;
import ij.macro.Interpreter;
import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.List;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.ScaleFrames;
import org.nextscale.core.render.Render;

/**
 * Coarse-to-fine views in ImageJ: while the model works, a window that is updated in place after each scale
 * (only when someone can watch it: a display, and not a macro); when it is done, a stack with one slice per
 * scale (a hyperstack with one frame per image when there are several), each slice labelled with its scale.
 */
final class ScaleViews {
    final ScaleFrames frames;
    private final String title;
    private ImagePlus window;

    /** Frames decoded per scale, shown live in a window titled {@code title} when someone can watch. */
    ScaleViews(String title) {
        this.title = title;
        boolean watched = !GraphicsEnvironment.isHeadless() && !IJ.isMacro() && !Interpreter.isBatchMode();
        this.frames = watched ? new ScaleFrames(this::update) : new ScaleFrames();
    }

    private void update(int scale, int side, int first, List<Image> images) {
        Image row = Render.grid(images, Math.min(8, images.size()), 2);
        String t = title + String.format(" (scale %d: %dx%d)", scale + 1, side, side);
        ImagePlus now = ImageConversion.stack(List.of(row), t, null);
        if (window == null || window.getWindow() == null) {
            window = now;
            window.show();
        } else {
            window.setProcessor(t, now.getProcessor());
            window.updateAndDraw();
        }
    }

    /** Closes the live window; the finished views: slice k of image i is "image i, scale k: side x side". */
    ImagePlus finish() {
        List<Integer> sides = frames.sides();
        if (window != null) window.close();
        List<List<Image>> perImage = frames.perImage();
        if (perImage.isEmpty()) return null;
        int k = perImage.get(0).size(), n = perImage.size();
        List<Image> slices = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < n; i++)
            for (int s = 0; s < k; s++) {
                slices.add(perImage.get(i).get(s));
                labels.add((n > 1 ? "image " + (i + 1) + ", " : "") + "scale " + (s + 1) + ": " + sides.get(s) + "x" + sides.get(s));
            }
        return stackOf(slices, labels, k, n, title);
    }

    /** k slices per image, n images: a stack, or a hyperstack (z = scale, t = image) when n > 1. */
    static ImagePlus stackOf(List<Image> slices, List<String> labels, int k, int n, String title) {
        ImagePlus imp = ImageConversion.stack(slices, title, labels);
        imp.setDimensions(1, k, n);
        if (n > 1) imp.setOpenAsHyperStack(true);
        return imp;
    }
}
