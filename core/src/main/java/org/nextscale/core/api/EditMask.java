package org.nextscale.core.api;

/**
 * A pixel mask over an image: {@code selected[y * width + x]} is true inside the user's selection (ROI,
 * box or mask image). What "selected" means depends on the {@link EditMode}: in-painting and class
 * editing regenerate the selection, out-painting keeps it.
 */
public record EditMask(int height, int width, boolean[] selected) {

    public EditMask {
        if (selected.length != height * width) throw new IllegalArgumentException("mask size does not match " + height + "x" + width);
    }

    /** A box given as fractions of the image: rows [y0, y1), columns [x0, x1), each in [0, 1]. */
    public static EditMask box(int height, int width, double y0, double x0, double y1, double x1) {
        if (!(0 <= y0 && y0 < y1 && y1 <= 1 && 0 <= x0 && x0 < x1 && x1 <= 1))
            throw new IllegalArgumentException("box must be y0,x0,y1,x1 as fractions with 0 <= y0 < y1 <= 1 and 0 <= x0 < x1 <= 1, got "
                    + y0 + "," + x0 + "," + y1 + "," + x1);
        boolean[] m = new boolean[height * width];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) {
                double cy = (y + 0.5) / height, cx = (x + 0.5) / width;
                m[y * width + x] = cy >= y0 && cy < y1 && cx >= x0 && cx < x1;
            }
        return new EditMask(height, width, m);
    }

    /** Parses "y0,x0,y1,x1" (fractions). */
    public static EditMask parseBox(String spec, int height, int width) {
        String[] p = spec.trim().split("\\s*,\\s*");
        if (p.length != 4) throw new IllegalArgumentException("box must be four fractions y0,x0,y1,x1 (e.g. 0.25,0.25,0.75,0.75), got '" + spec + "'");
        double[] v = new double[4];
        for (int i = 0; i < 4; i++) {
            try {
                v[i] = Double.parseDouble(p[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("box must be four fractions y0,x0,y1,x1 (e.g. 0.25,0.25,0.75,0.75), got '" + spec + "'");
            }
        }
        return box(height, width, v[0], v[1], v[2], v[3]);
    }

    /**
     * The non-zero pixels of a mask image (values above one half in its first channel). The mask must have
     * the image's size ({@code height} x {@code width}): a mask drawn for another image is refused.
     */
    public static EditMask fromImage(Image mask, int height, int width) {
        if (mask.height() != height || mask.width() != width)
            throw new IllegalArgumentException("the mask is " + mask.width() + "x" + mask.height() + " px but the image is " + width + "x"
                    + height + " px: give a mask of the image's size");
        boolean[] sel = new boolean[height * width];
        for (int i = 0; i < sel.length; i++) sel[i] = mask.data()[i] > 0.5f;
        return new EditMask(height, width, sel);
    }

    public int count() {
        int n = 0;
        for (boolean b : selected) if (b) n++;
        return n;
    }
}
