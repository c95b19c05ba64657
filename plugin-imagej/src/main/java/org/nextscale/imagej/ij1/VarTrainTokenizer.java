package org.nextscale.imagej.ij1;

import org.nextscale.imagej.TrainTokenizerCommand;

/**
 * {@code run("VAR Train Tokenizer...", "data=[folder or fashion-mnist] output=[model.zip] steps=2000 batch=64 lr=5e-4 ...")}:
 * keys other than the ones below go to the trainer as they are (seed, val, scale, vocab, ...).
 */
public class VarTrainTokenizer extends MacroCommand<TrainTokenizerCommand> {
    @Override String label() { return "VAR Train Tokenizer"; }
    @Override Class<TrainTokenizerCommand> command() { return TrainTokenizerCommand.class; }
    @Override boolean needsImage() { return false; }

    @Override
    void keys(MacroOptions k) {
        k.intro("Trains a tokenizer (the first part of a VAR model) on your images: any size, 8 or 16 bit,", "one sub-folder per class or one class.");
        trainingKeys(k, "5e-4");
        k.help(Help.page("Train Tokenizer", Help.TRAIN));
    }

    /** The fields both trainers share. */
    static void trainingKeys(MacroOptions k, String defaultLr) {
        k.folder("data", "data", "Data", "A folder of training images (large images train as random patches; 10% is held out for validation)");
        k.saveFile("output", "output", "Output", "The model file to write (.zip); the best one by validation is kept beside it as NAME.best.zip");
        k.key("steps", "steps", "Steps", "Training steps");
        k.key("batch", "batch", "Batch", "Images (or patches) per step");
        k.key("lr", "lr", "Lr", "Learning rate; empty = the default, " + defaultLr);
        k.key("options", "options", "Options", "Other training options as key=value, e.g. val=0.2 scale=2 patience=5 (see Help)");
        k.passOthersTo("options");
    }

    @Override
    void show(TrainTokenizerCommand c) {
        // the trainer said in the Log where the model went; the model is loaded and ready
    }
}
