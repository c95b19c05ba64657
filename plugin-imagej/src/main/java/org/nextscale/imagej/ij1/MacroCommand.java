package org.nextscale.imagej.ij1;

import ij.ImagePlus;
import ij.WindowManager;
import ij.plugin.PlugIn;
import java.util.Map;
import org.nextscale.imagej.VarCommand;
import org.scijava.Context;
import org.scijava.command.CommandModule;

/**
 * An ImageJ 1.x plugin standing for one VAR command (plugins.config maps the label to it): it reads
 * the macro options or asks in a dialog, runs the SciJava command and shows its results.
 */
abstract class MacroCommand<C extends VarCommand> implements PlugIn {

    /** The menu label and macro name, e.g. "VAR Generate". */
    abstract String label();

    abstract Class<C> command();

    /** Declares the macro keys. */
    abstract void keys(MacroOptions keys);

    /** Whether the command works on the active image (passed as input "image"). */
    boolean needsImage() {
        return true;
    }

    /** Shows the command's results; the new image becomes the active one. */
    abstract void show(C command);

    @Override
    public void run(String arg) {
        try {
            ImagePlus active = null;
            if (needsImage()) {
                active = WindowManager.getCurrentImage();
                if (active == null) throw new IllegalArgumentException("no image is open: open the image to work on first");
            }
            Context context = MacroBridge.context();
            CommandModule module = MacroBridge.module(context, command());
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

    static final String MODEL = "Model file (empty = the shipped model)";
    static final String SCALE = "Pixel scale (auto, a number of image pixels per model pixel, or fit)";
    static final String CLASS = "Class (number or name; -1 = none)";
    static final String CFG = "Cfg (guidance strength, 0 = off)";
    static final String SEED = "Seed (random seed)";
    static final String SHOW_SCALES = "Show_scales (auto, yes or no: the image after each scale, coarse to fine)";
}
