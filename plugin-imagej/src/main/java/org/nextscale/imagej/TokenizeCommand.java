package org.nextscale.imagej;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import java.io.File;
import java.io.IOException;
import org.nextscale.core.api.TokenPyramid;
import org.nextscale.core.api.VarModel;
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

    @Override
    public String label() {
        return "VAR Tokenize";
    }

    @Override
    protected void execute() throws IOException {
        VarModel m = models.model(model);
        TokenPyramid p;
        int side;
        synchronized (m) {
            checkCancelled();
            p = m.tokenize(ImageConversion.toImage(image));
            side = m.config().imageSize();
        }
        progress().progress("tokenized", 1, 1);
        tokenMaps = TokenMaps.stack(p, side, image.getTitle() + " tokens");
        tokens = TokenMaps.table(p);
    }

    public ImagePlus tokenMaps() {
        return tokenMaps;
    }

    public ResultsTable tokens() {
        return tokens;
    }
}
