package org.nextscale.imagej.ij1;

import org.nextscale.imagej.ReconstructCommand;

/** {@code run("VAR Reconstruct...", "model=[...] scale=auto")}: the decoded active image, its PSNR in the title and Info (Property.get("psnr_db")). */
public class VarReconstruct extends MacroCommand<ReconstructCommand> {
    @Override String label() { return "VAR Reconstruct"; }
    @Override Class<ReconstructCommand> command() { return ReconstructCommand.class; }

    @Override
    void keys(MacroOptions k) {
        k.intro("Passes the image through the model's tokenizer and back: what the tokens keep of it.");
        model(k);
        scale(k);
        k.macroOnly("batch", "batch");                      // images (tiles) per model call: for a GPU short of memory
        k.help(Help.page("Reconstruct", "<p>Encodes the image to tokens and decodes them again. The title gives the PSNR (peak "
                + "signal-to-noise ratio, in dB) of the reconstruction against the image: higher is closer. The shipped model reaches "
                + "about 24 dB on its own kind of images (clothing); much lower means the image is unlike what the model knows.</p>" + Help.SCALE));
    }

    @Override
    void show(ReconstructCommand c) {
        Results.show(c.reconstruction());
    }
}
