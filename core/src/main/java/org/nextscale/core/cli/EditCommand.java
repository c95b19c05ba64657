package org.nextscale.core.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nextscale.core.api.EditMask;
import org.nextscale.core.api.EditMode;
import org.nextscale.core.api.Extension;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.PixelScale;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.api.ScaleListener;
import org.nextscale.core.api.SeamMode;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.data.ImageFiles;
import org.nextscale.core.data.ImageOutputs;
import org.nextscale.core.tiling.EditWindows;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Zero-shot editing; the three subcommands differ only in their {@link EditMode}. */
abstract class EditCommand implements Callable<Integer> {
    @Mixin ModelOptions model;

    @Mixin SamplingOptions sampling;

    @Mixin ImageOptions imageOptions;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "PNG, JPEG or TIFF")
    Path image;

    static final class Region {
        @Option(names = "--mask", paramLabel = "MASK", description = "mask image: nonzero pixels are the selection")
        Path mask;

        @Option(names = "--box", paramLabel = "y0,x0,y1,x1", description = "selection box as fractions of the image, e.g. 0.25,0.25,0.75,0.75")
        String box;

        @Option(names = "--rect", paramLabel = "x,y,w,h", description = "selection rectangle in pixels, as ImageJ's makeRectangle, e.g. 900,600,64,48")
        String rect;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Region region;

    @Option(names = "--seams", defaultValue = "blend", paramLabel = "blend|plain", description = "blend (default): the fill continues the "
            + "kept pixels at the selection's border; plain: the reference's teacher-forced edit as decoded")
    String seams;

    @Option(names = "--out", required = true, description = "output image (.png or .tif), or a folder for IMAGE-NAME-<mode>.png")
    Path out;

    abstract EditMode mode();

    abstract String classSpec();

    @Override
    public Integer call() throws Exception {
        Path target = ImageOutputs.single(out, stem(image) + "-" + mode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        PixelScale scale = imageOptions.pixelScale();
        SeamMode seamMode = seamMode(seams);
        Extension grow = extension();
        if (region == null && grow.isNone())
            throw new IllegalArgumentException("give the selection: --box y0,x0,y1,x1 (fractions), --rect x,y,w,h (pixels) or --mask MASK"
                    + (mode() == EditMode.OUTPAINT ? ", or grow the canvas with --extend" : ""));
        if (region != null && !grow.isNone())
            throw new IllegalArgumentException("--extend keeps the whole image and generates past its border: give it without a selection");
        ConsoleProgress progress = new ConsoleProgress();
        try (VarModel m = model.load()) {
            ImageFiles.Loaded in = ImageFiles.read(image, imageOptions.range);
            Image img = in.unit();
            int cls = classSpec() == null ? SampleOptions.UNCONDITIONAL : m.classIndex(classSpec());
            SampleOptions options = sampling.sampling(cls, 1);
            Image result;
            if (!grow.isNone()) {
                result = EditWindows.extend(m, img, grow, options, seamMode, scale, progress, progress.cancelToken());
            } else {
                EditMask mask = region.box != null ? EditMask.parseBox(region.box, img.height(), img.width())
                        : region.rect != null ? EditMask.parseRect(region.rect, img.height(), img.width()) : readMask(region.mask, img);
                result = EditWindows.edit(m, img, mask, mode(), options, seamMode, scale, progress, progress.cancelToken(), ScaleListener.NONE);
            }
            ImageFiles.write(in, result, target);
            System.out.println("wrote " + target + (result.width() != img.width() || result.height() != img.height()
                    ? " (" + result.width() + "x" + result.height() + " px)" : ""));
            return 0;
        } finally {
            progress.finish();
        }
    }

    /** Only out-paint grows the canvas. */
    Extension extension() {
        return Extension.NONE;
    }

    static SeamMode seamMode(String spec) {
        return switch (spec.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "blend" -> SeamMode.BLEND;
            case "plain" -> SeamMode.PLAIN;
            default -> throw new IllegalArgumentException("--seams must be blend or plain, got '" + spec + "'");
        };
    }

    /** The file name without its extension. */
    static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    private static EditMask readMask(Path p, Image like) throws java.io.IOException {
        return EditMask.fromImage(ImageFiles.read(p), like.height(), like.width());
    }

    @Command(name = "inpaint", mixinStandardHelpOptions = true, description = "Regenerate the selection, keep the rest.")
    static final class Inpaint extends EditCommand {
        @Option(names = "--class", description = "class to condition on (default: unconditional, as the reference)")
        String cls;

        EditMode mode() { return EditMode.INPAINT; }

        String classSpec() { return cls; }
    }

    @Command(name = "outpaint", mixinStandardHelpOptions = true, description = "Keep the selection, regenerate the rest.")
    static final class Outpaint extends EditCommand {
        @Option(names = "--class", description = "class to condition on (default: unconditional)")
        String cls;

        @Option(names = "--extend", paramLabel = "SIDES", description = "grow the canvas past the image's border and generate the new "
                + "pixels, e.g. left=64,right=64 (sides top, bottom, left, right) or one number for all four; no selection then")
        String extend;

        EditMode mode() { return EditMode.OUTPAINT; }

        @Override
        Extension extension() { return Extension.parse(extend); }

        String classSpec() { return cls; }
    }

    @Command(name = "edit", mixinStandardHelpOptions = true, description = "Class-conditional edit: regenerate the selection as the given class.")
    static final class ClassEdit extends EditCommand {
        @Option(names = "--class", required = true, description = "class number or name")
        String cls;

        EditMode mode() { return EditMode.CLASS_EDIT; }

        String classSpec() { return cls; }
    }
}
