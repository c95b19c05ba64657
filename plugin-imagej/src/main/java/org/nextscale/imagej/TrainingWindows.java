package org.nextscale.imagej;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Plot;
import ij.gui.PlotWindow;
import java.awt.BorderLayout;
import java.awt.Button;
import java.awt.Color;
import java.awt.Frame;
import java.awt.Label;
import java.awt.Panel;
import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.List;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.TrainEvent;
import org.nextscale.core.api.TrainListener;
import org.nextscale.core.api.TrainPreview;
import org.nextscale.core.api.ValidationEvent;

/**
 * The live view of a training run in ImageJ windows, as CARE shows its training: a plot of training and validation
 * loss against steps (ImageJ's Plot, redrawn in place at every evaluation and preview) and the trainer's latest
 * preview (samples, or validation images above their reconstructions) as an image that updates, and a progress window
 * with a Cancel button (Esc works too). Opened only where someone watches: never headless, never while a macro runs.
 */
final class TrainingWindows implements TrainListener {
    private final String title;
    private final List<double[]> train = new ArrayList<>(), val = new ArrayList<>();
    private double windowSum;
    private int windowSteps;
    private long every = 1;
    private PlotWindow plotWindow;
    private ImagePlus preview;
    private final Frame progress;
    private final Label progressLine = new Label("starting...");
    private final Bar bar = new Bar();

    /** A plain progress bar (AWT has none): the done part filled. */
    private static final class Bar extends java.awt.Canvas {
        private volatile double done;

        Bar() {
            setPreferredSize(new java.awt.Dimension(460, 14));
        }

        void set(double fraction) {
            done = Math.max(0, Math.min(1, fraction));
            repaint();
        }

        @Override
        public void paint(java.awt.Graphics g) {
            int w = getWidth(), h = getHeight();
            g.setColor(new Color(235, 235, 235));
            g.fillRect(0, 0, w, h);
            g.setColor(new Color(30, 90, 200));
            g.fillRect(0, 0, (int) Math.round(w * done), h);
            g.setColor(Color.GRAY);
            g.drawRect(0, 0, w - 1, h - 1);
        }
    }

    /** Opens the progress window: the step, the loss, the time left, and a Cancel button that stops after the current step. */
    TrainingWindows(String title, CancelToken cancel) {
        this.title = title;
        progress = new Frame(title + ": training");
        progress.setLayout(new BorderLayout(8, 8));
        progressLine.setPreferredSize(new java.awt.Dimension(460, 22));
        Button stop = new Button("Cancel");
        stop.addActionListener(e -> {
            cancel.cancel();
            stop.setEnabled(false);
            progressLine.setText("stopping after the current step (a checkpoint is written)...");
        });
        Panel buttons = new Panel();
        buttons.add(stop);
        progress.add(progressLine, BorderLayout.NORTH);
        progress.add(bar, BorderLayout.CENTER);
        progress.add(buttons, BorderLayout.SOUTH);
        progress.addWindowListener(new java.awt.event.WindowAdapter() {
            @Override
            public void windowClosing(java.awt.event.WindowEvent e) {
                stop.getActionListeners()[0].actionPerformed(null);
            }
        });
        progress.pack();
        progress.setLocation(60, 60);
        progress.setVisible(true);
    }

    /** The run ended (finished, failed or cancelled): the progress window goes, the plot and preview stay. */
    void finished() {
        progress.dispose();
    }

    Frame progressWindow() {
        return progress;
    }

    /** Whether a person is watching: an ImageJ window exists, the JVM is not headless, no macro is running. */
    static boolean wanted() {
        return !GraphicsEnvironment.isHeadless() && IJ.getInstance() != null && !IJ.isMacro();
    }

    @Override
    public void onStep(TrainEvent e) {
        long left = Math.round(e.etaSeconds());
        progressLine.setText(String.format(java.util.Locale.ROOT, "%s: step %d of %d, loss %.4f, %s left", e.phase(), e.step(), e.totalSteps(), e.loss(),
                left >= 3600 ? String.format("%d:%02d:%02d", left / 3600, left / 60 % 60, left % 60) : String.format("%d:%02d", left / 60, left % 60)));
        bar.set((double) e.step() / Math.max(1, e.totalSteps()));
        every = Math.max(1, e.totalSteps() / 200);                   // at most ~200 points of training loss
        windowSum += e.loss();
        windowSteps++;
        if (e.step() % every == 0 || e.step() == e.totalSteps()) {
            train.add(new double[] {e.step(), windowSum / windowSteps});
            windowSum = 0;
            windowSteps = 0;
        }
    }

    @Override
    public void onValidation(ValidationEvent e) {
        val.add(new double[] {e.step(), e.valLoss()});
        redraw(e.totalSteps());
    }

    @Override
    public void onPreview(TrainPreview p) {
        redraw(p.totalSteps());
        if (p.picture() == null) return;
        String name = title + " preview (step " + p.step() + ")";
        if (preview == null || preview.getWindow() == null) {
            preview = new ImagePlus(name, p.picture().toBufferedImage());
            preview.show();
        } else {
            preview.setImage(p.picture().toBufferedImage());
            preview.setTitle(name);
            preview.updateAndDraw();
        }
    }

    /** The plot with the points so far; the first call opens its window, later ones redraw it. */
    synchronized Plot redraw(long total) {
        Plot plot = new Plot(title + " loss", "step", "loss");
        plot.setColor(new Color(30, 90, 200));
        plot.addPoints(xs(train), ys(train), Plot.LINE);
        plot.setColor(new Color(230, 120, 20));
        if (!val.isEmpty()) plot.addPoints(xs(val), ys(val), Plot.CONNECTED_CIRCLES);
        plot.setColor(Color.BLACK);
        plot.addLegend(val.isEmpty() ? "training" : "training\nvalidation");
        plot.setLimits(0, Math.max(1, total), Double.NaN, Double.NaN);
        if (plotWindow == null || plotWindow.isClosed()) plotWindow = plot.show();
        else plotWindow.drawPlot(plot);
        return plot;
    }

    private static double[] xs(List<double[]> pts) {
        return pts.stream().mapToDouble(p -> p[0]).toArray();
    }

    private static double[] ys(List<double[]> pts) {
        return pts.stream().mapToDouble(p -> p[1]).toArray();
    }

    PlotWindow plotWindow() {
        return plotWindow;
    }

    ImagePlus previewImage() {
        return preview;
    }
}
