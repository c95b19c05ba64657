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
     * A rectangle in pixels, as ImageJ's makeRectangle(x, y, width, height): columns [x, x + width), rows [y, y + height).
     * It must lie inside the image: a selection reaching past the border is refused, not clipped.
     */
    public static EditMask rect(int height, int width, int x, int y, int rw, int rh) {
        if (rw < 1 || rh < 1)
            throw new IllegalArgumentException("the rectangle is " + rw + "x" + rh + " px: give a width and height of at least 1");
        if (x < 0 || y < 0 || x + rw > width || y + rh > height)
            throw new IllegalArgumentException("the rectangle x=" + x + " y=" + y + " " + rw + "x" + rh + " px reaches outside the " + width + "x"
                    + height + " px image: keep x from 0 to " + (width - 1) + ", y from 0 to " + (height - 1) + " and x+width <= " + width
                    + ", y+height <= " + height);
        boolean[] m = new boolean[height * width];
        for (int yy = y; yy < y + rh; yy++) java.util.Arrays.fill(m, yy * width + x, yy * width + x + rw, true);
        return new EditMask(height, width, m);
    }

    /** Parses "x,y,width,height" in pixels ({@link #rect}). */
    public static EditMask parseRect(String spec, int height, int width) {
        String[] p = spec.trim().split("\\s*,\\s*");
        int[] v = new int[4];
        try {
            if (p.length != 4) throw new NumberFormatException();
            for (int i = 0; i < 4; i++) v[i] = Integer.parseInt(p[i]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("rect must be four whole numbers x,y,width,height in pixels (e.g. 100,80,64,64), got '" + spec + "'");
        }
        return rect(height, width, v[0], v[1], v[2], v[3]);
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

    /** An edit needs a selection that keeps some pixels and regenerates others, in every front end. */
    public void requireEditable(EditMode mode) {
        int n = count(), all = height * width;
        if (n == 0) throw new IllegalArgumentException("the selection is empty: give a box, ROI or mask that covers part of the image");
        if (n == all)
            throw new IllegalArgumentException(mode == EditMode.OUTPAINT
                    ? "the selection covers the whole image, so nothing would be regenerated: select only the part to keep (or grow the "
                            + "canvas with extend)"
                    : "the selection covers the whole image, so nothing of it would be kept: select only the part to regenerate"
                            + " (or generate a new image)");
    }
}
