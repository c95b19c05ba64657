package org.nextscale.imagej;

import ij.ImagePlus;
import java.io.File;
import java.io.IOException;
import java.util.Locale;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.PixelScale;
import org.nextscale.core.tiling.Tiles;
import org.nextscale.core.eval.ImageMetrics;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Menu;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Plugins > VAR > Reconstruct: encode, quantize and decode the image; PSNR goes to the log. */
@Plugin(type = Command.class, headless = true, label = "VAR Reconstruct",
        description = "Passes the image through the tokenizer and back, showing what the tokens keep",
        menu = {@Menu(label = "Plugins"), @Menu(label = "VAR"), @Menu(label = "Reconstruct...", weight = 3)})
public class ReconstructCommand extends VarCommand {

    @Parameter(persist = false, label = "Image")
    private ImagePlus image;

    @Parameter(persist = false, label = "Model file", required = false, style = "open",
            description = "A nextscale model (.zip); leave empty for the shipped model")
    private File model;

    @Parameter(persist = false, label = "Pixel scale", description = "Image pixels per model pixel: auto = the image's own resolution "
            + "(large images in blended model-sized tiles), a number (2 = half resolution), or fit (the whole image fitted to the model)")
    private String scale = "auto";

    @Parameter(type = ItemIO.OUTPUT, label = "Reconstruction")
    private ImagePlus reconstruction;

    @Parameter(type = ItemIO.OUTPUT, label = "PSNR (dB)")
    private double psnr;

    @Override
    public String label() {
        return "VAR Reconstruct";
    }

    @Override
    protected void execute() throws IOException {
        Image in = ImageConversion.toImage(image);
        PixelScale pixelScale = PixelScale.parse(scale);
        Image out = onModel(model, m -> Tiles.reconstruct(m, in, pixelScale, progress(), token));
        psnr = ImageMetrics.psnr(in, out);
        reconstruction = ImageConversion.like(out, image, image.getTitle() + " reconstructed");
        tell(String.format(Locale.ROOT, "%s PSNR = %.2f dB", image.getTitle(), psnr));
    }

    public ImagePlus reconstruction() {
        return reconstruction;
    }

    public double psnr() {
        return psnr;
    }
}
