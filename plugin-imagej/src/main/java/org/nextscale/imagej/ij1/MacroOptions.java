package org.nextscale.imagej.ij1;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.Prefs;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.io.SaveDialog;
import ij.macro.Interpreter;
import java.awt.Button;
import java.awt.Color;
import java.awt.Font;
import java.awt.TextField;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.nextscale.imagej.KeyValues;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;

/**
 * The macro keys of one command, each tied to an input of its SciJava command. Values come from the
 * macro's options string ({@code run("VAR Generate...", "class=Dress count=4")}) or, when a person runs the
 * command from the menu, from a dialog whose labels start with the keys, so ImageJ's recorder writes
 * them back as the same keys. Keys left out keep the command's defaults; a macro that gives no options at
 * all (run("VAR Tokenize...", ""), what the recorder writes for a dialog left at its defaults) gets every
 * default and never a dialog.
 *
 * <p>The dialog says what the command does and which model it uses, offers choices where there are choices
 * (classes by name, scales, masks of the image's size), explains the jargon under its field, and remembers the
 * values a person chose for the next time. A macro never reads what was remembered: its result depends on its
 * own keys alone.
 */
final class MacroOptions {
    private enum Kind { PLAIN, CHOICE, FOLDER, SAVE_FILE, MACRO_ONLY }

    private record Key(String key, String input, String label, Kind kind, Supplier<String[]> choices, String note) {}

    private static final String PREFS = "nextscale.";
    private final Module module;
    private final List<Key> keys = new ArrayList<>();
    private final List<String> intro = new ArrayList<>();
    private String help;
    private String othersInput;

    MacroOptions(Module module) {
        this.module = module;
    }

    /** Declares macro key {@code key} for the command input {@code input}; the dialog label starts with the key. */
    MacroOptions key(String key, String input, String label) {
        return add(new Key(key, input, label, Kind.PLAIN, null, null));
    }

    /** As {@link #key}, with a grey line of help under the field. */
    MacroOptions key(String key, String input, String label, String note) {
        return add(new Key(key, input, label, Kind.PLAIN, null, note));
    }

    /** A key whose dialog field is a list of choices (computed when the dialog opens); a macro may give any value the command accepts. */
    MacroOptions choice(String key, String input, String label, Supplier<String[]> choices, String note) {
        return add(new Key(key, input, label, Kind.CHOICE, choices, note));
    }

    /** A folder, with a Browse button that chooses folders. */
    MacroOptions folder(String key, String input, String label, String note) {
        return add(new Key(key, input, label, Kind.FOLDER, null, note));
    }

    /** A file to write, with a Browse button that opens a save dialog (a new name can be typed). */
    MacroOptions saveFile(String key, String input, String label, String note) {
        return add(new Key(key, input, label, Kind.SAVE_FILE, null, note));
    }

    /** A key macros may give that the dialog does not show (a setting for scripts, not for a first run from the menu). */
    MacroOptions macroOnly(String key, String input) {
        return add(new Key(key, input, key, Kind.MACRO_ONLY, null, null));
    }

    /** Lines shown at the top of the dialog: what the command does, which model. */
    MacroOptions intro(String... lines) {
        intro.addAll(List.of(lines));
        return this;
    }

    /** The dialog's Help button: a short HTML page. */
    MacroOptions help(String html) {
        help = html;
        return this;
    }

    private MacroOptions add(Key k) {
        if (module.getInfo().getInput(k.input) == null)
            throw new IllegalStateException("the command has no input " + k.input);
        keys.add(k);
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
        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        for (String line : intro) gd.addMessage(line);
        for (Key k : keys) {
            if (k.kind == Kind.MACRO_ONLY) continue;
            Class<?> type = type(k);
            String dflt = remembered(title, k);
            switch (k.kind) {
                case CHOICE -> {
                    String[] choices = k.choices.get();
                    gd.addChoice(k.label, choices, pick(choices, dflt));
                }
                // a folder field starts empty unless it names a folder (not the macros' default, fashion-mnist)
                case FOLDER -> gd.addDirectoryField(k.label, new File(dflt).isDirectory() ? dflt : "", 30);
                case SAVE_FILE -> {
                    // ImageJ's file field, its Browse button turned into a save dialog (a new name can be typed)
                    gd.addFileField(k.label, dflt, 30);
                    TextField field = (TextField) gd.getStringFields().lastElement();
                    for (java.awt.Component c : field.getParent().getComponents())
                        if (c instanceof Button browse) {
                            for (var l : browse.getActionListeners()) browse.removeActionListener(l);
                            browse.addActionListener(e -> {
                                SaveDialog sd = new SaveDialog("Save the model as", field.getText().isBlank() ? "model" : stem(field.getText()), ".zip");
                                if (sd.getFileName() != null) field.setText(new File(sd.getDirectory(), sd.getFileName()).getPath());
                            });
                        }
                }
                case MACRO_ONLY -> { }
                case PLAIN -> {
                    if (type == boolean.class || type == Boolean.class) gd.addCheckbox(k.label, Boolean.parseBoolean(dflt));
                    else if (type == File.class) gd.addFileField(k.label, dflt);
                    else if (type == int.class || type == long.class) gd.addNumericField(k.label, Double.parseDouble(dflt), 0);
                    else if (type == double.class) gd.addNumericField(k.label, Double.parseDouble(dflt), 3);
                    else gd.addStringField(k.label, dflt, 20);
                }
            }
            if (k.note != null) {                                                   // the field's help, right under it
                gd.setInsets(0, 20, 6);
                gd.addMessage(k.note, small, Color.DARK_GRAY);
            }
        }
        if (help != null) gd.addHelp(help);
        gd.showDialog();
        if (gd.wasCanceled()) return null;
        Map<String, String> text = new LinkedHashMap<>();
        for (Key k : keys) {
            if (k.kind == Kind.MACRO_ONLY) continue;
            Class<?> type = type(k);
            String v;
            if (k.kind == Kind.CHOICE) v = gd.getNextChoice();
            else if (k.kind == Kind.FOLDER || k.kind == Kind.SAVE_FILE) v = gd.getNextString();
            else if (type == boolean.class || type == Boolean.class) v = Boolean.toString(gd.getNextBoolean());
            else if (type == File.class) v = gd.getNextString();
            else if (type == int.class || type == long.class) v = Long.toString(Math.round(gd.getNextNumber()));
            else if (type == double.class) v = Double.toString(gd.getNextNumber());
            else v = gd.getNextString();
            text.put(k.key, v);
            if (type != ImagePlus.class) Prefs.set(PREFS + prefsName(title) + "." + k.key, v);
        }
        return text;
    }

    /**
     * The choice a default stands for: itself when listed; a class number as that class's name (-1 as "unconditional");
     * else the first choice.
     */
    private static String pick(String[] choices, String dflt) {
        if (List.of(choices).contains(dflt)) return dflt;
        int offset = choices.length > 0 && choices[0].equals("unconditional") ? 1 : 0;
        try {
            int i = Integer.parseInt(dflt.trim());
            if (i == -1 && offset == 1) return choices[0];
            if (i >= 0 && i + offset < choices.length) return choices[i + offset];
        } catch (NumberFormatException notANumber) {
            // a name that is not listed (another model's class): the first choice
        }
        return choices[0];
    }

    /** The value the dialog shows: what this person chose last time, else the command's default. */
    private String remembered(String title, Key k) {
        Object d = module.getInput(k.input);
        String dflt = d == null ? "" : d instanceof Double x && x == Math.rint(x) && Math.abs(x) < 1e15 ? String.valueOf(x) : d.toString();
        if (type(k) == ImagePlus.class) return "none";
        String v = Prefs.get(PREFS + prefsName(title) + "." + k.key, dflt);
        return v == null || v.isBlank() ? dflt : v;
    }

    private static String prefsName(String title) {
        return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    }

    private static String stem(String path) {
        String n = new File(path).getName();
        return n.toLowerCase(Locale.ROOT).endsWith(".zip") ? n.substring(0, n.length() - 4) : n;
    }

    /** The open images a mask may come from: those of {@code like}'s size, not {@code like} itself. */
    static String[] masksFor(ImagePlus like) {
        List<String> titles = new ArrayList<>();
        titles.add("none");
        int[] ids = WindowManager.getIDList();
        if (ids != null && like != null)
            for (int id : ids) {
                ImagePlus imp = WindowManager.getImage(id);
                if (imp != null && imp != like && imp.getWidth() == like.getWidth() && imp.getHeight() == like.getHeight()) titles.add(imp.getTitle());
            }
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
            throw new IllegalArgumentException(k.label.split(" \\(")[0] + " must be " + (type == double.class || type == Double.class ? "a number" : "a whole number")
                    + ", got '" + v + "' (" + k.key + "=)");
        }
        if (type == boolean.class || type == Boolean.class) {
            String b = s.toLowerCase(Locale.ROOT);
            if (List.of("true", "1", "yes", "on").contains(b)) return true;
            if (List.of("false", "0", "no", "off").contains(b)) return false;
            throw new IllegalArgumentException(k.label.split(" \\(")[0] + " must be ticked or not (true or false), got '" + v + "' (" + k.key + "=)");
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
