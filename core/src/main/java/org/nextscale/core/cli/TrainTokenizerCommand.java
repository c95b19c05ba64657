package org.nextscale.core.cli;

import java.util.concurrent.Callable;
import org.nextscale.core.train.Training;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code nextscale train-tokenizer --data fashion-mnist --steps 2000 --out tok.zip}: trains the VQ-VAE. */
@Command(name = "train-tokenizer", mixinStandardHelpOptions = true, modelTransformer = TrainOptionSpecs.Tokenizer.class,
        description = {"Trains the multi-scale VQ-VAE tokenizer (L1 + L2 reconstruction + VQ loss) and writes a model file.",
                "Checkpoints go next to it (NAME.ckpt.zip); Ctrl-C stops after the current step; --resume continues exactly."})
public final class TrainTokenizerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return TrainRunner.run(spec, Training::trainTokenizer);
    }
}
