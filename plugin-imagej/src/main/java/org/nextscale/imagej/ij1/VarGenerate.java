package org.nextscale.imagej.ij1;

import org.nextscale.imagej.GenerateCommand;

/** {@code run("VAR Generate", "model=[...] class=3 count=4 cfg=1.5 top_k=0 top_p=0 seed=0 smooth show_scales=auto")}. */
public class VarGenerate extends MacroCommand<GenerateCommand> {
    @Override String label() { return "VAR Generate"; }
    @Override Class<GenerateCommand> command() { return GenerateCommand.class; }
    @Override boolean needsImage() { return false; }

    @Override
    void keys(MacroOptions k) {
        k.key("model", "model", MODEL).key("class", "classId", CLASS).key("count", "count", "Count (number of images)")
                .key("cfg", "cfg", CFG).key("top_k", "topK", "Top_k (0 = off)").key("top_p", "topP", "Top_p (0 or 1 = off)")
                .key("seed", "seed", SEED)
                .key("show_scales", "showScales", SHOW_SCALES).key("smooth", "smooth", "Smooth (smoother images)");
    }

    @Override
    void show(GenerateCommand c) {
        if (c.scales() != null) c.scales().show();
        c.images().show();                                  // the active image
    }
}
