package org.nextscale.core.cli;

import org.nextscale.core.api.SampleOptions;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The sampling options' defaults, read from their one place, {@link SampleOptions#defaults()}: every command line
 * that declares an option with one of the description keys below (the CLI's {@link SamplingOptions}, the Spark
 * jobs) gets its default from here, as Fiji's commands and the magics read the same record. Other options keep
 * their own defaults.
 */
public final class SamplingDefaults implements IDefaultValueProvider {
    public static final String CFG = "sampling.cfg", TOP_K = "sampling.top-k", TOP_P = "sampling.top-p", SEED = "sampling.seed";

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec o) || o.descriptionKey() == null) return null;
        SampleOptions d = SampleOptions.defaults();
        return switch (o.descriptionKey()) {
            case CFG -> String.valueOf(d.cfg());
            case TOP_K -> String.valueOf(d.topK());
            case TOP_P -> String.valueOf(d.topP());
            case SEED -> String.valueOf(d.seed());
            default -> null;
        };
    }
}
