package org.nextscale.imagej.ij1;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.macro.Interpreter;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nextscale.imagej.KeyValues;
import org.scijava.command.CommandModule;
import org.scijava.module.ModuleItem;

/**
 * The macro keys of one command, each tied to an input of its SciJava command. Values come from the
 * macro's options string ({@code run("VAR Generate", "class=3 count=4")}) or, when a person runs the
 * command from the menu, from a dialog whose labels start with the keys, so ImageJ's recorder writes
 * them back as the same keys. Keys left out keep the command's defaults; a macro that gives no options at
 * all (run("VAR Tokenize", ""), what the recorder writes for a dialog left at its defaults) gets every
 * default and never a dialog.
 */
final class MacroOptions {
    private record Key(String key, String input, String label) {}

    private final CommandModule module;
    private final List<Key> keys = new ArrayList<>();
    private String othersInput;

    MacroOptions(CommandModule module) {
        this.module = module;
    }

    /** Declares macro key {@code key} for the command input {@code input}; the dialog label starts with the key. */
    MacroOptions key(String key, String input, String label) {
        if (module.getInfo().getInput(input) == null)
            throw new IllegalStateException("the command has no input " + input);
        keys.add(new Key(key, input, label));
        return this;
    }

    /**
     * Macro keys not declared here are added as "key=value" text to {@code input} (the training
     * commands pass them on to the trainer, which checks them); without this, unknown keys are an error.
     */
    MacroOptions passOthersTo(String input) {
        othersInput = input;
        return this;
    }

    /** Every command input, defaults included (so Fiji never asks for one), or null when the dialog was cancelled. */
    Map<String, Object> read(String title) {
        String options = Macro.getOptions();
        // run("VAR ...", "") reaches us with no options at all, exactly like a menu click; a macro must never
        // block on a dialog nobody will close, so inside a macro (or without a screen) no options means defaults
        Map<String, String> text = options != null ? fromMacro(options) : unattended() ? Map.of() : fromDialog(title);
        if (text == null) return null;
        Map<String, Object> inputs = new LinkedHashMap<>();
        for (ModuleItem<?> item : module.getInfo().inputs()) {
            if (org.scijava.service.Service.class.isAssignableFrom(item.getType())) continue;
            inputs.put(item.getName(), module.getInput(item.getName()));
        }
        for (Key k : keys) {
            String v = text.get(k.key);
            if (v != null) inputs.put(k.input, convert(k, v));
        }
        return inputs;
    }

    /** True when no person can answer a dialog: a macro is running (batch mode or not), or there is no screen. */
    static boolean unattended() {
        return IJ.isMacro() || Interpreter.getInstance() != null || Interpreter.isBatchMode()
                || java.awt.GraphicsEnvironment.isHeadless();
    }

    private Map<String, String> fromMacro(String options) {
        Map<String, String> text = new LinkedHashMap<>();
        StringBuilder others = new StringBuilder();
        for (Map.Entry<String, String> e : KeyValues.parse(options).entrySet()) {
            if (keys.stream().anyMatch(k -> k.key.equals(e.getKey()))) continue;
            if (othersInput == null)
                throw new IllegalArgumentException("unknown key '" + e.getKey() + "'; the keys are: "
                        + String.join(", ", keys.stream().map(Key::key).toList()));
            others.append(' ').append(e.getKey()).append("=[").append(e.getValue()).append(']');
        }
        for (Key k : keys) {
            Class<?> type = type(k);
            if (type == boolean.class || type == Boolean.class) {
                String v = Macro.getValue(options, k.key, null);
                if (v != null) text.put(k.key, v);
                else if (hasWord(options, k.key)) text.put(k.key, "true");
                else text.put(k.key, "false");
            } else {
                String v = Macro.getValue(options, k.key, null);
                if (v != null) text.put(k.key, v);
            }
        }
        if (othersInput != null && others.length() > 0) {
            String key = keys.stream().filter(k -> k.input.equals(othersInput)).map(Key::key).findFirst().orElse(null);
            text.merge(key, others.toString().trim(), (a, b) -> a + " " + b);
        }
        return text;
    }


    /** True when {@code word} stands alone in the options (a ticked checkbox is recorded that way). */
    private static boolean hasWord(String options, String word) {
        for (String t : options.trim().split("\\s+")) if (t.equalsIgnoreCase(word)) return true;
        return false;
    }

    private Map<String, String> fromDialog(String title) {
        GenericDialog gd = new GenericDialog(title);
        for (Key k : keys) {
            Class<?> type = type(k);
            Object dflt = module.getInput(k.input);
            if (type == boolean.class || type == Boolean.class) gd.addCheckbox(k.label, Boolean.TRUE.equals(dflt));
            else if (type == File.class) gd.addFileField(k.label, dflt == null ? "" : dflt.toString());
            else if (type == ImagePlus.class) gd.addChoice(k.label, imageTitles(), "none");
            else if (type == int.class || type == long.class) gd.addNumericField(k.label, ((Number) dflt).doubleValue(), 0);
            else if (type == double.class) gd.addNumericField(k.label, ((Number) dflt).doubleValue(), 3);
            else gd.addStringField(k.label, dflt == null ? "" : dflt.toString(), 20);
        }
        gd.showDialog();
        if (gd.wasCanceled()) return null;
        Map<String, String> text = new LinkedHashMap<>();
        for (Key k : keys) {
            Class<?> type = type(k);
            if (type == boolean.class || type == Boolean.class) text.put(k.key, Boolean.toString(gd.getNextBoolean()));
            else if (type == File.class) text.put(k.key, gd.getNextString());
            else if (type == ImagePlus.class) text.put(k.key, gd.getNextChoice());
            else if (type == int.class || type == long.class) text.put(k.key, Long.toString(Math.round(gd.getNextNumber())));
            else if (type == double.class) text.put(k.key, Double.toString(gd.getNextNumber()));
            else text.put(k.key, gd.getNextString());
        }
        return text;
    }

    private static String[] imageTitles() {
        List<String> titles = new ArrayList<>();
        titles.add("none");
        String[] open = WindowManager.getImageTitles();
        if (open != null) titles.addAll(List.of(open));
        return titles.toArray(new String[0]);
    }

    private Class<?> type(Key k) {
        return module.getInfo().getInput(k.input).getType();
    }

    private Object convert(Key k, String v) {
        Class<?> type = type(k);
        String s = v.trim();
        try {
            if (type == int.class || type == Integer.class) return Integer.parseInt(s);
            if (type == long.class || type == Long.class) return Long.parseLong(s);
            if (type == double.class || type == Double.class) return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(k.key + " must be " + (type == double.class || type == Double.class ? "a number" : "a whole number")
                    + ", got '" + v + "'");
        }
        if (type == boolean.class || type == Boolean.class) {
            String b = s.toLowerCase(Locale.ROOT);
            if (List.of("true", "1", "yes", "on").contains(b)) return true;
            if (List.of("false", "0", "no", "off").contains(b)) return false;
            throw new IllegalArgumentException(k.key + " must be true or false, got '" + v + "'");
        }
        if (type == File.class) return s.isEmpty() ? null : new File(s);
        if (type == ImagePlus.class) {
            if (s.isEmpty() || s.equals("none")) return null;
            ImagePlus imp = WindowManager.getImage(s);
            if (imp == null) throw new IllegalArgumentException("no open image is called '" + s + "' (" + k.key + "=[title of an open image])");
            return imp;
        }
        return v;
    }
}
