package org.nextscale.spark;

import java.io.PrintStream;
import java.util.Locale;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * The job's own progress lines while Spark works: images done (counted by the executors through an
 * accumulator), rate and failures, redrawn in place on a terminal and every 10 s otherwise. Ctrl-C (or a
 * kill) cancels the running Spark jobs; their output is not committed.
 */
final class JobProgress implements AutoCloseable {
    private final String job;
    private final long total;
    private final PrintStream err;
    private final Thread ticker;
    private final Thread hook;
    private final long start = System.nanoTime();
    final LongAccumulator done;
    final LongAccumulator failed;
    private volatile boolean finished;
    private static volatile boolean cancelled;

    /** True once Ctrl-C (or a kill) cancelled a job of this JVM; its one line is printed already. */
    static boolean cancelled() {
        return cancelled;
    }

    JobProgress(SparkContext sc, String job, long total, String output, PrintStream err) {
        this.job = job;
        this.total = total;
        this.err = err;
        this.done = sc.longAccumulator(job + " images");
        this.failed = sc.longAccumulator(job + " failures");
        boolean tty = System.console() != null;
        ticker = new Thread(() -> {
            long last = System.nanoTime();
            while (!finished) {
                try {
                    Thread.sleep(tty ? 500 : 1000);
                } catch (InterruptedException e) {
                    return;
                }
                long now = System.nanoTime();
                if (tty) err.print("\r" + line() + "   ");
                else if (now - last > 10_000_000_000L) { err.println(line()); last = now; }
            }
        }, "nextscale-progress");
        ticker.setDaemon(true);
        ticker.start();
        hook = new Thread(() -> {
            if (finished) return;
            cancelled = true;
            sc.setLogLevel("OFF");                                     // the tasks' interruption is expected: no stack traces
            sc.cancelAllJobs();
            err.println();
            err.println("nextscale spark " + job + ": cancelled; " + output + " is not committed (no _SUCCESS): run the job again");
            err.flush();
            // Spark's thread pools report their interrupted work on stderr while the JVM stops: not the user's concern
            System.setErr(new PrintStream(java.io.OutputStream.nullOutputStream()));
        });
        Runtime.getRuntime().addShutdownHook(hook);
    }

    String line() {
        double s = (System.nanoTime() - start) / 1e9;
        long d = done.value();
        return String.format(Locale.ROOT, "%s: %d/%d images, %.1f images/s%s", job, d, total, d / Math.max(s, 1e-9),
                failed.value() > 0 ? ", " + failed.value() + " failed" : "");
    }

    double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    @Override
    public void close() {
        finished = true;
        ticker.interrupt();
        if (System.console() != null) err.print("\r" + " ".repeat(line().length() + 3) + "\r");
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // shutting down already
        }
    }
}
