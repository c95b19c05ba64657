package org.nextscale.imagej.ij1;

import org.nextscale.imagej.TrainVarCommand;

/**
 * {@code run("VAR Train", "data=[folder or fashion-mnist] output=[model.zip] steps=2000 batch=64 lr=5e-4 ...")}:
 * keys other than the ones below go to the trainer as they are (seed, flip, vocab, depth, ...).
 */
public class VarTrainVar extends MacroCommand<TrainVarCommand> {
    @Override String label() { return "VAR Train"; }
    @Override Class<TrainVarCommand> command() { return TrainVarCommand.class; }
    @Override boolean needsImage() { return false; }

    @Override
    void keys(MacroOptions k) {
        k.key("data", "data", "Data (folder of images, or fashion-mnist)").key("output", "output", "Output (model file to write)")
                .key("steps", "steps", "Steps").key("batch", "batch", "Batch (images per step)").key("lr", "lr", "Lr (learning rate, empty = default)")
                .key("tokenizer", "tokenizer", "Tokenizer (model file written by VAR Train Tokenizer)")
                .key("tokens", "tokens", "Token table (optional, written by nextscale spark tokenize)")
                .key("options", "options", "Options (more key=value training options)");
        k.passOthersTo("options");
    }

    @Override
    void show(TrainVarCommand c) {
        // the trainer logged where the model went; the model is loaded and ready
    }
}
