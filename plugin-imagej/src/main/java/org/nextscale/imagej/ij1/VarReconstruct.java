package org.nextscale.imagej.ij1;

import org.nextscale.imagej.ReconstructCommand;

/** {@code run("VAR Reconstruct", "model=[...] scale=auto")}: the decoded active image; PSNR in the Log. */
public class VarReconstruct extends MacroCommand<ReconstructCommand> {
    @Override String label() { return "VAR Reconstruct"; }
    @Override Class<ReconstructCommand> command() { return ReconstructCommand.class; }

    @Override
    void keys(MacroOptions k) {
        k.key("model", "model", MODEL).key("scale", "scale", SCALE);
    }

    @Override
    void show(ReconstructCommand c) {
        c.reconstruction().show();
    }
}
