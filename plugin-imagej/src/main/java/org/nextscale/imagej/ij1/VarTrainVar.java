package org.nextscale.imagej.ij1;

import org.nextscale.imagej.TrainVarCommand;

/**
 * {@code run("VAR Train...", "data=[folder or fashion-mnist] output=[model.zip] steps=2000 batch=64 lr=1e-3 tokenizer=[tok.zip] ...")}:
 * keys other than the ones below go to the trainer as they are (seed, val, depth, ...); tokens=[table] (a token table of the
 * Spark jobs) only from macros.
 */
public class VarTrainVar extends MacroCommand<TrainVarCommand> {
    @Override String label() { return "VAR Train"; }
    @Override Class<TrainVarCommand> command() { return TrainVarCommand.class; }
    @Override boolean needsImage() { return false; }

    @Override
    void keys(MacroOptions k) {
        k.intro("Trains the transformer (the second part of a VAR model) on a trained tokenizer: it learns to", "make images like yours, coarse to fine.");
        k.key("tokenizer", "tokenizer", "Tokenizer", "The model file Train Tokenizer wrote");
        VarTrainTokenizer.trainingKeys(k, "1e-3");
        k.macroOnly("tokens", "tokens");
        k.help(Help.page("Train", Help.TRAIN));
    }

    @Override
    void show(TrainVarCommand c) {
        // the trainer said in the Log where the model went; the model is loaded and ready
    }
}
