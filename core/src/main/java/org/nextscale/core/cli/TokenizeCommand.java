package org.nextscale.core.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.PixelScale;
import org.nextscale.core.api.TiledTokens;
import org.nextscale.core.api.TokenPyramid;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.data.ImageFiles;
import org.nextscale.core.data.ImageOutputs;
import org.nextscale.core.render.Render;
import org.nextscale.core.tiling.Tiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Token maps of an image, one per scale: prints the ids and writes one picture per scale.")
final class TokenizeCommand implements Callable<Integer> {
    @Mixin ModelOptions model;

    @Mixin ImageOptions imageOptions;

    @Option(names = "--batch", defaultValue = "" + Tiles.BATCH, description = "tiles per model call for an image larger than the model; lower it when a GPU "
            + "runs out of memory (default: ${DEFAULT-VALUE})")
    int batch;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "PNG, JPEG or TIFF")
    Path image;

    @Option(names = "--out", description = "folder for scale-K.png panels and tokens.txt (default: print only)")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (out != null) ImageOutputs.folderOnly(out, "tokenize writes one panel per scale and tokens.txt");
        PixelScale scale = imageOptions.pixelScale();
        ConsoleProgress progress = new ConsoleProgress();
        try (VarModel m = model.load()) {
            Image input = ImageFiles.read(image, imageOptions.range).unit();
            TiledTokens tiled = Tiles.tokenize(m, input, scale, batch, progress, progress.cancelToken());
            boolean whole = tiled.tiles().size() == 1;
            StringBuilder text = new StringBuilder();
            if (!whole) text.append(String.format(java.util.Locale.ROOT, "%d tiles (%d rows x %d columns) of a %dx%d px image%n",
                    tiled.tiles().size(), tiled.rows(), tiled.cols(), tiled.width(), tiled.height()));
            for (TiledTokens.Tile tile : tiled.tiles()) {
                if (!whole) text.append(String.format(java.util.Locale.ROOT, "tile row %d col %d at x=%d y=%d (%dx%d px):%n",
                        tile.row(), tile.col(), tile.x(), tile.y(), tile.width(), tile.height()));
                appendTokens(text, tile.tokens());
            }
            if (whole || out == null) System.out.print(whole ? text : text.substring(0, text.indexOf("\n") + 1));
            if (out != null) {
                Files.createDirectories(out);
                Files.writeString(out.resolve("tokens.txt"), text);
                if (whole) {
                    TokenPyramid p = tiled.tiles().get(0).tokens();
                    int size = Math.max(64, m.config().imageSize());
                    for (int k = 0; k < p.numScales(); k++) ImageFiles.write(Render.tokenMap(p.tokens().get(k), p.sides().get(k), size), out.resolve("scale-" + (k + 1) + ".png"));
                    String stem = image.getFileName().toString().replaceFirst("\\.[^.]+$", "");
                    ImageFiles.write(Render.strip(m.coarseToFine(input), 2), out.resolve(stem + "-scales.png"));
                    System.out.println("wrote " + p.numScales() + " panels, tokens.txt and " + stem + "-scales.png (the image after each scale, coarse to fine) to " + out);
                } else {
                    System.out.println("wrote tokens.txt (every tile's token maps, each under its place in the image) to " + out);
                }
            } else if (!whole) {
                System.out.println("(give --out DIR to write every tile's token maps to DIR/tokens.txt)");
            }
            return 0;
        } finally {
            progress.finish();
        }
    }

    /** One pyramid as text: "scale k (s x s):" and its rows of ids. */
    static void appendTokens(StringBuilder text, TokenPyramid p) {
        for (int k = 0; k < p.numScales(); k++) {
            int side = p.sides().get(k);
            text.append("scale ").append(k + 1).append(" (").append(side).append('x').append(side).append("):\n");
            int[] t = p.tokens().get(k);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) text.append(x == 0 ? "  " : " ").append(t[y * side + x]);
                text.append('\n');
            }
        }
    }
}
