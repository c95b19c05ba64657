package org.nextscale.jupyter;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.BaseKernelBuilder;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;

/**
 * The nextscale Jupyter kernel: Java cells evaluated by JShell in this JVM, display and magics from
 * jjava-jupyter, and the %var magics preloaded (found like any JJava extension, through
 * META-INF/services). Started by Jupyter with the connection file as the only argument; see
 * {@link KernelCli} for installing its kernelspec.
 */
public final class NextscaleKernel extends BaseKernel {

    /** Run before the first cell; notebooks still import what they use so they also run on JJava. */
    static final List<String> STARTUP = List.of(
            "import java.util.*;", "import java.util.stream.*;", "import java.io.*;", "import java.nio.file.*;",
            "import java.awt.image.BufferedImage;", "import javax.imageio.ImageIO;",
            "import org.nextscale.jupyter.VarSession;",
            "import static org.dflib.jjava.jupyter.kernel.BaseNotebookStatics.*;");

    private final ShellExecution execution;
    private final JShell shell;

    private NextscaleKernel(Builder b, ShellExecution execution, JShell shell) {
        super("nextscale", "0.1.0",
                new LanguageInfo("Java", Runtime.version().toString(), "text/x-java-source", ".jshell", "java", "java", "script"),
                List.of(new HelpLink("nextscale magics: %var help", "https://github.com/FoundationVision/VAR")),
                null, b.io(), b.comms(), b.renderer(), b.parser(), b.magics(), true, b.styler());
        this.execution = execution;
        this.shell = shell;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1 || !Files.isRegularFile(Path.of(args[0]))) {
            System.err.println("usage: NextscaleKernel CONNECTION_FILE (Jupyter starts this through the kernelspec that"
                    + " './nextscale jupyter install' writes)");
            System.exit(2);
        }
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
        JupyterConnection connection = new JupyterConnection(props);
        NextscaleKernel kernel = create();
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
        System.exit(0); // DJL and AWT leave non-daemon threads behind
    }

    /** A kernel whose JShell sees this JVM's class path, with the startup imports run and extensions installed. */
    static NextscaleKernel create() {
        ShellExecution.Provider provider = new ShellExecution.Provider();
        JShell shell = JShell.builder().executionEngine(provider, Map.of()).build();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator))
            if (!entry.isBlank()) shell.addToClasspath(entry);
        NextscaleKernel k = new NextscaleKernel(new Builder(), provider.control, shell);
        for (String s : STARTUP) k.evalSnippet(s);
        k.evalSnippet("if (true) {}"); // runs once so that the snippet class loader exists for getClassLoader()
        k.onStartup();
        return k;
    }

    @Override
    protected ClassLoader getClassLoader() {
        ClassLoader l = execution.snippetLoader();
        return l != null ? l : ClassLoader.getSystemClassLoader();
    }

    @Override
    public Object evalRaw(String code) {
        String source = magicParser.resolveMagics(code);
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(source);
        Object last = null;
        while (info.completeness().isComplete()) {
            last = evalSnippet(info.source());
            info = analysis.analyzeCompletion(info.remaining());
        }
        if (info.completeness() != SourceCodeAnalysis.Completeness.EMPTY)
            throw new CellError("incomplete input (a missing ';', ')' or '}'?): " + info.remaining().trim(), List.of());
        return last;
    }

    /** Evaluates one complete snippet; returns its value for expressions, null otherwise. */
    Object evalSnippet(String source) {
        execution.takeValue();
        List<SnippetEvent> events = shell.eval(source);
        Object value = null;
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) continue;
            JShellException thrown = e.exception();
            if (thrown != null) throw failure(thrown);
            if (!e.status().isDefined()) throw compileError(e.snippet());
            switch (e.snippet().subKind()) {
                case VAR_VALUE_SUBKIND, OTHER_EXPRESSION_SUBKIND, TEMP_VAR_EXPRESSION_SUBKIND -> value = execution.takeValue();
                default -> value = null;
            }
        }
        return value;
    }

    private RuntimeException failure(JShellException thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause())
            if (t instanceof EvalException ee && ee.getExceptionClassName().equals(VarMagicError.class.getName()))
                return new VarMagicError(ee.getMessage());
        List<String> trace = new ArrayList<>();
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            String name = t instanceof EvalException ee ? ee.getExceptionClassName() : t.getClass().getName();
            trace.add((trace.isEmpty() ? "" : "Caused by: ") + name + (t.getMessage() == null ? "" : ": " + t.getMessage()));
            for (StackTraceElement el : t.getStackTrace()) {
                if (el.getClassName().startsWith("jdk.") || el.getClassName().startsWith("java.lang.reflect.")) continue;
                trace.add("    at " + el);
            }
        }
        String name = thrown instanceof EvalException ee ? ee.getExceptionClassName() : thrown.getClass().getName();
        return new CellError(name.substring(name.lastIndexOf('.') + 1) + ": " + thrown.getMessage(), trace);
    }

    private CellError compileError(Snippet s) {
        List<String> lines = new ArrayList<>();
        for (Diag d : shell.diagnostics(s).collect(Collectors.toList())) {
            long line = 1 + s.source().substring(0, (int) Math.max(0, Math.min(d.getStartPosition(), s.source().length())))
                    .chars().filter(c -> c == '\n').count();
            lines.add("line " + line + ": " + d.getMessage(null).replaceAll("\\s*\\R\\s*", " "));
        }
        List<String> unresolved = s instanceof jdk.jshell.DeclarationSnippet ds
                ? shell.unresolvedDependencies(ds).collect(Collectors.toList()) : List.of();
        if (!unresolved.isEmpty()) lines.add("unresolved: " + String.join(", ", unresolved));
        if (lines.isEmpty()) lines.add("the snippet was rejected: " + s.source().trim());
        return new CellError("compilation failed: " + lines.get(0), lines);
    }

    @Override
    public List<String> formatError(Throwable e) {
        if (e instanceof VarMagicError) return List.of(errorStyler.secondary(e.getMessage()));
        if (e instanceof CellError ce)
            return ce.lines.isEmpty() ? List.of(errorStyler.secondary(ce.getMessage()))
                    : ce.lines.stream().map(errorStyler::secondary).collect(Collectors.toList());
        return super.formatError(e);
    }

    @Override
    public void interrupt() {
        VarSession.interrupt();
        execution.interruptRunning();
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        List<SourceCodeAnalysis.Documentation> docs = shell.sourceCodeAnalysis().documentation(code, at, true);
        if (docs == null || docs.isEmpty()) return null;
        return new DisplayData(docs.stream().map(d -> d.signature() + (d.javadoc() == null ? "" : "\n" + d.javadoc()))
                .collect(Collectors.joining("\n\n")));
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> s = shell.sourceCodeAnalysis().completionSuggestions(code, at, anchor);
        if (s == null || s.isEmpty()) return null;
        return new ReplacementOptions(s.stream().map(SourceCodeAnalysis.Suggestion::continuation).distinct()
                .collect(Collectors.toList()), anchor[0], at);
    }

    @Override
    public String isComplete(String code) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(magicParser.resolveMagics(code));
        while (info.completeness().isComplete()) info = analysis.analyzeCompletion(info.remaining());
        return switch (info.completeness()) {
            case EMPTY, COMPLETE, COMPLETE_WITH_SEMI -> IS_COMPLETE_YES;
            case UNKNOWN -> IS_COMPLETE_BAD;
            default -> "    ";
        };
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        super.onShutdown(isRestarting);
        shell.close();
    }

    /** A cell that did not compile or threw: a short message plus the lines to show. */
    static final class CellError extends RuntimeException {
        final List<String> lines;

        CellError(String message, List<String> lines) {
            super(message, null, false, false);
            this.lines = lines;
        }
    }

    /** jjava-jupyter's defaults for IO, display, comms and magics; the magic syntax is JJava's. */
    static final class Builder extends BaseKernelBuilder<Builder, NextscaleKernel> {
        @Override
        public NextscaleKernel build() {
            return create();
        }

        org.dflib.jjava.jupyter.kernel.JupyterIO io() {
            return buildJupyterIO(StandardCharsets.UTF_8);
        }

        org.dflib.jjava.jupyter.kernel.comm.CommManager comms() {
            return buildCommManager();
        }

        org.dflib.jjava.jupyter.kernel.display.Renderer renderer() {
            return buildRenderer();
        }

        MagicParser parser() {
            return new MagicParser("(?<=(?:^|=))\\s*%", "%%", buildMagicTranspiler());
        }

        org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry magics() {
            return buildMagicsRegistry();
        }

        org.dflib.jjava.jupyter.kernel.util.StringStyler styler() {
            return buildErrorStyler();
        }
    }
}
