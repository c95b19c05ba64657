package org.nextscale.spark;

import java.io.PrintStream;
import org.apache.spark.sql.SparkSession;
import org.nextscale.core.api.Devices;
import picocli.CommandLine.Option;

/** What every job shares: the Spark master, the model, the device and the batch size. */
abstract class Job {
    @Option(names = "--master", paramLabel = "URL", description = "Spark master: local[*], local[2], spark://host:7077, yarn, ... "
            + "(default: what spark-submit gives, else local[*])")
    String master;

    @Option(names = "--model", paramLabel = "MODEL.zip", description = "model file, any Hadoop path (default: the shipped Fashion-MNIST model)")
    String model;

    @Option(names = "--device", defaultValue = Devices.DEFAULT, description = "auto (the first GPU when PyTorch has CUDA, else the CPU), cpu, gpu or gpu:N on every executor (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--batch", defaultValue = "32", description = "images per model call on an executor (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--overwrite", description = "replace an existing output")
    boolean overwrite;

    /** Runs the job on the session; returns the summary line printed when it finished. */
    abstract String run(SparkSession spark, PrintStream err) throws Exception;

    /** False for a job that starts its own sessions (bench). */
    boolean needsSession() {
        return true;
    }

    /** SplitMix64 of (seed, a, b): the seed of one model call, a function of these three alone (not of partitioning). */
    static long seed(long seed, long a, long b) {
        long z = seed * 0x9E3779B97F4A7C15L + (a + 1L) * 0xBF58476D1CE4E5B9L + (b + 1L) * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) & Long.MAX_VALUE;
    }

    void checkBatch() {
        if (batch < 1) throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
    }
}
