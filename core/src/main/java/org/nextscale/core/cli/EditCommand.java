package org.nextscale.core.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nextscale.core.api.EditMask;
import org.nextscale.core.api.EditMode;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.data.ImageFiles;
import org.nextscale.core.data.ImageOutputs;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Zero-shot editing; the three subcommands differ only in their {@link EditMode}. */
abstract class EditCommand implements Callable<Integer> {
    @Mixin ModelOptions model;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "PNG, JPEG or TIFF")
    Path image;

    static final class Region {
        @Option(names = "--mask", paramLabel = "MASK", description = "mask image: nonzero pixels are the selection")
        Path mask;

        @Option(names = "--box", paramLabel = "y0,x0,y1,x1", description = "selection box as fractions of the image, e.g. 0.25,0.25,0.75,0.75")
        String box;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Region region;

    @Option(names = "--out", required = true, description = "output image (.png or .tif), or a folder for IMAGE-NAME-<mode>.png")
    Path out;

    abstract EditMode mode();

    abstract String classSpec();

    @Override
    public Integer call() throws Exception {
        Path target = ImageOutputs.single(out, stem(image) + "-" + mode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        ConsoleProgress progress = new ConsoleProgress();
        try (VarModel m = model.load()) {
            Image in = ImageFiles.read(image);
            EditMask mask = region.box != null ? EditMask.parseBox(region.box, in.height(), in.width()) : readMask(region.mask, in);
            int cls = classSpec() == null ? SampleOptions.UNCONDITIONAL : m.classIndex(classSpec());
            Image result = m.edit(in, mask, mode(), model.sampling(cls, 1), progress, progress.cancelToken());
            ImageFiles.write(result, target);
            System.out.println("wrote " + target);
            return 0;
        } finally {
            progress.finish();
        }
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

        EditMode mode() { return EditMode.OUTPAINT; }

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
