package org.nextscale.imagej.ij1;

import org.nextscale.imagej.InpaintCommand;

/** {@code run("VAR Inpaint...", "model=[...] scale=auto class=Dress cfg=1.5 seed=0 mask=[title] show_scales=auto")}: the area is the selection or the mask image. */
public class VarInpaint extends MacroCommand<InpaintCommand> {
    @Override String label() { return "VAR Inpaint"; }
    @Override Class<InpaintCommand> command() { return InpaintCommand.class; }
    @Override boolean needsArea() { return true; }

    @Override
    void keys(MacroOptions k) {
        k.intro("Regenerates the selected area, keeping the rest of the image.", editedLine());
        model(k);
        scale(k);
        classes(k, false);
        cfg(k);
        seed(k);
        showScales(k);
        k.choice("mask", "mask", "Mask", () -> MacroOptions.masksFor(active()), "An image of the same size whose non-zero pixels are the area; none = the selection");
        k.help(Help.page("Inpaint", Help.EDIT + Help.CLASS + Help.CFG + Help.SCALE));
    }

    @Override
    void show(InpaintCommand c) {
        if (c.scales() != null) Results.show(c.scales());
        Results.show(c.result());                           // the active image
    }
}
