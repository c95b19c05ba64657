package org.nextscale.core.cli;

import java.util.concurrent.Callable;
import org.nextscale.core.train.Training;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code nextscale train --tokenizer tok.zip --data fashion-mnist --out var.zip}: trains the transformer. */
@Command(name = "train", mixinStandardHelpOptions = true, modelTransformer = TrainOptionSpecs.Var.class,
        description = {"Trains the VAR transformer (or, with --order raster, the next-token baseline) on a tokenizer",
                "and writes one model file holding both. Checkpoints go next to it (NAME.ckpt.zip); Ctrl-C stops",
                "after the current step; --resume continues exactly."})
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return TrainRunner.run(spec, Training::trainVar);
    }
}
