package org.nextscale.imagej;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.PlotWindow;
import java.awt.Frame;
import java.io.File;
import java.nio.file.Path;

/**
 * Run by {@link TrainingWindowsMacroIT} in its own JVM under Xvfb, with a real ImageJ window: trains a tiny tokenizer
 * through the SciJava command, as a click in the menu does, and prints what windows the run left open (the loss plot
 * with its points, the preview image), then whether a macro would get windows (it must not).
 * Usage: LiveViewCheck OUTPUT.zip
 */
public final class LiveViewCheck {
    private LiveViewCheck() {}

    public static void main(String[] args) throws Exception {
        new ij.ImageJ();
        System.out.println("wanted=" + TrainingWindows.wanted());
        try (CommandHarness h = new CommandHarness()) {
            TrainTokenizerCommand t = h.run(TrainTokenizerCommand.class, "data", "synthetic:64", "output", new File(args[0]), "steps", 40,
                    "batch", 8, "lr", "2e-3", "options", TrainCommandsTest.TOKENIZER_OPTIONS + " eval_every=10 preview_every=20");
            System.out.println("failure=" + t.failure());
        }
        for (Frame f : Frame.getFrames()) {
            if (!f.isVisible()) continue;
            if (f instanceof PlotWindow pw) {
                float[][] val = pw.getPlot().getDataObjectArrays(1);
                System.out.println("plot=" + f.getTitle() + " validation_points=" + val[0].length + " last_step=" + val[0][val[0].length - 1]);
            }
        }
        for (int id : WindowManager.getIDList() == null ? new int[0] : WindowManager.getIDList()) {
            ImagePlus imp = WindowManager.getImage(id);
            if (imp.getTitle().contains("preview")) System.out.println("preview=" + imp.getTitle() + " " + imp.getWidth() + "x" + imp.getHeight());
        }
        if (args.length > 1) {                                                // screenshots of the live view, for the docs
            for (Frame f : Frame.getFrames())
                if (f.isVisible() && (f instanceof PlotWindow || f.getTitle().contains("preview"))) AwtWindows.screenshot(f, Path.of(args[1], f instanceof PlotWindow ? "live-plot.png" : "live-preview.png"));
        }
        System.out.println("wanted_in_macro=" + IJ.runMacro("return call('" + LiveViewCheck.class.getName() + ".wanted');"));

        // a long run: its progress window, and its Cancel button
        TrainTokenizerCommand[] longRun = new TrainTokenizerCommand[1];
        Thread t = new Thread(() -> {
            try (CommandHarness h = new CommandHarness()) {
                longRun[0] = h.run(TrainTokenizerCommand.class, "data", "synthetic:64", "output", new File(args[0].replace(".zip", "-long.zip")), "steps", 5000,
                        "batch", 8, "lr", "2e-3", "options", TrainCommandsTest.TOKENIZER_OPTIONS);
            } catch (Exception e) {
                System.out.println("long_run_error=" + e);
            }
        });
        t.start();
        Frame progress = null;
        for (int i = 0; i < 600 && progress == null; i++) {
            for (Frame f : Frame.getFrames()) if (f.isVisible() && f.getTitle().equals("VAR Train Tokenizer: training")) progress = f;
            Thread.sleep(100);
        }
        System.out.println("progress_window=" + (progress != null));
        if (progress != null) {
            Thread.sleep(3000);                                                 // a few steps, so the window shows them
            if (args.length > 1) AwtWindows.screenshot(progress, Path.of(args[1], "live-progress.png"));
            java.awt.Button cancel = null;
            for (java.awt.Component c : AwtWindows.components(progress)) if (c instanceof java.awt.Button b && b.getLabel().equals("Cancel")) cancel = b;
            java.awt.Button pressed = cancel;
            java.awt.EventQueue.invokeLater(() -> pressed.getActionListeners()[0].actionPerformed(new java.awt.event.ActionEvent(pressed, 0, "Cancel")));
            t.join(60_000);
            System.out.println("cancelled=" + (longRun[0] != null && longRun[0].isCanceled()) + " failure=" + (longRun[0] == null ? "?" : longRun[0].failure()));
            System.out.println("progress_window_closed=" + !progress.isVisible());
            System.out.println("checkpoint_kept=" + new File(args[0].replace(".zip", "-long.ckpt.zip")).isFile());
        }
        System.exit(0);
    }

    /** For the macro: whether a training run started now would open windows. */
    public static String wanted() {
        return String.valueOf(TrainingWindows.wanted());
    }
}
