package org.nextscale.spark;

import java.util.ArrayList;
import java.util.List;
import org.nextscale.core.api.Image;
import org.nextscale.core.eval.ImageMetrics;
import picocli.CommandLine.Command;

/** {@code reconstruct}: every image through the tokenizer and back; the index holds each PSNR. */
@Command(name = "reconstruct", mixinStandardHelpOptions = true,
        description = "Encodes, quantizes and decodes every image; writes the reconstructions and a Parquet index with their PSNR.")
final class ReconstructJob extends ImageJobs {
    @Override
    String jobName() {
        return "reconstruct";
    }

    @Override
    Work prepare(ModelRef ref) {
        return (lease, images, paths) -> {
            List<Image> rec = lease.model().reconstruct(images);
            List<Result> out = new ArrayList<>(images.size());
            for (int i = 0; i < images.size(); i++) out.add(new Result(rec.get(i), ImageMetrics.psnr(images.get(i), rec.get(i)), "reconstruct"));
            return out;
        };
    }
}
