package org.nextscale.core.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import org.nextscale.core.api.Image;

/**
 * The loss plot a run writes as NAME.loss.png: training loss per step (light), its running mean (blue), validation
 * loss at each evaluation (orange, the best one circled), against steps 0..total. Java2D only, so it draws headless.
 */
final class LossPlot {
    static final int WIDTH = 640, HEIGHT = 360;
    private static final int LEFT = 62, RIGHT = 16, TOP = 34, BOTTOM = 40;

    private LossPlot() {}

    /** @param train (step, loss) per step; @param val (step, loss) per evaluation */
    static Image render(List<double[]> train, List<double[]> val, long bestStep, String title, long step, long total) {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            double[] smooth = runningMean(train, Math.max(1, train.size() / 50));
            // the y range covers the smoothed training loss after its first tenth (the start would flatten everything) and all validation points
            for (int i = train.size() / 10; i < train.size(); i++) { lo = Math.min(lo, smooth[i]); hi = Math.max(hi, smooth[i]); }
            for (double[] v : val) { lo = Math.min(lo, v[1]); hi = Math.max(hi, v[1]); }
            if (!(hi > lo)) { lo = Double.isFinite(lo) ? lo - 0.5 : 0; hi = lo + 1; }
            double pad = (hi - lo) * 0.08;
            lo -= pad;
            hi += pad;
            int pw = WIDTH - LEFT - RIGHT, ph = HEIGHT - TOP - BOTTOM;
            double xMax = Math.max(1, total);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.setColor(new Color(225, 225, 225));
            for (int i = 0; i <= 4; i++) {
                int y = TOP + ph * i / 4;
                g.drawLine(LEFT, y, LEFT + pw, y);
            }
            g.setColor(Color.DARK_GRAY);
            g.drawRect(LEFT, TOP, pw, ph);
            for (int i = 0; i <= 4; i++) {
                double v = hi - (hi - lo) * i / 4;
                g.drawString(String.format(Locale.ROOT, "%.3f", v), 6, TOP + ph * i / 4 + 4);
                long sx = Math.round(xMax * i / 4);
                String label = String.valueOf(sx);
                g.drawString(label, LEFT + pw * i / 4 - g.getFontMetrics().stringWidth(label) / 2, TOP + ph + 16);
            }
            g.drawString("step", LEFT + pw / 2 - 10, HEIGHT - 8);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g.drawString(String.format(Locale.ROOT, "%s loss, step %d of %d", title, step, total), LEFT, 20);
            g.setClip(LEFT, TOP, pw + 1, ph + 1);
            g.setColor(new Color(180, 200, 235));
            line(g, train, i -> train.get(i)[1], lo, hi, xMax, pw, ph);
            g.setColor(new Color(30, 90, 200));
            g.setStroke(new BasicStroke(2f));
            line(g, train, i -> smooth[i], lo, hi, xMax, pw, ph);
            g.setColor(new Color(230, 120, 20));
            line(g, val, i -> val.get(i)[1], lo, hi, xMax, pw, ph);
            for (double[] v : val) {
                int x = px(v[0], xMax, pw), y = py(v[1], lo, hi, ph);
                g.fillOval(x - 3, y - 3, 7, 7);
                if ((long) v[0] == bestStep) g.drawOval(x - 7, y - 7, 14, 14);
            }
            g.setClip(null);
            g.setStroke(new BasicStroke(1f));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            java.awt.FontMetrics fm = g.getFontMetrics();
            String trainLabel = "train (running mean)", valLabel = "validation";
            int lx = LEFT + pw - 18 - fm.stringWidth(trainLabel) - (val.isEmpty() ? 0 : 24 + fm.stringWidth(valLabel));
            g.setColor(new Color(30, 90, 200));
            g.fillRect(lx, 12, 14, 3);
            g.setColor(Color.DARK_GRAY);
            g.drawString(trainLabel, lx + 18, 17);
            if (!val.isEmpty()) {
                int vx = lx + 18 + fm.stringWidth(trainLabel) + 12;
                g.setColor(new Color(230, 120, 20));
                g.fillOval(vx, 9, 7, 7);
                g.setColor(Color.DARK_GRAY);
                g.drawString(valLabel, vx + 11, 17);
            }
        } finally {
            g.dispose();
        }
        return Image.fromBufferedImage(img);
    }

    private interface Value {
        double at(int i);
    }

    private static void line(Graphics2D g, List<double[]> pts, Value v, double lo, double hi, double xMax, int pw, int ph) {
        int px = -1, py = -1;
        for (int i = 0; i < pts.size(); i++) {
            double y = v.at(i);
            if (!Double.isFinite(y)) continue;
            int x1 = px(pts.get(i)[0], xMax, pw), y1 = py(y, lo, hi, ph);
            if (px >= 0) g.drawLine(px, py, x1, y1);
            px = x1;
            py = y1;
        }
    }

    private static int px(double step, double xMax, int pw) {
        return LEFT + (int) Math.round(pw * step / xMax);
    }

    private static int py(double v, double lo, double hi, int ph) {
        return TOP + (int) Math.round(ph * (hi - v) / (hi - lo));
    }

    /** The mean of each point and the {@code window - 1} before it. */
    static double[] runningMean(List<double[]> pts, int window) {
        double[] out = new double[pts.size()];
        double sum = 0;
        for (int i = 0; i < pts.size(); i++) {
            sum += pts.get(i)[1];
            if (i >= window) sum -= pts.get(i - window)[1];
            out[i] = sum / Math.min(i + 1, window);
        }
        return out;
    }
}
