package org.nextscale.imagej;

import ij.ImagePlus;
import java.io.File;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.PixelScale;
import org.nextscale.core.tiling.Tiles;
import org.nextscale.core.eval.ImageMetrics;
import org.scijava.ItemIO;
import org.scijava.ItemVisibility;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** VAR Reconstruct (for scripts; the menu entry is the ImageJ 1.x bridge, ij1.Var*): encode, quantize and decode the image; its PSNR in the result's title and Info. */
@Plugin(type = Command.class, headless = true, label = "VAR Reconstruct",
        description = "Encodes the image into tokens and decodes it again: what the model can represent of it")
public class ReconstructCommand extends VarCommand {

    @Parameter(persist = false, label = "Image")
    private ImagePlus image;

    @Parameter(visibility = ItemVisibility.MESSAGE, persist = false, required = false)
    private String about = "";

    @Parameter(persist = false, label = "Model file", required = false, style = "open", callback = "modelChosen", initializer = "modelChosen",
            description = "A nextscale model (.zip); leave empty for the shipped model")
    private File model;

    @Parameter(persist = false, label = "Pixel scale", choices = {"auto", "1", "2", "4", "8", "fit"}, description = "Image pixels per model pixel: auto = the image's own resolution "
            + "(large images in blended model-sized tiles), a number (2 = half resolution), or fit (the whole image fitted to the model)")
    private String scale = "auto";

    @Parameter(persist = false, label = "Tiles per model call", min = "1",
            description = "For images larger than the model: lower it when a GPU runs out of memory")
    private int batch = Tiles.BATCH;

    @Parameter(type = ItemIO.OUTPUT, label = "Reconstruction")
    private ImagePlus reconstruction;

    @Parameter(type = ItemIO.OUTPUT, label = "PSNR (dB)")
    private double psnr;

    /** The dialog's model line follows the model file. */
    protected void modelChosen() {
        about = about(ModelChoices.of(model));
    }

    @Override
    public String label() {
        return "VAR Reconstruct";
    }

    @Override
    protected void execute() throws IOException {
        Image in = ImageConversion.toImage(image);
        PixelScale pixelScale = PixelScale.parse(scale);
        Image out = onModel(model, m -> Tiles.reconstruct(m, in, pixelScale, batch, progress(), token));
        psnr = ImageMetrics.psnr(in, out);
        reconstruction = ImageConversion.like(out, image, ResultInfo.safe(String.format(Locale.ROOT, "%s reconstructed (PSNR %.1f dB)", image.getTitle(), psnr)));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("model", modelName(model));
        settings.put("source", image.getTitle());
        settings.put("scale", scale);
        settings.put("psnr_db", String.format(Locale.ROOT, "%.2f", psnr));
        settings.put("psnr", "the reconstruction's peak signal-to-noise ratio against the image, in dB: higher is closer; about 24 dB for the shipped model on its own kind of images");
        ResultInfo.attach(reconstruction, label(), settings);
        String w = org.nextscale.core.model.Familiarity.warning(card(model), psnr);
        if (w != null) tell(w);
    }

    public ImagePlus reconstruction() {
        return reconstruction;
    }

    public double psnr() {
        return psnr;
    }
}
