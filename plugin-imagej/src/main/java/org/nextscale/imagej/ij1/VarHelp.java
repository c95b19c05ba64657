package org.nextscale.imagej.ij1;

import ij.IJ;
import ij.gui.HTMLDialog;
import ij.plugin.PlugIn;
import java.io.IOException;
import org.nextscale.core.api.ShippedModel;
import org.nextscale.core.model.ModelCard;

/** Plugins > VAR > VAR Help: what the commands do, what the shipped model knows, and where the full documentation is. */
public class VarHelp implements PlugIn {
    @Override
    public void run(String arg) {
        String model;
        try {
            model = ModelCard.read(ShippedModel.path()).line();
        } catch (IOException | RuntimeException e) {
            model = "not found (" + e.getMessage() + ")";
        }
        String html = "<html><h2>nextscale: VAR in ImageJ</h2>"
                + "<p>VAR (next-scale prediction) writes an image as a pyramid of token maps, 1x1 first, each finer map predicted from the "
                + "coarser ones. A model has two parts: a <b>tokenizer</b> (image to tokens and back) and a <b>transformer</b> (which "
                + "tokens come next).</p>"
                + "<p><b>The shipped model</b>: " + model + ". It knows clothing; for your own kind of images, train a model on them "
                + "(Train Tokenizer, then Train).</p>"
                + "<ul><li><b>Generate</b>: new images of a class.</li>"
                + "<li><b>Tokenize</b>: the image's token maps, one per scale (pixel values are token ids), and a table of them.</li>"
                + "<li><b>Reconstruct</b>: the image through the tokenizer and back, with its PSNR.</li>"
                + "<li><b>Inpaint</b>, <b>Outpaint</b>, <b>Class Edit</b>: regenerate the selection, everything around it, or the "
                + "selection as another class. Draw a selection first.</li>"
                + "<li><b>Train Tokenizer</b>, <b>Train</b>: train on a folder of your images (any size, 8 or 16 bit, stacks), with a "
                + "live plot of the loss and a preview.</li></ul>"
                + "<p>Every dialog has a Help button; every field is a macro key the Macro Recorder writes. The full documentation is "
                + "docs/fiji.md and docs/training.md of nextscale (its repository, or the folder it was built in).</p></html>";
        if (java.awt.GraphicsEnvironment.isHeadless() || IJ.getInstance() == null) IJ.log(html.replaceAll("<[^>]+>", " ").replaceAll("\\s+", " "));
        else new HTMLDialog("VAR Help", html, false);
    }
}
