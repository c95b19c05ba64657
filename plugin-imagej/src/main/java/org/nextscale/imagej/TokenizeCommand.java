package org.nextscale.imagej;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.PixelScale;
import org.nextscale.core.api.TiledTokens;
import org.nextscale.core.tiling.Tiles;
import org.scijava.ItemIO;
import org.scijava.ItemVisibility;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** VAR Tokenize (for scripts; the menu entry is the ImageJ 1.x bridge, ij1.Var*): the image's token map at every scale, as a stack of token ids with a colour table, and a table of its own. */
@Plugin(type = Command.class, headless = true, label = "VAR Tokenize",
        description = "Shows the tokens the model's tokenizer assigns to the image, one map per scale")
public class TokenizeCommand extends VarCommand {

    @Parameter(persist = false, label = "Image")
    private ImagePlus image;

    @Parameter(visibility = ItemVisibility.MESSAGE, persist = false, required = false)
    private String about = "";

    @Parameter(persist = false, label = "Model file", required = false, style = "open", callback = "modelChosen", initializer = "modelChosen",
            description = "A nextscale model (.zip); leave empty for the shipped model")
    private File model;

    @Parameter(persist = false, label = "Pixel scale", choices = {"auto", "1", "2", "4", "8", "fit"}, description = "Image pixels per model pixel: auto = the image's own resolution "
            + "(large images in model-sized tiles), a number (2 = half resolution), or fit (the whole image fitted to the model)")
    private String scale = "auto";

    @Parameter(persist = false, label = "Tiles per model call", min = "1",
            description = "For images larger than the model: lower it when a GPU runs out of memory")
    private int batch = Tiles.BATCH;

    @Parameter(type = ItemIO.OUTPUT, label = "Token maps")
    private ImagePlus tokenMaps;

    @Parameter(type = ItemIO.OUTPUT, label = "Tokens")
    private ResultsTable tokens;

    @Parameter(type = ItemIO.OUTPUT, label = "Coarse to fine")
    private ImagePlus scales;

    /** The token maps of every tile, the model's image side they are shown at, and (one tile) the image decoded after each scale. */
    private record Tokens(TiledTokens tiled, int side, int vocab, List<Image> coarseToFine) {}

    /** The dialog's model line follows the model file. */
    protected void modelChosen() {
        about = about(ModelChoices.of(model));
    }

    @Override
    public String label() {
        return "VAR Tokenize";
    }

    @Override
    protected void execute() throws IOException {
        Image in = ImageConversion.toImage(image);
        PixelScale pixelScale = PixelScale.parse(scale);
        Tokens t = onModel(model, m -> {
            TiledTokens tiled = Tiles.tokenize(m, in, pixelScale, batch, progress(), token);
            return new Tokens(tiled, m.config().imageSize(), m.config().vqvae().vocabSize(), tiled.tiles().size() == 1 ? m.coarseToFine(in) : null);
        });
        tokenMaps = TokenMaps.stack(t.tiled(), t.side(), ResultInfo.safe(image.getTitle() + " tokens"), t.vocab());
        java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("model", modelName(model));
        settings.put("source", image.getTitle());
        settings.put("scale", scale);
        settings.put("table", tableTitle());
        ResultInfo.attach(tokenMaps, label(), settings);
        tokens = TokenMaps.table(t.tiled());
        if (t.coarseToFine() != null) {
            List<String> labels = new ArrayList<>();
            for (int side : t.tiled().tiles().get(0).tokens().sides()) labels.add("scale " + (labels.size() + 1) + ": " + side + "x" + side);
            scales = ScaleViews.stackOf(t.coarseToFine(), labels, labels.size(), 1, image.getTitle() + " coarse to fine");
        }
    }

    /** The image decoded after scales 1..k for every k (the last is the reconstruction), one slice per scale; null for a tiled image. */
    public ImagePlus scales() {
        return scales;
    }

    public ImagePlus tokenMaps() {
        return tokenMaps;
    }

    public ResultsTable tokens() {
        return tokens;
    }

    /** The title of the token table: its own window, so the user's Results table is left alone. */
    public String tableTitle() {
        return "Tokens of " + image.getTitle();
    }
}
