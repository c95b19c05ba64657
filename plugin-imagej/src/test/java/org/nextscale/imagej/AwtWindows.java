package org.nextscale.imagej;

import java.awt.Component;
import java.awt.Container;
import java.awt.Window;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/** What the Xvfb checks ({@link DialogsCheck}, {@link LiveViewCheck}) do with real windows: find their parts, take screenshots. */
final class AwtWindows {
    private AwtWindows() {}

    /** Every component inside {@code c}, depth first. */
    static List<Component> components(Container c) {
        List<Component> out = new ArrayList<>();
        for (Component x : c.getComponents()) {
            out.add(x);
            if (x instanceof Container k) out.addAll(components(k));
        }
        return out;
    }

    /** The window brought to the front and its area of the screen saved as a PNG. */
    static void screenshot(Window w, Path png) throws Exception {
        java.awt.EventQueue.invokeAndWait(w::toFront);
        Thread.sleep(800);
        ImageIO.write(new java.awt.Robot().createScreenCapture(w.getBounds()), "png", png.toFile());
    }
}
