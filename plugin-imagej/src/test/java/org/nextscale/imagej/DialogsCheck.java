package org.nextscale.imagej;

import ij.IJ;
import ij.ImagePlus;
import ij.Prefs;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.gui.Roi;
import ij.measure.ResultsTable;
import java.awt.Button;
import java.awt.Choice;
import java.awt.Component;
import java.awt.Container;
import java.awt.Dialog;
import java.awt.Label;
import java.awt.TextField;
import java.awt.Window;
import java.awt.event.ActionEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Run by {@link DialogsMacroIT} in its own JVM under Xvfb with a real ImageJ 1.54p window: opens the VAR commands as a
 * person does (from the menu, no macro), looks into their dialogs, answers them, and prints what it found, one fact per
 * line (key=value), and saves a screenshot of each dialog. Usage: DialogsCheck SCREENSHOT_DIR
 */
public final class DialogsCheck {
    private DialogsCheck() {}

    public static void main(String[] args) throws Exception {
        Path shots = Path.of(args[0]);
        shots.toFile().mkdirs();
        new ij.ImageJ();
        IJ.newImage("ramp", "8-bit ramp", 64, 64, 1);
        ResultsTable.getResultsTable().addValue("Area", 42);                 // the user's own measurement
        ResultsTable.getResultsTable().show("Results");

        // Generate: class names as a choice, help, the model named; answer Dress and 2 images
        Run t = run("VAR Generate...");
        GenericDialog gd = dialog("VAR Generate");
        Choice cls = choice(gd, "Dress");
        System.out.println("generate.class_choices=" + items(cls));
        System.out.println("generate.scales_choices=" + items(choice(gd, "yes")));
        System.out.println("generate.text=" + texts(gd));
        System.out.println("generate.help=" + (button(gd, "Help") != null));
        AwtWindows.screenshot(gd, shots.resolve("generate.png"));
        cls.select("Dress");
        numeric(gd, 0).setText("2");                                         // Count
        ok(gd);
        t.join(120_000);
        ImagePlus g = WindowManager.getCurrentImage();
        System.out.println("generate.title=" + g.getTitle());
        System.out.println("generate.zoom=" + g.getCanvas().getMagnification());
        System.out.println("generate.info=" + g.getInfoProperty().replace('\n', '|'));
        System.out.println("generate.prop_class=" + g.getProp("class"));
        // again: the dialog remembers Dress and 2
        t = run("VAR Generate...");
        gd = dialog("VAR Generate");
        System.out.println("generate.remembered=" + choice(gd, "Dress").getSelectedItem() + "," + numeric(gd, 0).getText());
        ok(gd);
        t.join(120_000);
        ImagePlus g2 = WindowManager.getCurrentImage();
        System.out.println("generate.second_title=" + g2.getTitle());
        System.out.println("generate.apart=" + !g2.getWindow().getLocation().equals(g.getWindow().getLocation()));

        // Inpaint without a selection: said before any dialog opens
        WindowManager.setTempCurrentImage(null);
        IJ.selectWindow("ramp");
        t = run("VAR Inpaint...");
        Dialog err = anyDialog();
        System.out.println("inpaint.no_selection=" + (err == null ? "none" : err.getTitle() + ": " + texts(err)));
        if (err != null) ok(err);
        t.join(1_000);

        // Inpaint with one: the dialog names the image, masks only of its size; a ramp is unlike clothing
        IJ.newImage("other size", "8-bit black", 40, 40, 1);
        IJ.newImage("mask", "8-bit black", 64, 64, 1);
        IJ.selectWindow("ramp");
        ImagePlus ramp = WindowManager.getCurrentImage();
        ramp.setRoi(new Roi(16, 16, 32, 32));
        t = run("VAR Inpaint...");
        gd = dialog("VAR Inpaint");
        System.out.println("inpaint.text=" + texts(gd));
        System.out.println("inpaint.masks=" + items(choice(gd, "none")));
        AwtWindows.screenshot(gd, shots.resolve("inpaint.png"));
        ok(gd);
        t.join(120_000);
        System.out.println("inpaint.title=" + WindowManager.getCurrentImage().getTitle());

        // Class Edit starts at a class, not at "no class"
        IJ.selectWindow("ramp");
        t = run("VAR Class Edit...");
        gd = dialog("VAR Class Edit");
        System.out.println("classedit.class=" + choice(gd, "Dress").getSelectedItem());
        cancel(gd);
        t.join(1_000);

        // Reconstruct: the PSNR in the result's title, no PSNR line in the Log; Tokenize: ids, a table of its own
        IJ.selectWindow("ramp");
        IJ.log("\\Clear");
        t = run("VAR Reconstruct...");
        gd = dialog("VAR Reconstruct");
        ok(gd);
        t.join(120_000);
        System.out.println("reconstruct.title=" + WindowManager.getCurrentImage().getTitle());
        String log = IJ.getLog() == null ? "" : IJ.getLog();
        System.out.println("reconstruct.log=" + log.replace('\n', '|'));
        IJ.selectWindow("ramp");
        t = run("VAR Tokenize...");
        gd = dialog("VAR Tokenize");
        ok(gd);
        t.join(120_000);
        ImagePlus maps = WindowManager.getCurrentImage();
        System.out.println("tokenize.type=" + maps.getBitDepth() + " value=" + maps.getProcessor().get(0, 0));
        System.out.println("tokenize.table=" + (WindowManager.getWindow("Tokens of ramp") != null));
        System.out.println("tokenize.results_rows=" + ResultsTable.getResultsTable().size());

        // the training dialog: a folder chooser, a save chooser, the defaults said
        t = run("VAR Train Tokenizer...");
        gd = dialog("VAR Train Tokenizer");
        System.out.println("train.text=" + texts(gd));
        System.out.println("train.buttons=" + buttons(gd));
        AwtWindows.screenshot(gd, shots.resolve("train-tokenizer.png"));
        cancel(gd);
        t.join(1_000);

        // a recorded macro gives the same image whatever the dialogs remembered
        String macro = "run(\"VAR Generate...\", \"class=Sneaker count=1 seed=5\");";
        IJ.runMacro(macro);
        float[] a = (float[]) WindowManager.getCurrentImage().getProcessor().convertToFloat().getPixels();
        Prefs.set("nextscale.var_generate.seed", "99");
        Prefs.set("nextscale.var_generate.cfg", "6.0");
        Prefs.set("nextscale.var_generate.class", "Bag");
        IJ.runMacro(macro);
        float[] b = (float[]) WindowManager.getCurrentImage().getProcessor().convertToFloat().getPixels();
        System.out.println("macro.same_image=" + Arrays.equals(a, b));
        System.exit(0);
    }

    /** A command started as a click in the menu starts it: in its own thread, no macro options. */
    private static final class Run {
        private final int images = WindowManager.getImageCount();

        Run(String command) {
            IJ.doCommand(command);
        }

        /** Waits (up to {@code seconds}) until the command has opened a new image. */
        void join(long millis) throws InterruptedException {
            for (long waited = 0; waited < millis && WindowManager.getImageCount() <= images; waited += 100) Thread.sleep(100);
            int seen = -1;                                                // then until no more windows arrive
            while (seen != WindowManager.getImageCount()) {
                seen = WindowManager.getImageCount();
                Thread.sleep(1500);
            }
        }
    }

    private static Run run(String command) {
        return new Run(command);
    }

    /** Waits (up to 60 s) for a visible GenericDialog with this title. */
    private static GenericDialog dialog(String title) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            for (Window w : Window.getWindows())
                if (w instanceof GenericDialog gd && gd.isVisible() && gd.getTitle().equals(title)) {
                    Thread.sleep(1500);                                       // let it lay out and settle
                    gd.toFront();
                    return gd;
                }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no dialog " + title + " opened");
    }

    /** Any visible modal dialog within 20 s (an error message), or null. */
    private static Dialog anyDialog() throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            for (Window w : Window.getWindows()) if (w instanceof Dialog d && d.isVisible() && d.isModal()) { Thread.sleep(300); return d; }
            Thread.sleep(100);
        }
        return null;
    }

    private static Choice choice(GenericDialog gd, String item) {
        for (Object o : gd.getChoices() == null ? List.of() : gd.getChoices()) {
            Choice c = (Choice) o;
            for (int i = 0; i < c.getItemCount(); i++) if (c.getItem(i).equals(item)) return c;
        }
        throw new IllegalStateException("no choice offers " + item);
    }

    private static TextField numeric(GenericDialog gd, int i) {
        return (TextField) gd.getNumericFields().get(i);
    }

    private static String items(Choice c) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < c.getItemCount(); i++) out.add(c.getItem(i));
        return String.join(";", out);
    }

    /** Every label and message text of the dialog, in order. */
    private static String texts(Container c) {
        List<String> out = new ArrayList<>();
        collect(c, out);
        return String.join(" | ", out).replace('\n', ' ');
    }

    private static void collect(Component c, List<String> out) {
        if (c instanceof Label l && !l.getText().isBlank()) out.add(l.getText());
        else if (c instanceof ij.gui.MultiLineLabel m) out.add(multiLine(m));
        if (c instanceof Container k) for (Component x : k.getComponents()) collect(x, out);
    }

    /** A MultiLineLabel's text (ImageJ keeps its lines in a field of its own). */
    private static String multiLine(ij.gui.MultiLineLabel m) {
        try {
            java.lang.reflect.Field f = ij.gui.MultiLineLabel.class.getDeclaredField("lines");
            f.setAccessible(true);
            String[] lines = (String[]) f.get(m);
            return lines == null ? "" : String.join(" ", lines);
        } catch (ReflectiveOperationException e) {
            return "";
        }
    }

    private static String buttons(Container c) {
        List<String> out = new ArrayList<>();
        for (Component x : AwtWindows.components(c)) if (x instanceof Button b) out.add(b.getLabel());
        return String.join(";", out);
    }

    private static Button button(Container c, String label) {
        for (Component x : AwtWindows.components(c)) if (x instanceof Button b && b.getLabel().trim().startsWith(label)) return b;
        return null;
    }


    private static void ok(Dialog d) {
        press(d, "OK");
    }

    private static void cancel(Dialog d) {
        press(d, "Cancel");
    }

    private static void press(Dialog d, String label) {
        Button b = button(d, label);
        if (b == null) throw new IllegalStateException(d.getTitle() + " has no " + label + " button: " + buttons(d));
        java.awt.EventQueue.invokeLater(() -> {
            for (var l : b.getActionListeners()) l.actionPerformed(new ActionEvent(b, ActionEvent.ACTION_PERFORMED, label));
        });
    }

}
