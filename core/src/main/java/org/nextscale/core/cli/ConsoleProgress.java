package org.nextscale.core.cli;

import java.io.PrintStream;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.ProgressListener;

/**
 * A one-line progress bar on stderr, redrawn in place, and Ctrl-C wired to a {@link CancelToken}: the
 * work stops at its next check and the command exits with a message instead of being killed mid-write.
 */
final class ConsoleProgress implements ProgressListener {
    private final PrintStream err = System.err;
    private final CancelToken cancel = new CancelToken();
    private final Thread hook;
    private volatile boolean done;
    private String lastLine = "";

    ConsoleProgress() {
        hook = new Thread(() -> {
            if (done) return;
            cancel.cancel();
            err.println();
            err.println("nextscale: cancelling (finishing the current step)...");
            try {
                Thread.sleep(30_000); // give the worker time to stop cleanly; the JVM exits when main returns
            } catch (InterruptedException ignored) {
                // exiting
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
    }

    CancelToken cancelToken() {
        return cancel;
    }

    @Override
    public synchronized void progress(String stage, long done, long total) {
        int width = 30;
        int filled = total > 0 ? (int) (width * Math.min(done, total) / total) : 0;
        String line = String.format("\r%-12s [%s%s] %d/%d", stage, "#".repeat(filled), ".".repeat(width - filled), done, total);
        if (!line.equals(lastLine)) {
            err.print(line);
            err.flush();                  // System.err flushes only on newlines; a redraw has none
        }
        lastLine = line;
        if (done >= total) {
            err.println();
            lastLine = "";
        }
    }

    /** Prints a free-form line without breaking the bar. */
    synchronized void line(String text) {
        if (!lastLine.isEmpty()) err.println();
        err.println(text);
        lastLine = "";
    }

    void finish() {
        done = true;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
    }
}
