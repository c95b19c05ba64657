package org.nextscale.campaigns;

import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.macro.Interpreter;
import ij.plugin.PlugIn;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.nextscale.core.cli.Main;
import org.nextscale.jupyter.Notebook;
import org.nextscale.jupyter.VarMagicError;
import org.nextscale.jupyter.VarMagics;
import picocli.CommandLine;

/**
 * The three front ends called in-process the way a user's command reaches them, with everything they
 * print captured: the CLI's Main (exit code, stderr), an ImageJ 1.x plugin as run("VAR ...", options) calls
 * it from a batch-mode macro (the Log), and the %var magics (the cell's error).
 */
final class FrontEnds {
    private FrontEnds() {}

    /**
     * What one call did: whether it signalled failure, the lines it addressed to the user about it, and
     * every character it printed anywhere (to look for stack traces).
     */
    record Outcome(boolean failed, List<String> lines, String everything) {}

    /** Runs {@code call} with System.out and System.err captured; returns [result, captured text]. */
    private static <T> Object[] captured(Callable<T> call) throws Exception {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream cap = new PrintStream(buf, true, StandardCharsets.UTF_8);
        System.setOut(cap);
        System.setErr(cap);
        try {
            T r = call.call();
            return new Object[] {r, buf.toString(StandardCharsets.UTF_8)};
        } catch (Throwable t) {
            return new Object[] {t, buf.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Lines of text without blank lines and without progress-bar redraws ("generate [###...] 3/6"). */
    static List<String> userLines(String text) {
        List<String> lines = new ArrayList<>();
        for (String l : text.split("[\r\n]+"))
            if (!l.isBlank() && !l.matches("\\S+ +\\[[.#]*\\].*")) lines.add(l.strip());
        return lines;
    }

    static Outcome cli(String... args) throws Exception {
        StringWriter out = new StringWriter(), err = new StringWriter();
        Object[] r = captured(() -> {
            CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            return cl.execute(args);
        });
        String all = r[1] + out.toString() + err;
        if (r[0] instanceof Throwable t) return new Outcome(false, List.of(t.toString()), all + t);
        List<String> lines = userLines(err.toString());
        for (String l : userLines((String) r[1])) if (!l.startsWith("wrote ")) lines.add(l); // anything else printed to the console
        return new Outcome((Integer) r[0] != 0, lines, all);
    }

    /**
     * A plugin run as a macro's run(label, options) runs it: on a thread named "Run$_..." holding the
     * options, in batch mode, with {@code active} as the current image. Failure is the bridge's signal: a
     * line "LABEL: ..." in the Log and no result.
     */
    static Outcome macro(PlugIn plugin, String label, String options, ImagePlus active) throws Exception {
        Interpreter.batchMode = true;
        WindowManager.setTempCurrentImage(active);
        Thread t = Thread.currentThread();
        String name = t.getName();
        Object[] r = captured(() -> {
            t.setName("Run$_" + name);
            Macro.setOptions(t, options + " ");
            try {
                plugin.run("");
            } finally {
                Macro.setOptions(t, null);
                t.setName(name);
            }
            return WindowManager.getCurrentImage();
        });
        String log = (String) r[1];
        try {
            if (r[0] instanceof Throwable x) return new Outcome(false, List.of(x.toString()), log + x);
            boolean noResult = r[0] == active;
            List<String> lines = userLines(log);
            boolean reported = lines.stream().anyMatch(l -> l.startsWith(label + ": "));
            return new Outcome(noResult && reported, lines, log);
        } finally {
            WindowManager.setTempCurrentImage(null);
            for (int id : Interpreter.getBatchModeImageIDs()) Interpreter.removeBatchModeImage(WindowManager.getImage(id));
        }
    }

    /** {@code %var ARGS} (or, with a body, {@code %%var ARGS}). */
    static Outcome magic(String args, String body) throws Exception {
        List<String> printed = new ArrayList<>();
        Notebook nb = new Notebook() {
            @Override public void print(String text) { printed.add(text); }
            @Override public void show(BufferedImage image) {}
            @Override public Progress progress(String firstLine) { return line -> {}; }
        };
        List<String> tokens = Arrays.asList(args.trim().split("\\s+"));
        Object[] r = captured(() -> {
            if (body == null) VarMagics.line(tokens, nb);
            else VarMagics.cell(tokens, body, nb);
            return null;
        });
        String all = r[1] + String.join("\n", printed);
        if (r[0] instanceof VarMagicError e) {
            List<String> lines = new ArrayList<>(userLines(e.getMessage()));
            lines.addAll(userLines((String) r[1]));
            return new Outcome(true, lines, all + e.getMessage());
        }
        if (r[0] instanceof Throwable x) return new Outcome(false, List.of(x.toString()), all + x);
        return new Outcome(false, printed, all);
    }
}
