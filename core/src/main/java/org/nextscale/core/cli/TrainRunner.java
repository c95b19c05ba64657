package org.nextscale.core.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.train.TrainOptions;
import picocli.CommandLine.Model.CommandSpec;

/** Runs a trainer from the CLI: options from the command line, a progress bar, Ctrl-C cancels cleanly. */
final class TrainRunner {
    interface Trainer {
        Path train(TrainOptions o, ProgressBar bar, CancelToken cancel) throws IOException;
    }

    private TrainRunner() {}

    static int run(CommandSpec spec, Trainer trainer) throws IOException {
        TrainOptions options = TrainOptions.parse(TrainOptionSpecs.given(spec.commandLine().getParseResult()));
        ProgressBar bar = new ProgressBar(System.err, System.console() != null);
        CancelToken cancel = new CancelToken();
        CountDownLatch finished = new CountDownLatch(1);
        // Ctrl-C: ask the trainer to stop after the current step and wait until it has saved its checkpoint
        Thread hook = new Thread(() -> {
            cancel.cancel();
            System.err.println();
            System.err.println("stopping after the current step (checkpoint is being written)...");
            try {
                finished.await(10, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "nextscale-train-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Path out = trainer.train(options, bar, cancel);
            spec.commandLine().getOut().println(out);
            return 0;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting because of Ctrl-C: the hook is running and returns now
            }
        }
    }
}
