package org.nextscale.imagej.ij1;

import org.nextscale.imagej.OutpaintCommand;

/** {@code run("VAR Outpaint...", "model=[...] scale=auto class=Dress cfg=1.5 seed=0 mask=[title] show_scales=auto")}: the area is the selection or the mask image. */
public class VarOutpaint extends MacroCommand<OutpaintCommand> {
    @Override String label() { return "VAR Outpaint"; }
    @Override Class<OutpaintCommand> command() { return OutpaintCommand.class; }
    @Override boolean needsArea() { return false; }

    @Override
    void keys(MacroOptions k) {
        k.intro("Keeps the selected area and regenerates everything around it (or grows the canvas).", editedLine());
        model(k);
        scale(k);
        k.key("extend", "extend", "Extend", "Grow the canvas past the border instead, e.g. left=64,right=64 (pixels); empty = regenerate around the selection");
        classes(k, false);
        cfg(k);
        seed(k);
        showScales(k);
        k.choice("mask", "mask", "Mask", () -> MacroOptions.masksFor(active()), "An image of the same size whose non-zero pixels are the area; none = the selection");
        k.help(Help.page("Outpaint", Help.EDIT + Help.CLASS + Help.CFG + Help.SCALE));
    }

    @Override
    void show(OutpaintCommand c) {
        if (c.scales() != null) Results.show(c.scales());
        Results.show(c.result());                           // the active image
    }
}
