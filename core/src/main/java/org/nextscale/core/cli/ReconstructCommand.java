package org.nextscale.core.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.PixelScale;
import org.nextscale.core.eval.ImageMetrics;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.data.ImageFiles;
import org.nextscale.core.data.ImageOutputs;
import org.nextscale.core.tiling.Tiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "reconstruct", mixinStandardHelpOptions = true,
        description = "Encode, quantize and decode an image with the tokenizer; prints the PSNR.")
final class ReconstructCommand implements Callable<Integer> {
    @Mixin ModelOptions model;

    @Mixin ImageOptions imageOptions;

    @Option(names = "--batch", defaultValue = "" + Tiles.BATCH, description = "tiles per model call for an image larger than the model; lower it when a GPU "
            + "runs out of memory (default: ${DEFAULT-VALUE})")
    int batch;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "PNG, JPEG or TIFF")
    Path image;

    @Option(names = "--out", required = true, description = "output image (.png or .tif), or a folder for IMAGE-NAME-reconstructed.png")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path target = ImageOutputs.single(out, EditCommand.stem(image) + "-reconstructed");
        PixelScale scale = imageOptions.pixelScale();
        ConsoleProgress progress = new ConsoleProgress();
        try (VarModel m = model.load()) {
            ImageFiles.Loaded in = ImageFiles.read(image, imageOptions.range);
            Image rec = Tiles.reconstruct(m, in.unit(), scale, batch, progress, progress.cancelToken());
            ImageFiles.write(in, rec, target);
            System.out.printf("wrote %s; PSNR %.2f dB (values %s mapped to 0..1)%n", target, ImageMetrics.psnr(in.unit(), rec), in.range());
            return 0;
        } finally {
            progress.finish();
        }
    }
}
