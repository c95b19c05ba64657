package org.nextscale.imagej.ij1;

import org.nextscale.imagej.OutpaintCommand;

/** {@code run("VAR Outpaint", "model=[...] scale=auto class=3 cfg=1.5 seed=0 mask=[title] show_scales=auto")}: the area is the ROI or the mask image. */
public class VarOutpaint extends MacroCommand<OutpaintCommand> {
    @Override String label() { return "VAR Outpaint"; }
    @Override Class<OutpaintCommand> command() { return OutpaintCommand.class; }

    @Override
    void keys(MacroOptions k) {
        k.key("model", "model", MODEL).key("scale", "scale", SCALE).key("extend", "extend", "Grow canvas (e.g. left=64,right=64; empty = around the selection)").key("class", "classId", CLASS).key("cfg", "cfg", CFG).key("seed", "seed", SEED)
                .key("show_scales", "showScales", SHOW_SCALES)
                .key("mask", "mask", "Mask (image whose non-zero pixels are the area; none = the selection)");
    }

    @Override
    void show(OutpaintCommand c) {
        if (c.scales() != null) c.scales().show();
        c.result().show();                                  // the active image
    }
}
