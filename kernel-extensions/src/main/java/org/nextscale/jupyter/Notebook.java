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
}
