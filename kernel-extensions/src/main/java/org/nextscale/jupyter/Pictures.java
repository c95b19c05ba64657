package org.nextscale.jupyter;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nextscale.core.api.Image;
import org.nextscale.core.render.Render;

/**
 * The pictures the magics show: image grids, captioned rows (before/after, token pyramids), a loss curve
 * and a log-log scatter with a fitted power law. Small images are enlarged with nearest neighbour so
 * that 28-pixel samples stay visible; everything is drawn with plain Graphics2D.
 */
public final class Pictures {
    private Pictures() {}

    /** Cells are enlarged by a whole factor until they are at least this many pixels wide. */
    static final int MIN_CELL = 96;
    private static final int GAP = 4, CAPTION = 18;

    /** Images in a grid of {@code cols} columns (core's layout), enlarged until a cell is at least {@link #MIN_CELL} wide. */
    public static BufferedImage grid(List<Image> images, int cols) {
        if (images.isEmpty()) throw new IllegalArgumentException("no images to show");
        Image first = images.get(0);
        return Render.enlarge(Render.grid(images, Math.max(1, Math.min(cols, images.size())), 1), zoom(first.width())).toBufferedImage();
    }

    /**
     * Coarse-to-fine strips, one row per image ([image][scale] frames, all rows as long), captioned with each
     * scale's token-map side; enlarged like {@link #grid}.
     */
    public static BufferedImage strips(List<List<Image>> frames, List<Integer> sides) {
        List<Image> cells = new ArrayList<>();
        for (List<Image> row : frames) cells.addAll(row);
        int cols = frames.get(0).size();
        BufferedImage grid = grid(cells, cols);
        List<String> captions = new ArrayList<>();
        for (int k = 0; k < cols; k++) captions.add(sides.get(k) + "x" + sides.get(k));
        return captionedColumns(grid, cols, captions);
    }

    /** A grid image with one caption under each of its {@code cols} equal columns. */
    private static BufferedImage captionedColumns(BufferedImage grid, int cols, List<String> captions) {
        BufferedImage out = canvas(grid.getWidth(), grid.getHeight() + CAPTION);
        Graphics2D g = out.createGraphics();
        g.drawImage(grid, 0, 0, null);
        int w = grid.getWidth() / cols;
        for (int k = 0; k < cols; k++) text(g, captions.get(k), k * w + 4, grid.getHeight() + CAPTION - 5, 11);
        g.dispose();
        return out;
    }

    /**
     * Images side by side with a caption under each (e.g. "before", "after"), all enlarged by one factor;
     * a column is widened to fit its caption.
     */
    public static BufferedImage captioned(List<BufferedImage> images, List<String> captions) {
        int w = 0, h = 0;
        for (BufferedImage i : images) {
            w = Math.max(w, i.getWidth());
            h = Math.max(h, i.getHeight());
        }
        int f = zoom(Math.min(w, h));
        int[] col = new int[images.size()];
        int total = GAP;
        for (int k = 0; k < images.size(); k++) {
            col[k] = Math.max(images.get(k).getWidth() * f, textWidth(captions.get(k), 11));
            total += col[k] + GAP;
        }
        BufferedImage out = canvas(total, h * f + 2 * GAP + CAPTION);
        Graphics2D g = out.createGraphics();
        int x = GAP;
        for (int k = 0; k < images.size(); k++) {
            BufferedImage im = images.get(k);
            g.drawImage(im, x, GAP, im.getWidth() * f, im.getHeight() * f, null);
            text(g, captions.get(k), x, h * f + GAP + CAPTION - 4, 11);
            x += col[k] + GAP;
        }
        g.dispose();
        return out;
    }

    /** A copy of the image with the box (fractions y0,x0,y1,x1) outlined in red. */
    public static BufferedImage withBox(BufferedImage image, double[] box) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.setColor(Color.RED);
        int y0 = (int) Math.round(box[0] * image.getHeight()), x0 = (int) Math.round(box[1] * image.getWidth());
        int y1 = (int) Math.round(box[2] * image.getHeight()) - 1, x1 = (int) Math.round(box[3] * image.getWidth()) - 1;
        g.drawRect(x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0));
        g.dispose();
        return out;
    }

    /** Loss against step as a line plot, with the first and last values and the step range written on it. */
    public static BufferedImage lossCurve(String title, long[] steps, double[] losses) {
        if (steps.length == 0) throw new IllegalArgumentException("no training steps to plot");
        double lo = min(losses), hi = max(losses), pad = 0.04 * (hi - lo);
        Plot p = new Plot(title, steps[0], Math.max(steps[steps.length - 1], steps[0] + 1), lo - pad, hi + pad, false);
        double[] xs = new double[steps.length];
        for (int i = 0; i < steps.length; i++) xs[i] = steps[i];
        p.line(xs, losses, new Color(31, 119, 180));
        p.label("step", "loss");
        return p.done();
    }

    /**
     * Loss against parameters on log-log axes: the measured points and the fitted law loss = a * N^b
     * drawn as a straight line.
     */
    public static BufferedImage powerLaw(String title, double[] params, double[] losses, PowerLaw fit) {
        double lo = min(params) / 1.5, hi = max(params) * 1.5;
        double ylo = Math.min(min(losses), Math.min(fit.predict(lo), fit.predict(hi))) / 1.1;
        double yhi = Math.max(max(losses), Math.max(fit.predict(lo), fit.predict(hi))) * 1.1;
        Plot p = new Plot(title, lo, hi, ylo, yhi, true);
        p.line(new double[] {lo, hi}, new double[] {fit.predict(lo), fit.predict(hi)}, new Color(214, 39, 40));
        p.points(params, losses, new Color(31, 119, 180));
        p.label("parameters (log)", "loss (log)");
        p.note(fit.toString());
        return p.done();
    }

    static int zoom(int side) {
        return side >= MIN_CELL ? 1 : (MIN_CELL + side - 1) / side;
    }

    private static BufferedImage canvas(int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return out;
    }

    /** Draws text; a JVM without usable fonts skips captions rather than failing the command. */
    private static void text(Graphics2D g, String s, int x, int y, int size) {
        try {
            g.setColor(Color.DARK_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.drawString(s, x, y);
        } catch (RuntimeException | Error e) {
            // no fonts (minimal headless JRE): the picture is still correct without its labels
        }
    }

    /** Width of a caption in pixels (0 without usable fonts, where captions are skipped). */
    private static int textWidth(String s, int size) {
        try {
            Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
            int width = g.getFontMetrics(new Font(Font.SANS_SERIF, Font.PLAIN, size)).stringWidth(s);
            g.dispose();
            return width;
        } catch (RuntimeException | Error e) {
            return 0;
        }
    }

    private static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double d : v) if (Double.isFinite(d)) m = Math.min(m, d);
        return m;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double d : v) if (Double.isFinite(d)) m = Math.max(m, d);
        return m;
    }

    static String num(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e4 || a < 1e-3)) return String.format(Locale.ROOT, "%.2e", v);
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 1 ? "%.3g" : "%.4f", v);
    }

    /** A 480x320 plot area with linear or log axes. */
    private static final class Plot {
        static final int W = 480, H = 320, L = 64, R = 16, T = 28, B = 44;
        final BufferedImage img = canvas(W, H);
        final Graphics2D g = img.createGraphics();
        final double x0, x1, y0, y1;
        final boolean log;

        Plot(String title, double x0, double x1, double y0, double y1, boolean log) {
            if (y1 <= y0) {
                double pad = Math.max(Math.abs(y0) * 0.05, 1e-6);
                y0 -= pad;
                y1 += pad;
            }
            this.x0 = x0;
            this.x1 = x1;
            this.y0 = y0;
            this.y1 = y1;
            this.log = log;
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.GRAY);
            g.drawRect(L, T, W - L - R, H - T - B);
            text(g, title, L, 18, 13);
            text(g, num(y1), 4, T + 10, 10);
            text(g, num(y0), 4, H - B, 10);
            text(g, log ? num(x0) : Long.toString(Math.round(x0)), L, H - B + 14, 10);
            text(g, log ? num(x1) : Long.toString(Math.round(x1)), W - R - 48, H - B + 14, 10);
        }

        double px(double x) {
            double f = log ? Math.log(x / x0) / Math.log(x1 / x0) : (x - x0) / (x1 - x0);
            return L + f * (W - L - R);
        }

        double py(double y) {
            double f = log ? Math.log(y / y0) / Math.log(y1 / y0) : (y - y0) / (y1 - y0);
            return H - B - f * (H - T - B);
        }

        void line(double[] xs, double[] ys, Color c) {
            Path2D.Double path = new Path2D.Double();
            boolean started = false;
            for (int i = 0; i < xs.length; i++) {
                if (!Double.isFinite(ys[i])) continue;
                if (started) path.lineTo(px(xs[i]), py(ys[i]));
                else path.moveTo(px(xs[i]), py(ys[i]));
                started = true;
            }
            g.setColor(c);
            g.setStroke(new BasicStroke(1.5f));
            g.draw(path);
        }

        void points(double[] xs, double[] ys, Color c) {
            g.setColor(c);
            for (int i = 0; i < xs.length; i++)
                g.fillOval((int) Math.round(px(xs[i])) - 4, (int) Math.round(py(ys[i])) - 4, 9, 9);
        }

        void label(String x, String y) {
            text(g, x, (W - L) / 2 + L - 20, H - 12, 11);
            text(g, y, 4, T - 6 + (H - T - B) / 2, 11);
        }

        void note(String s) {
            text(g, s, L + 8, T + 18, 11);
        }

        BufferedImage done() {
            g.dispose();
            return img;
        }
    }
}
