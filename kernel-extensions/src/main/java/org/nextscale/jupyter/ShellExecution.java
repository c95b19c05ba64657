package org.nextscale.jupyter;

import java.lang.reflect.Method;
import java.util.Map;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * Runs JShell snippets in the kernel's own JVM, on the thread that evaluates the cell, and keeps the
 * value of the last snippet as an object (JShell itself only reports values as strings), so that a cell
 * ending in a BufferedImage shows the image. Classes defined in cells come from JShell's class loader,
 * a child of the application class loader that holds the kernel and the nextscale jars: the magics and
 * the cells share {@link VarSession}.
 */
final class ShellExecution extends DirectExecutionControl {
    private volatile Object lastValue;
    private volatile ClassLoader snippetLoader;
    private volatile Thread running;

    /** The value the last executed snippet produced (null for statements and declarations). */
    Object takeValue() {
        Object v = lastValue;
        lastValue = null;
        return v;
    }

    /** The loader of the snippets' classes (null until the first snippet ran). */
    ClassLoader snippetLoader() {
        return snippetLoader;
    }

    /** Interrupts the thread running a snippet, if any. */
    void interruptRunning() {
        Thread t = running;
        if (t != null) t.interrupt();
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        snippetLoader = doitMethod.getDeclaringClass().getClassLoader();
        running = Thread.currentThread();
        try {
            Object value = doitMethod.invoke(null);
            lastValue = value;
            return valueString(value);
        } finally {
            running = null;
            Thread.interrupted(); // an interrupt that arrived after the snippet must not hit the next cell
        }
    }

    /** Hands JShell the one instance the kernel talks to. */
    static final class Provider implements ExecutionControlProvider {
        final ShellExecution control = new ShellExecution();

        @Override
        public String name() {
            return "nextscale";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            return control;
        }
    }
}
