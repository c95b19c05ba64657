package org.nextscale.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code nextscale spark JOB ...} and {@code spark-submit --class org.nextscale.spark.SparkMain JAR JOB ...}:
 * parses the job's options, starts (or joins) a Spark session, runs the job and prints its summary.
 * Every failure is one line on stderr and exit code 1.
 */
@Command(name = "nextscale spark", mixinStandardHelpOptions = true,
        description = "Tokenize, reconstruct, edit and generate whole data sets on Apache Spark.",
        subcommands = {CommandLine.HelpCommand.class, TokenizeJob.class, ReconstructJob.class, EditJob.class, GenerateJob.class, BenchJob.class})
public final class SparkMain implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        int rc = execute(null, System.out, System.err, args);
        if (!JobProgress.cancelled()) System.exit(rc);               // after Ctrl-C the JVM is shutting down already
    }

    /** Runs one job; with {@code session} null a session is started from --master (and stopped at the end). */
    public static int execute(SparkSession session, PrintStream out, PrintStream err, String... args) {
        CommandLine cl = new CommandLine(new SparkMain());
        cl.setDefaultValueProvider(new org.nextscale.core.cli.SamplingDefaults());   // sampling defaults from their one place
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setExecutionStrategy(parsed -> {
            CommandLine sub = parsed.subcommand() == null ? null : parsed.subcommand().commandSpec().commandLine();
            Integer help = CommandLine.executeHelpRequest(parsed);
            if (help != null) return help;
            if (sub == null || !(sub.getCommand() instanceof Job job)) return new CommandLine.RunLast().execute(parsed);
            SparkSession spark = session != null || !job.needsSession() ? session : start(job.master, "nextscale " + sub.getCommandName());
            try {
                out.println(job.run(spark, err));
                return 0;
            } catch (Exception e) {
                throw new CommandLine.ExecutionException(sub, e.getMessage(), e);
            } finally {
                if (session == null && spark != null) spark.stop();
            }
        });
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            if (JobProgress.cancelled()) return 130;
            Throwable t = e instanceof CommandLine.ExecutionException && e.getCause() != null ? e.getCause() : e;
            err.println("nextscale spark " + c.getCommandName() + ": " + message(t));
            if (Boolean.getBoolean("nextscale.debug")) t.printStackTrace(err);
            return 1;
        });
        return cl.execute(args);
    }

    static SparkSession start(String master, String app) {
        SparkConf conf = new SparkConf();
        SparkSession.Builder b = SparkSession.builder().appName(app)
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.parquet.compression.codec", "zstd");
        if (master != null && !master.isBlank()) b = b.master(master);
        else if (!conf.contains("spark.master")) b = b.master("local[*]");
        if ((master == null || master.startsWith("local")) && !conf.contains("spark.ui.enabled")) b = b.config("spark.ui.enabled", "false");
        return b.getOrCreate();
    }

    /** The one line a user sees: the deepest message that says what was wrong. */
    static String message(Throwable e) {
        Throwable t = e;
        // Spark wraps executor failures ("Job aborted due to stage failure: ... : java.io.IOException: msg"); show the cause
        while (t.getCause() != null && t.getCause() != t && (t instanceof org.apache.spark.SparkException
                || t instanceof UncheckedIOException || t.getClass().getName().startsWith("org.apache.spark"))) t = t.getCause();
        if (t instanceof OutOfMemoryError) return "out of memory: use a smaller --batch or give Spark more memory (--driver-memory / spark.executor.memory)";
        String m = t.getMessage();
        if (m == null || m.isBlank()) m = t.getClass().getSimpleName();
        m = m.lines().findFirst().orElse(m);
        if (t instanceof IOException || t instanceof IllegalArgumentException || t instanceof IllegalStateException
                || t instanceof CommandLine.ParameterException) return m;
        return m + " (" + t.getClass().getSimpleName() + "; rerun with -Dnextscale.debug=true for details)";
    }
}
