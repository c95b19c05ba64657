package org.nextscale.imagej;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.TokenPyramid;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Menu;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Plugins > VAR > Tokenize: the image's token map at every scale, as a colour stack and a table. */
@Plugin(type = Command.class, headless = true, label = "VAR Tokenize",
        description = "Shows the tokens the model's tokenizer assigns to the image, one map per scale",
        menu = {@Menu(label = "Plugins"), @Menu(label = "VAR"), @Menu(label = "Tokenize...", weight = 2)})
public class TokenizeCommand extends VarCommand {

    @Parameter(persist = false, label = "Image")
    private ImagePlus image;

    @Parameter(persist = false, label = "Model file", required = false, style = "open",
            description = "A nextscale model (.zip); leave empty for the shipped model")
    private File model;

    @Parameter(type = ItemIO.OUTPUT, label = "Token maps")
    private ImagePlus tokenMaps;

    @Parameter(type = ItemIO.OUTPUT, label = "Tokens")
    private ResultsTable tokens;

    @Parameter(type = ItemIO.OUTPUT, label = "Coarse to fine")
    private ImagePlus scales;

    /** The token maps, the model's image side they are shown at, and the image decoded after each scale. */
    private record Tokens(TokenPyramid pyramid, int side, List<Image> coarseToFine) {}

    @Override
    public String label() {
        return "VAR Tokenize";
    }

    @Override
    protected void execute() throws IOException {
        Image in = ImageConversion.toImage(image);
        Tokens t = onModel(model, m -> new Tokens(m.tokenize(in), m.config().imageSize(), m.coarseToFine(in)));
        progress().progress("tokenized", 1, 1);
        tokenMaps = TokenMaps.stack(t.pyramid(), t.side(), image.getTitle() + " tokens");
        tokens = TokenMaps.table(t.pyramid());
        List<String> labels = new ArrayList<>();
        for (int side : t.pyramid().sides()) labels.add("scale " + (labels.size() + 1) + ": " + side + "x" + side);
        scales = ScaleViews.stackOf(t.coarseToFine(), labels, labels.size(), 1, image.getTitle() + " coarse to fine");
    }

    /** The image decoded after scales 1..k for every k (the last is the reconstruction), one slice per scale. */
    public ImagePlus scales() {
        return scales;
    }

    public ImagePlus tokenMaps() {
        return tokenMaps;
    }

    public ResultsTable tokens() {
        return tokens;
    }
}
