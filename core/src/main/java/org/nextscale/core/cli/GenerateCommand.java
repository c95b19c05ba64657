package org.nextscale.core.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.api.ScaleFrames;
import org.nextscale.core.api.ScaleListener;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.data.ImageFiles;
import org.nextscale.core.data.ImageOutputs;
import org.nextscale.core.render.Render;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Class-conditional sampling: writes N images (and a grid) into a folder, or one image to --out NAME.png.")
final class GenerateCommand implements Callable<Integer> {
    @Mixin ModelOptions model;

    @Mixin SamplingOptions sampling;

    @Option(names = "--class", defaultValue = "0", description = "class number or name; -1 or 'uncond' = unconditional (default: ${DEFAULT-VALUE})")
    String classSpec;

    @Option(names = "--n", defaultValue = "8", description = "number of images (default: ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--out", defaultValue = "generated", description = "output folder, or an image file (.png, .tif) when --n is 1 (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--format", defaultValue = "png", description = "png or tif (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--batch", defaultValue = "" + SampleOptions.DEFAULT_BATCH, description = "images per model call; lower it when a GPU runs out of memory "
            + "(each call has its own seed stream, so the images depend on it) (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--scales", description = "also write NAME-scales.png next to each image: the image after each scale, coarse to fine")
    boolean scales;

    @Override
    public Integer call() throws Exception {
        if (n < 1) throw new IllegalArgumentException("--n must be at least 1");
        if (!format.equals("png") && !format.equals("tif")) throw new IllegalArgumentException("--format must be png or tif");
        List<Path> files = ImageOutputs.files(out, n, "sample", format, "images");
        boolean oneFile = ImageOutputs.namesImage(out);
        ConsoleProgress progress = new ConsoleProgress();
        try (VarModel m = model.load()) {
            int cls = m.classIndex(classSpec);
            ScaleFrames frames = new ScaleFrames();
            List<Image> images = m.generate(sampling.sampling(cls, n).withBatch(batch), progress, progress.cancelToken(), scales ? frames : ScaleListener.NONE);
            for (int i = 0; i < images.size(); i++) ImageFiles.write(images.get(i), files.get(i));
            if (scales) {
                for (int i = 0; i < images.size(); i++) {
                    String name = files.get(i).getFileName().toString().replaceFirst("\\.[^.]+$", "") + "-scales.png";
                    ImageFiles.write(Render.strip(frames.perImage().get(i), 2), files.get(i).resolveSibling(name));
                }
                System.out.printf(Locale.ROOT, "coarse to fine: %d frames per image in NAME-scales.png; decoding them took %.2f s%n",
                        frames.numScales(), frames.decodeSeconds());
            }
            if (oneFile) {
                System.out.println("wrote " + out);
            } else {
                ImageFiles.write(Render.grid(images, Math.min(8, images.size()), 2), out.resolve("grid.png"));
                System.out.println("wrote " + images.size() + " images and grid.png to " + out);
            }
            return 0;
        } finally {
            progress.finish();
        }
    }
}
