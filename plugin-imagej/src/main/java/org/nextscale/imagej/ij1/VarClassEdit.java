package org.nextscale.imagej.ij1;

import org.nextscale.imagej.ClassEditCommand;

/** {@code run("VAR Class Edit...", "model=[...] scale=auto class=Dress cfg=1.5 seed=0 mask=[title] show_scales=auto")}: the area is the selection or the mask image. */
public class VarClassEdit extends MacroCommand<ClassEditCommand> {
    @Override String label() { return "VAR Class Edit"; }
    @Override Class<ClassEditCommand> command() { return ClassEditCommand.class; }
    @Override boolean needsArea() { return true; }

    @Override
    void keys(MacroOptions k) {
        k.intro("Regenerates the selected area as the chosen class, keeping the rest.", editedLine());
        model(k);
        scale(k);
        classes(k, true);
        cfg(k);
        seed(k);
        showScales(k);
        k.choice("mask", "mask", "Mask", () -> MacroOptions.masksFor(active()), "An image of the same size whose non-zero pixels are the area; none = the selection");
        k.help(Help.page("Class Edit", Help.EDIT + Help.CLASS + Help.CFG + Help.SCALE));
    }

    @Override
    void show(ClassEditCommand c) {
        if (c.scales() != null) Results.show(c.scales());
        Results.show(c.result());                           // the active image
    }
}
