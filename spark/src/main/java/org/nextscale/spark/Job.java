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

    void checkBatch() {
        if (batch < 1) throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
    }
}
