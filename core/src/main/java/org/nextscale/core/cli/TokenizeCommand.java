package org.nextscale.core.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.TokenPyramid;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.data.ImageFiles;
import org.nextscale.core.data.ImageOutputs;
import org.nextscale.core.render.Render;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Token maps of an image, one per scale: prints the ids and writes one picture per scale.")
final class TokenizeCommand implements Callable<Integer> {
    @Mixin ModelOptions model;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "PNG, JPEG or TIFF")
    Path image;

    @Option(names = "--out", description = "folder for scale-K.png panels and tokens.txt (default: print only)")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (out != null) ImageOutputs.folderOnly(out, "tokenize writes one panel per scale and tokens.txt");
        try (VarModel m = model.load()) {
            Image input = ImageFiles.read(image);
            TokenPyramid p = m.tokenize(input);
            StringBuilder text = new StringBuilder();
            for (int k = 0; k < p.numScales(); k++) {
                int side = p.sides().get(k);
                text.append("scale ").append(k + 1).append(" (").append(side).append('x').append(side).append("):\n");
                int[] t = p.tokens().get(k);
                for (int y = 0; y < side; y++) {
                    for (int x = 0; x < side; x++) text.append(x == 0 ? "  " : " ").append(t[y * side + x]);
                    text.append('\n');
                }
            }
            System.out.print(text);
            if (out != null) {
                Files.createDirectories(out);
                int size = Math.max(64, m.config().imageSize());
                for (int k = 0; k < p.numScales(); k++) ImageFiles.write(Render.tokenMap(p.tokens().get(k), p.sides().get(k), size), out.resolve("scale-" + (k + 1) + ".png"));
                Files.writeString(out.resolve("tokens.txt"), text);
                String stem = image.getFileName().toString().replaceFirst("\\.[^.]+$", "");
                ImageFiles.write(Render.strip(m.coarseToFine(input), 2), out.resolve(stem + "-scales.png"));
                System.out.println("wrote " + p.numScales() + " panels, tokens.txt and " + stem + "-scales.png (the image after each scale, coarse to fine) to " + out);
            }
            return 0;
        }
    }
}
