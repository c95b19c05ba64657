package org.nextscale.core.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command-line tool: {@code nextscale <subcommand>}. Each subcommand is a small class in this
 * package that parses options and calls one core method; failures print one line and exit non-zero.
 */
@Command(name = "nextscale", mixinStandardHelpOptions = true, version = "nextscale 0.1.0",
        description = "VAR (next-scale prediction) on the JVM: train, sample, tokenize and edit images.",
        subcommands = {
                CommandLine.HelpCommand.class,
                DemoCommand.class,
                GenerateCommand.class,
                TokenizeCommand.class,
                ReconstructCommand.class,
                EditCommand.Inpaint.class,
                EditCommand.Outpaint.class,
                EditCommand.ClassEdit.class,
                ImportCommand.class,
                ConvertCommand.class,
                InfoCommand.class,
                VerifyCommand.class,
                EvalCommand.class,
                TrainClassifierCommand.class,
                BenchCommand.class,
                TrainTokenizerCommand.class,
                TrainCommand.class,
                ExampleDataCommand.class,
        })
public final class Main implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(Cli::handle);
        cl.setDefaultValueProvider(new SamplingDefaults());
        cl.setParameterExceptionHandler(Cli::handleParameters);
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
