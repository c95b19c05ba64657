package org.nextscale.spark;

import java.util.ArrayList;
import java.util.List;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.PixelScale;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.tiling.Tiles;
import org.nextscale.core.eval.ImageMetrics;
import org.nextscale.core.api.VarModel;
import picocli.CommandLine.Command;

/** {@code reconstruct}: every image through the tokenizer and back; the index holds each PSNR. */
@Command(name = "reconstruct", mixinStandardHelpOptions = true,
        description = "Encodes, quantizes and decodes every image (larger ones in blended model-sized tiles); writes the reconstructions and a Parquet index with their PSNR.")
final class ReconstructJob extends ImageJobs {
    @Override
    String jobName() {
        return "reconstruct";
    }

    @Override
    Work prepare(ModelRef ref) {
        String scaleSpec = scale;
        return (model, images, paths) -> {
            List<Image> rec = Tiles.reconstruct(model, images, PixelScale.parse(scaleSpec), ProgressListener.NONE, CancelToken.none());
            List<Result> out = new ArrayList<>(images.size());
            for (int i = 0; i < images.size(); i++) out.add(new Result(rec.get(i), ImageMetrics.psnr(images.get(i), rec.get(i)), "reconstruct"));
            return out;
        };
    }
}
