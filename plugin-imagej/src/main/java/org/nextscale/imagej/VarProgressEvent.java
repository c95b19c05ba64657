package org.nextscale.imagej;

import org.scijava.Cancelable;
import org.scijava.event.SciJavaEvent;

/**
 * Progress of a running VAR command, published synchronously on the worker thread (unlike status-bar
 * events, which arrive later): a listener may cancel the command through {@link #command()} and the
 * work stops at its next step.
 *
 * @param label  the command's label, e.g. "VAR Generate"
 * @param stage  what is being done, e.g. "scale 3/6" or "training"
 * @param done   units done of {@code total}
 */
public class VarProgressEvent extends SciJavaEvent {
    private final String label;
    private final String stage;
    private final long done;
    private final long total;
    private final Cancelable command;

    public VarProgressEvent(String label, String stage, long done, long total, Cancelable command) {
        this.label = label;
        this.stage = stage;
        this.done = done;
        this.total = total;
        this.command = command;
    }

    public String label() { return label; }
    public String stage() { return stage; }
    public long done() { return done; }
    public long total() { return total; }
    public Cancelable command() { return command; }

    @Override
    public String toString() {
        return label + ": " + stage + " " + done + "/" + total;
    }
}
