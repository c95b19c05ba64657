package org.nextscale.core.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nextscale.core.train.TrainOptions;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Adds one {@code --key} option per training option of the command's trainer ({@code checkpoint_every} becomes
 * {@code --checkpoint-every}), so each command accepts and lists exactly the keys its trainer reads, with
 * {@link TrainOptions}' help texts; values are handed over unparsed and validated in one place.
 */
public abstract class TrainOptionSpecs implements IModelTransformer {
    private static final List<String> FLAGS = List.of("flip", "reinit_dead");
    private final TrainOptions.Phase phase;

    TrainOptionSpecs(TrainOptions.Phase phase) {
        this.phase = phase;
    }

    /** {@code train-tokenizer}'s options. */
    public static final class Tokenizer extends TrainOptionSpecs {
        public Tokenizer() {
            super(TrainOptions.Phase.TOKENIZER);
        }
    }

    /** {@code train}'s options. */
    public static final class Var extends TrainOptionSpecs {
        public Var() {
            super(TrainOptions.Phase.VAR);
        }
    }

    @Override
    public CommandSpec transform(CommandSpec spec) {
        Map<String, String> help = helpByKey();
        for (String key : TrainOptions.keys(phase)) {
            OptionSpec.Builder b = OptionSpec.builder("--" + key.replace('_', '-')).type(String.class)
                    .description(help.getOrDefault(key, "").replace("%", "%%"));
            if (FLAGS.contains(key)) b.arity("0..1").fallbackValue("true").paramLabel("true|false");
            else b.paramLabel("<" + key + ">");
            spec.addOption(b.build());
        }
        return spec;
    }

    /** The options the user gave, as key=value for {@link TrainOptions#parse}. */
    static Map<String, String> given(ParseResult parsed) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String key : TrainOptions.keys()) {
            String name = "--" + key.replace('_', '-');
            if (parsed.commandSpec().findOption(name) != null && parsed.hasMatchedOption(name)) m.put(key, parsed.matchedOptionValue(name, ""));
        }
        return m;
    }

    private static Map<String, String> helpByKey() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : TrainOptions.help().split("\n")) {
            String t = line.trim();
            int sp = t.indexOf(' ');
            if (sp > 0) m.put(t.substring(0, sp), t.substring(sp).trim());
        }
        return m;
    }
}
