package org.nextscale.core.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.nextscale.core.api.CancelledException;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** Shared CLI plumbing: turn any failure into one clear line on stderr and an exit code. */
final class Cli {
    private Cli() {}

    static int handle(Exception e, CommandLine cl, ParseResult parsed) {
        cl.getErr().println("nextscale " + cl.getCommandName() + ": " + message(e));
        if (Boolean.getBoolean("nextscale.debug")) e.printStackTrace(cl.getErr());
        return e instanceof CancelledException ? 130 : 1;
    }

    /** A mistyped command line: one line naming the mistake and where the options are listed (no usage dump). */
    static int handleParameters(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        String name = cl.getCommandSpec().qualifiedName(" ");
        String m = String.valueOf(e.getMessage()).strip().replaceAll("\\s*\\R\\s*", "; ");
        cl.getErr().println(name + ": " + m + " (see: " + name + " --help)");
        cl.getErr().flush();
        return 2;
    }

    static String message(Throwable e) {
        if (e instanceof UncheckedIOException u) e = u.getCause();
        String gpu = org.nextscale.core.api.Devices.explain(e, "--batch (--micro-batch when training; a training run keeps its last checkpoint), or load the weights in half the memory with NEXTSCALE_WEIGHTS=float16");
        if (gpu != null) return gpu;
        if (e instanceof CancelledException) return "cancelled";
        String m = e.getMessage();
        if (m == null || m.isBlank()) m = e.getClass().getSimpleName();
        if (e instanceof IOException && !(e instanceof java.nio.file.NoSuchFileException)) return m;
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file: " + m;
        if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) return m;
        if (e instanceof OutOfMemoryError) return "out of memory: use a smaller --batch or give Java more memory (-Xmx)";
        return m + " (" + e.getClass().getSimpleName() + "; rerun with -Dnextscale.debug=true for details)";
    }
}
