package org.nextscale.jupyter;

import java.awt.image.BufferedImage;

/**
 * Where a magic's output goes: the one thing a kernel adapter implements (JJava's in {@link VarExtension};
 * an IJava adapter would be the same few lines over its own display calls).
 */
public interface Notebook {

    /** A line of text in the cell's output. */
    void print(String text);

    /** An image shown inline (image/png). */
    void show(BufferedImage image);

    /** A line of text shown once and then replaced in place by each {@link Progress#update}. */
    Progress progress(String firstLine);

    interface Progress {
        void update(String line);
    }

    /**
     * An image shown inline that later calls replace in place (a Jupyter display id). The default, for
     * outputs that cannot update a display, shows only the last image, when {@link Picture#done} is called.
     */
    default Picture picture() {
        BufferedImage[] last = {null};
        return new Picture() {
            @Override public void update(BufferedImage image) { last[0] = image; }
            @Override public void done() { if (last[0] != null) show(last[0]); }
        };
    }

    interface Picture {
        /** Shows {@code image}: the first call adds it to the output, later ones replace it. */
        void update(BufferedImage image);

        /** The picture is final. */
        void done();
    }
}
