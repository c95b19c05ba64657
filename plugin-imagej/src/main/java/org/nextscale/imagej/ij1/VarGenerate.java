package org.nextscale.imagej.ij1;

import org.nextscale.imagej.GenerateCommand;

/** {@code run("VAR Generate...", "model=[...] class=Dress count=4 cfg=1.5 top_k=0 top_p=0 seed=0 smooth show_scales=auto")}. */
public class VarGenerate extends MacroCommand<GenerateCommand> {
    @Override String label() { return "VAR Generate"; }
    @Override Class<GenerateCommand> command() { return GenerateCommand.class; }
    @Override boolean needsImage() { return false; }

    @Override
    void keys(MacroOptions k) {
        k.intro("Makes new images of a class with the model, coarse to fine.");
        model(k);
        classes(k, false);
        k.key("count", "count", "Count", "How many images (one stack)");
        cfg(k);
        k.key("top_k", "topK", "Top_k", "Sample only among the k most likely tokens; 0 = off");
        k.key("top_p", "topP", "Top_p", "Sample only among the most likely tokens that make up this probability; 0 or 1 = off");
        seed(k);
        showScales(k);
        k.key("smooth", "smooth", "Smooth", "Smoother images (Gumbel smoothing of the token embeddings)");
        k.macroOnly("batch", "batch");                      // images (tiles) per model call: for a GPU short of memory
        k.help(Help.page("Generate", Help.CLASS + Help.CFG + "<p><b>Top_k, Top_p</b>: leave 0 for the most varied images; smaller values give "
                + "safer, less varied ones.</p>"));
    }

    @Override
    void show(GenerateCommand c) {
        if (c.scales() != null) Results.show(c.scales());
        Results.show(c.images());                           // the active image
    }
}
