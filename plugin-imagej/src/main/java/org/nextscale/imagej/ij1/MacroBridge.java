package org.nextscale.imagej.ij1;

import ij.IJ;
import ij.Macro;
import ij.macro.Interpreter;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.nextscale.imagej.VarCommand;
import org.nextscale.imagej.VarModelService;
import org.scijava.Context;
import org.scijava.app.StatusService;
import org.scijava.app.event.StatusEvent;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.event.EventHandler;
import org.scijava.event.EventService;
import org.scijava.log.LogService;
import org.scijava.module.ModuleService;

/**
 * Runs a VAR SciJava command from ImageJ 1.x: finds or makes the SciJava {@link Context} (Fiji's own
 * when there is one, else one small Context per ImageJ session), runs the command on it and waits, and
 * reports failures the ImageJ way: a dialog when a person clicked the command, the Log and an aborted
 * macro when a macro called it.
 */
public final class MacroBridge {
    private MacroBridge() {}

    private static Context own;
    /** Kept strongly: the event service only holds weak references to subscribers. */
    private static StatusBar statusBar;

    /** Fiji's Context when ImageJ runs inside Fiji, else this session's own. */
    public static synchronized Context context() {
        // SciJava finds services and plugins through the context class loader: make it the plugin's
        Thread.currentThread().setContextClassLoader(MacroBridge.class.getClassLoader());
        Context fiji = fijiContext();
        if (fiji != null) return fiji;
        if (own == null) {
            own = new Context(CommandService.class, ModuleService.class, StatusService.class, LogService.class,
                    EventService.class, VarModelService.class);
            statusBar = new StatusBar();
            own.service(EventService.class).subscribe(statusBar);
        }
        return own;
    }

    /** In Fiji, ImageJ 1.x hands out the running Context; plain ImageJ has no legacy service. */
    private static Context fijiContext() {
        try {
            Class.forName("net.imagej.legacy.LegacyService", false, IJ.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
        Object o = IJ.runPlugIn("org.scijava.Context", "");
        return o instanceof Context c ? c : null;
    }

    /** A fresh module of {@code command}, its inputs holding the command's defaults. */
    static VarCommand module(Context context, Class<? extends VarCommand> command) {
        CommandInfo info = context.service(CommandService.class).getCommand(command);
        if (info == null)
            throw new IllegalStateException(command.getSimpleName() + " is not in the SciJava plugin index: reinstall the nextscale plugin jar");
        return (VarCommand) context.service(ModuleService.class).createModule(info);   // a VarCommand is its own module
    }

    /**
     * Runs the module with {@code inputs} and waits. Returns the command when it succeeded, null when it
     * failed (already reported) or was cancelled.
     */
    static VarCommand run(Context context, VarCommand command, Map<String, Object> inputs) {
        command.showErrors(false);
        IJ.resetEscape();
        Future<VarCommand> f = context.service(ModuleService.class).run(command, true, inputs);
        try {
            f.get();
        } catch (InterruptedException e) {
            command.cancel("interrupted");
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            report(command.label(), "unexpected " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
            return null;
        }
        if (command.failure() != null) {
            report(command.label(), command.failure());
            return null;
        }
        if (command.isCanceled()) {
            IJ.showStatus(command.label() + ": cancelled");
            IJ.log(command.label() + ": cancelled");
            abortMacro();
            return null;
        }
        return command;
    }

    /** One line for the user: a dialog when clicked, the Log plus an aborted macro when a macro called it. */
    static void report(String label, String message) {
        if (Macro.getOptions() != null || Interpreter.getInstance() != null || IJ.getInstance() == null) {
            IJ.log(label + ": " + message);
            abortMacro();
        } else {
            IJ.error(label, message);
        }
    }

    /** Stops the calling macro, if any, at its next statement (the reason is already in the Log). */
    private static void abortMacro() {
        if (Interpreter.getInstance() != null) Interpreter.abort();
    }

    /** Shows SciJava status and progress in ImageJ's status and progress bars (Fiji does this itself). */
    private static final class StatusBar {
        @EventHandler
        void onStatus(StatusEvent e) {
            if (e.getStatusMessage() != null) IJ.showStatus(e.getStatusMessage());
            if (e.getProgressMaximum() > 0) IJ.showProgress(e.getProgressValue(), e.getProgressMaximum());
        }
    }
}
