package org.nextscale.imagej.ij1;

import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.ImageCanvas;
import ij.gui.ImageWindow;
import java.awt.Point;

/**
 * Shows a command's result the way a person can see it: a unique title (two runs give two names), zoomed so that
 * a 32 px image is not a speck (to about 256 px on screen, by whole steps ImageJ offers), and placed beside the
 * previous result rather than on top of it.
 */
final class Results {
    /** Results smaller than this on screen are zoomed in. */
    static final int VISIBLE = 256;
    private static final int[] ZOOMS = {1, 2, 3, 4, 6, 8};
    private static int shown;

    private Results() {}

    static void show(ImagePlus imp) {
        imp.setTitle(WindowManager.makeUniqueName(imp.getTitle()));
        int zoom = zoomFor(imp.getWidth(), imp.getHeight());
        Point next = nextLocation();
        if (next != null) ImageWindow.setNextLocation(next);
        imp.show();
        ImageWindow win = imp.getWindow();
        if (win != null && zoom > 1) {
            ImageCanvas c = win.getCanvas();
            c.setMagnification(zoom);
            c.setSize(imp.getWidth() * zoom, imp.getHeight() * zoom);
            c.setSourceRect(new java.awt.Rectangle(0, 0, imp.getWidth(), imp.getHeight()));
            win.pack();
        }
        shown++;
    }

    /** The largest of ImageJ's whole zoom steps that keeps the larger side at most {@link #VISIBLE} px (at least 1). */
    static int zoomFor(int width, int height) {
        int side = Math.max(width, height), best = 1;
        for (int z : ZOOMS) if (side * z <= VISIBLE) best = z;
        return best;
    }

    /** Each result a step to the right of and below the last, wrapping on the screen; null without a screen. */
    private static Point nextLocation() {
        if (java.awt.GraphicsEnvironment.isHeadless()) return null;
        java.awt.Dimension screen = java.awt.Toolkit.getDefaultToolkit().getScreenSize();
        int step = 40, x = 120 + (shown * (VISIBLE + step)) % Math.max(1, screen.width - VISIBLE - 200), y = 140 + (shown % 4) * step;
        return new Point(x, y);
    }
}
