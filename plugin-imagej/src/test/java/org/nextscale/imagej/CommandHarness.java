package org.nextscale.imagej;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.scijava.Context;
import org.scijava.app.StatusService;
import org.scijava.app.event.StatusEvent;
import org.scijava.command.CommandService;
import org.scijava.event.EventHandler;
import org.scijava.event.EventService;
import org.scijava.log.LogService;
import org.scijava.module.ModuleService;

/** A headless SciJava Context that runs VAR commands and records their progress and status events. */
final class CommandHarness implements AutoCloseable {
    final Context context = new Context(CommandService.class, ModuleService.class, StatusService.class, LogService.class,
            EventService.class, VarModelService.class);
    final List<VarProgressEvent> progress = Collections.synchronizedList(new ArrayList<>());
    final List<StatusEvent> status = Collections.synchronizedList(new ArrayList<>());
    /** Called on the worker thread for each progress event, e.g. to cancel. */
    volatile Consumer<VarProgressEvent> onProgress = e -> {};

    CommandHarness() {
        context.service(EventService.class).subscribe(this);
    }

    @EventHandler
    void onProgress(VarProgressEvent e) {
        progress.add(e);
        onProgress.accept(e);
    }

    @EventHandler
    void onStatus(StatusEvent e) {
        status.add(e);
    }

    void clear() {
        progress.clear();
        status.clear();
        onProgress = e -> {};
    }

    /** Runs {@code command} with inputs given as name, value pairs and waits; returns the command object. */
    <C extends VarCommand> C run(Class<C> command, Object... inputs) throws InterruptedException, ExecutionException {
        ModuleService modules = context.service(ModuleService.class);
        C module = command.cast(modules.createModule(context.service(CommandService.class).getCommand(command)));  // its own module
        modules.run(module, true, inputs).get();
        return module;
    }

    /** Status events arrive later than the work they report: wait (up to 20 s) for one matching. */
    boolean awaitStatus(Predicate<StatusEvent> p) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            synchronized (status) {
                if (status.stream().anyMatch(p)) return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Override
    public void close() {
        context.dispose();
    }
}
