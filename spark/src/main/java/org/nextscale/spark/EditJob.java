package org.nextscale.spark;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.EditMask;
import org.nextscale.core.api.EditMode;
import org.nextscale.core.api.Extension;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.ImageAdapter;
import org.nextscale.core.api.PixelScale;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.api.ScaleListener;
import org.nextscale.core.api.SeamMode;
import org.nextscale.core.cli.SamplingDefaults;
import org.nextscale.core.tiling.EditWindows;
import org.nextscale.core.api.VarModel;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code edit}: in-painting, out-painting or class editing of every image with one box or mask. Image i is
 * edited with a seed derived from (seed, its path), so results do not depend on partitioning.
 */
@Command(name = "edit", mixinStandardHelpOptions = true,
        description = "Inpaints, outpaints or class-edits every image with a box or mask; writes the results and a Parquet index.")
final class EditJob extends ImageJobs {
    @Option(names = "--mode", required = true, description = "inpaint (regenerate the selection), outpaint (keep it, regenerate the rest) or class (regenerate the selection as --class)")
    String mode;

    static final class Region {
        @Option(names = "--box", paramLabel = "y0,x0,y1,x1", description = "selection as fractions of each image")
        String box;

        @Option(names = "--mask", paramLabel = "MASK", description = "mask image (any Hadoop path): pixels brighter than half are the selection")
        String mask;

        @Option(names = "--extend", paramLabel = "SIDES", description = "with --mode outpaint: grow each image's canvas past its border and "
                + "generate the new pixels, e.g. left=64,right=64 (sides top, bottom, left, right) or one number for all four")
        String extend;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Region region;

    @Option(names = "--class", description = "class (number or name); needed for --mode class, optional otherwise")
    String cls;

    @Option(names = "--seed", descriptionKey = SamplingDefaults.SEED, description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--cfg", descriptionKey = SamplingDefaults.CFG, description = "classifier-free guidance (default: ${DEFAULT-VALUE})")
    double cfg;

    @Option(names = "--top-p", descriptionKey = SamplingDefaults.TOP_P, description = "top-p, 0 or 1 = off (default: ${DEFAULT-VALUE})")
    double topP;

    private byte[] maskBytes;

    @Override
    String jobName() {
        return "edit";
    }

    @Override
    String run(SparkSession spark, java.io.PrintStream err) throws Exception {
        if (region.extend != null) {
            Extension.parse(region.extend);                             // a bad extension fails here, before any work
            if (!mode.equalsIgnoreCase("outpaint")) throw new IllegalArgumentException("--extend grows the canvas of --mode outpaint only");
        }
        if (region.mask != null) {
            Path p = new Path(region.mask);
            try (InputStream in = p.getFileSystem(spark.sparkContext().hadoopConfiguration()).open(p)) {
                maskBytes = in.readAllBytes();
            } catch (IOException e) {
                throw new IOException("cannot read the mask " + region.mask + ": " + e.getMessage());
            }
            Output.decode(maskBytes);                                   // a bad mask fails here, before any work
        }
        return super.run(spark, err);
    }

    @Override
    Work prepare(ModelRef ref) {
        ref.requireTransformer("edit");
        EditMode m = switch (mode.toLowerCase(Locale.ROOT)) {
            case "inpaint" -> EditMode.INPAINT;
            case "outpaint" -> EditMode.OUTPAINT;
            case "class", "class-edit", "class_edit" -> EditMode.CLASS_EDIT;
            default -> throw new IllegalArgumentException("--mode must be inpaint, outpaint or class, got '" + mode + "'");
        };
        if (m == EditMode.CLASS_EDIT && cls == null) throw new IllegalArgumentException("--mode class needs --class (number or name)");
        int c = cls == null ? SampleOptions.UNCONDITIONAL : ref.classIndex(cls);
        if (region.box != null) EditMask.parseBox(region.box, 32, 32);  // a malformed box fails here
        String box = region.box, grow = region.extend, name = mode.toLowerCase(Locale.ROOT);
        byte[] maskImage = maskBytes;
        long s0 = seed;
        double g = cfg, tp = topP;
        String scaleSpec = scale;
        return (model, images, paths) -> {
            Image maskImg = maskImage == null ? null : Output.decode(maskImage);
            List<Result> out = new ArrayList<>(images.size());
            for (int i = 0; i < images.size(); i++) {
                Image in = images.get(i);
                long sd = Job.seed(s0, paths.get(i).hashCode(), paths.get(i).length());
                SampleOptions o = new SampleOptions(c, 1, g, 0, tp, sd, false);
                Image r = grow != null
                        ? EditWindows.extend(model, in, Extension.parse(grow), o, SeamMode.BLEND, PixelScale.parse(scaleSpec),
                                ProgressListener.NONE, CancelToken.none())
                        : EditWindows.edit(model, in, box != null ? EditMask.parseBox(box, in.height(), in.width()) : maskOf(maskImg, in),
                                m, o, SeamMode.BLEND, PixelScale.parse(scaleSpec), ProgressListener.NONE, CancelToken.none(), ScaleListener.NONE);
                out.add(new Result(r, null, name));
            }
            return out;
        };
    }

    private static EditMask maskOf(Image mask, Image like) {
        Image m = ImageAdapter.resize(mask, like.height(), like.width());
        boolean[] sel = new boolean[like.height() * like.width()];
        for (int i = 0; i < sel.length; i++) sel[i] = m.data()[i] > 0.5f;
        return new EditMask(like.height(), like.width(), sel);
    }
}
