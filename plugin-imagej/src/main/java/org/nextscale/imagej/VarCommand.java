package org.nextscale.imagej;

import ij.IJ;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.CancelledException;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.VarModel;
import org.scijava.app.StatusService;
import org.scijava.command.DynamicCommand;
import org.scijava.event.EventService;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.ui.DialogPrompt;
import org.scijava.ui.UIService;

/**
 * What every VAR command shares (inputs are never remembered between runs, so that a script that
 * leaves a key out always gets the documented default; the ImageJ dialogs remember what a person chose, for them only): progress on the status bar (and as {@link VarProgressEvent}s),
 * cancellation (Esc in ImageJ, {@link #cancel(String)} from SciJava, or an interrupted thread), failures
 * reported as one line the user can act on, and the model calls ({@link #onModel}). A subclass parses its
 * parameters, calls one core method in {@link #execute()} through {@link #onModel} and converts images.
 * A command is its own SciJava module ({@link DynamicCommand}), so that its dialog can offer the chosen
 * model's classes ({@link #offerClasses}) and say which model it uses.
 */
public abstract class VarCommand extends DynamicCommand {
    private static final int PROGRESS_MAX = 1000;

    @Parameter
    protected LogService log;

    @Parameter
    protected StatusService status;

    @Parameter
    protected EventService events;

    @Parameter
    protected VarModelService models;

    @Parameter(required = false)
    protected UIService ui;

    protected final CancelToken token = new CancelToken();
    private volatile String failure;
    private boolean showErrors = true;

    /** The label users know the command by, the same as its ImageJ 1.x macro name ("VAR Generate"). */
    public abstract String label();

    /** The command's work; throws {@link IllegalArgumentException} or {@link IOException} with a clear message. */
    protected abstract void execute() throws IOException;

    @Override
    public final void run() {
        IJ.resetEscape();
        status.showStatus(0, PROGRESS_MAX, label() + ": starting");
        try {
            execute();
            status.showStatus(PROGRESS_MAX, PROGRESS_MAX, label() + ": done");
        } catch (CancelledException e) {
            super.cancel(label() + ": cancelled");
            status.showStatus(PROGRESS_MAX, PROGRESS_MAX, label() + ": cancelled");
        } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            fail(e.getMessage());
        } catch (IOException e) {
            fail(e.getMessage());
        } catch (UncheckedIOException e) {
            fail(e.getCause().getMessage());
        } catch (RuntimeException | OutOfMemoryError e) {
            log.debug(e);
            String gpu = org.nextscale.core.api.Devices.explain(e, "batch (batch= in the macro options; micro_batch when training, a training run keeps its last checkpoint)");
            if (gpu != null) {
                fail(gpu);
                return;
            }
            fail("unexpected " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + " (please report this, with the command and image you used)");
        }
    }

    /** Also stops running work at its next step. */
    @Override
    public void cancel(String reason) {
        token.cancel();
        super.cancel(reason);
    }

    /** The one-line error message when the command failed, null when it succeeded or was cancelled. */
    public String failure() {
        return failure;
    }

    /** False when the caller reports failures itself (the ImageJ 1.x bridge: Log + aborted macro). */
    public void showErrors(boolean show) {
        showErrors = show;
    }

    /** A failure is not a cancellation: the message is reported as what went wrong, and the command has no outputs. */
    private void fail(String message) {
        String m = message == null || message.isBlank() ? "failed without a message" : message;
        failure = m;
        status.warn(label() + ": " + m);
        if (!showErrors) return;
        log.error(label() + ": " + m);
        if (ui != null && !ui.isHeadless()) ui.showDialog(m, label(), DialogPrompt.MessageType.ERROR_MESSAGE);
    }

    /** Forwards core progress to the status bar and to synchronous listeners; turns Esc into cancellation. */
    protected ProgressListener progress() {
        return (stage, done, total) -> {
            events.publish(new VarProgressEvent(label(), stage, done, total, this));
            int value = total > 0 ? (int) Math.min(PROGRESS_MAX, done * PROGRESS_MAX / total) : 0;
            status.showStatus(value, PROGRESS_MAX, label() + ": " + stage);
            if (IJ.escapePressed() || Thread.currentThread().isInterrupted()) token.cancel();
        };
    }

    /**
     * One core call on the model in {@code file} (the shipped model when null or empty), loaded or reused by
     * {@link VarModelService}: cancellation is checked first, and the model is locked for the call, since a
     * model serves one call at a time and Fiji may run several commands at once.
     */
    protected <T> T onModel(File file, Function<VarModel, T> call) throws IOException {
        VarModel m = models.model(file, progress());
        synchronized (m) {
            checkCancelled();
            return call.apply(m);
        }
    }

    /** What the model file says of itself (name, classes, training data), for result info and warnings. */
    protected static org.nextscale.core.model.ModelCard card(File model) throws IOException {
        return org.nextscale.core.model.ModelCard.read(model == null || model.getPath().isBlank() ? org.nextscale.core.api.ShippedModel.path() : model.toPath());
    }

    /** The model's name as a result's info gives it. */
    protected static String modelName(File model) {
        if (model != null && !model.getPath().isBlank()) return model.getPath();
        try {
            return "shipped (" + org.nextscale.core.api.ShippedModel.path() + ")";
        } catch (IOException e) {
            return "shipped";
        }
    }

    /**
     * Offers the model's classes as the choices of the String input {@code input} (a list in SciJava's
     * dialog, "unconditional" first unless a class is {@code required}), and returns {@code value} as the
     * choice it names ("3" or "-1" become the class's name), or unchanged when it names none.
     */
    protected String offerClasses(String input, ModelChoices model, boolean required, String value) {
        List<String> choices = model.classes(required);
        getInfo().getMutableInput(input, String.class).setChoices(choices);
        List<String> classes = required ? choices : choices.subList(1, choices.size());
        try {
            int index = org.nextscale.core.config.ClassNames.resolve(classes, value);
            if (index < 0) return required ? value : ModelChoices.UNCONDITIONAL;
            String name = classes.get(index);
            return org.nextscale.core.config.ClassNames.resolve(classes, name) == index ? name : value;
        } catch (IllegalArgumentException e) {
            return value;                                   // the command says what is wrong when it runs
        }
    }

    /** The dialog's first lines: what the command does (its description), then which model it uses. */
    protected String about(ModelChoices model) {
        return "<html>" + getInfo().getDescription() + ".<br>Model: " + model.line() + "</html>";
    }

    /** A line for the user: ImageJ's Log window (standard output when there is none). */
    protected void tell(String line) {
        IJ.log(label() + ": " + line);
    }

    /** Throws {@link CancelledException} when the user asked to stop. */
    protected void checkCancelled() {
        if (IJ.escapePressed()) token.cancel();
        token.check();
    }
}
