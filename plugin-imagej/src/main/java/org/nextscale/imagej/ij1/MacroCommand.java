package org.nextscale.imagej.ij1;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.Prefs;
import ij.WindowManager;
import ij.plugin.PlugIn;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.nextscale.core.api.ShippedModel;
import org.nextscale.imagej.ModelChoices;
import org.nextscale.imagej.VarCommand;
import org.scijava.Context;

/**
 * An ImageJ 1.x plugin standing for one VAR command (plugins.config maps the label to it): it reads
 * the macro options or asks in a dialog, runs the SciJava command and shows its results.
 */
abstract class MacroCommand<C extends VarCommand> implements PlugIn {

    /** The macro name without the dots of its menu entry, e.g. "VAR Generate" (the menu shows "VAR Generate..."). */
    abstract String label();

    abstract Class<C> command();

    /** Declares the macro keys. */
    abstract void keys(MacroOptions keys);

    /** Whether the command works on the active image (passed as input "image"). */
    boolean needsImage() {
        return true;
    }

    /** Whether the command works on an area of the image: a selection, or a mask image (the edits). */
    boolean needsArea() {
        return false;
    }

    /** Shows the command's results; the new image becomes the active one. */
    abstract void show(C command);

    private ImagePlus active;

    /** The image the command works on (null for commands without one). */
    ImagePlus active() {
        return active;
    }

    @Override
    public void run(String arg) {
        try {
            if (needsImage()) {
                active = WindowManager.getCurrentImage();
                if (active == null) throw new IllegalArgumentException("no image is open: open the image to work on first");
                // an edit needs an area: said before the dialog opens, in the dialog's words
                if (needsArea() && Macro.getOptions() == null && !MacroOptions.unattended() && active.getRoi() == null
                        && MacroOptions.masksFor(active).length == 1)
                    throw new IllegalArgumentException("select the area to work on first: draw a selection on " + active.getTitle()
                            + " (or open a mask image of its size), then run " + label() + " again");
            }
            Context context = MacroBridge.context();
            VarCommand module = MacroBridge.module(context, command());
            MacroOptions keys = new MacroOptions(module);
            keys(keys);
            Map<String, Object> inputs = keys.read(label());
            if (inputs == null) return; // dialog cancelled
            if (active != null) inputs.put("image", active);
            VarCommand done = MacroBridge.run(context, module, inputs);
            if (done != null) show(command().cast(done));
        } catch (IllegalArgumentException | IllegalStateException e) {
            MacroBridge.report(label(), e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            if (ij.Macro.MACRO_CANCELED.equals(e.getMessage())) throw e;
            MacroBridge.report(label(), "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + " (is the nextscale plugin installed with all jars in jars/ or plugins/jars/?)");
        }
    }

    // ---- the dialog fields the commands share ----

    /** The model field, and what the model is in the dialog's first lines. */
    void model(MacroOptions k) {
        k.intro("Model: " + describeModel());
        k.key("model", "model", "Model", "A nextscale model file (.zip); empty = the shipped model");
    }

    void scale(MacroOptions k) {
        k.choice("scale", "scale", "Scale", () -> ModelChoices.SCALES,
                "Image pixels per model pixel: auto = the image's own resolution, 2 = half resolution, fit = the whole image in one window");
    }

    /** The classes of the dialog's model, by name; {@code required}: no "unconditional" (a class edit needs a class). */
    void classes(MacroOptions k, boolean required) {
        k.choice("class", "classId", "Class", () -> classChoices(required), "What to make: one of the model's classes");
    }

    void cfg(MacroOptions k) {
        k.key("cfg", "cfg", "Cfg", "Guidance: how closely the result follows the class (0 = off, 1.5 = default, higher = more typical)");
    }

    void seed(MacroOptions k) {
        k.key("seed", "seed", "Seed", "The same seed gives the same result");
    }

    void showScales(MacroOptions k) {
        k.choice("show_scales", "showScales", "Show_scales", () -> new String[] {"auto", "yes", "no"},
                "Also show the result forming, one slice per scale (auto = yes for small models)");
    }

    /** "On a stack, only the current slice is edited" when it is one, for the edits' first lines. */
    String editedLine() {
        if (active == null) return "";
        return active.getStackSize() > 1 ? "Edits " + active.getTitle() + ", slice " + active.getCurrentSlice() + " of " + active.getStackSize()
                + " (only this slice)." : "Edits " + active.getTitle() + ".";
    }

    /** The model the dialog starts with: what this person chose last time, else the shipped one. */
    private Path dialogModel() throws IOException {
        String remembered = Prefs.get("nextscale." + label().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_") + ".model", "");
        return remembered.isBlank() ? ShippedModel.path() : Path.of(remembered);
    }

    private ModelChoices shown;

    /** What the dialog shows of its model, read once per run. */
    private ModelChoices shown() {
        if (shown == null) {
            try {
                shown = ModelChoices.of(dialogModel());
            } catch (IOException e) {
                shown = new ModelChoices("cannot be read (" + e.getMessage() + "): choose a model file below", java.util.List.of());
            }
        }
        return shown;
    }

    private String describeModel() {
        return shown().line();
    }

    private String[] classChoices(boolean required) {
        return shown().classes(required).toArray(new String[0]);
    }

    /** Whether a person, not a macro, runs this command now. */
    static boolean interactive() {
        return Macro.getOptions() == null && !MacroOptions.unattended() && IJ.getInstance() != null;
    }
}
