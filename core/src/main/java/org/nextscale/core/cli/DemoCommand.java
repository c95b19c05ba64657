package org.nextscale.core.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import org.nextscale.core.api.EditMask;
import org.nextscale.core.api.EditMode;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.api.ScaleFrames;
import org.nextscale.core.api.TokenPyramid;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.data.FashionMnist;
import org.nextscale.core.data.ImageFiles;
import org.nextscale.core.data.ImageOutputs;
import org.nextscale.core.data.LabeledImages;
import org.nextscale.core.eval.ImageMetrics;
import org.nextscale.core.render.Render;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The README's first command: shows the shipped model at work (class grid, token pyramid,
 * reconstruction, in-painting, out-painting, class edit) in DIR/index.html.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Writes a demo of the model (samples, token pyramid, reconstruction, edits) to DIR/index.html.")
final class DemoCommand implements Callable<Integer> {
    @Mixin ModelOptions model;

    @Mixin SamplingOptions sampling;

    @Option(names = "--out", defaultValue = "demo-out", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--per-class", defaultValue = "8", description = "samples per class in the grid (default: ${DEFAULT-VALUE})")
    int perClass;

    private static final int ZOOM = 4;

    @Override
    public Integer call() throws Exception {
        ImageOutputs.folderOnly(out, "demo writes index.html and its pictures");
        ConsoleProgress progress = new ConsoleProgress();
        long t0 = System.nanoTime();
        try (VarModel m = model.load()) {
            Files.createDirectories(out);
            System.out.println(m.summary());
            List<String> names = m.config().classNames();
            StringBuilder html = new StringBuilder();

            // 1. class-conditional samples: one row per class
            List<Image> all = new ArrayList<>();
            List<Image> coarseToFine = new ArrayList<>();          // the first sample of each class, after every scale
            int numScales = 0;
            for (int c = 0; c < names.size(); c++) {
                SampleOptions o = sampling.sampling(c, perClass).withSeed(sampling.seed + c);
                ScaleFrames frames = new ScaleFrames();
                all.addAll(m.generate(o, (s, d, t) -> {}, progress.cancelToken(), frames));
                if (!frames.perImage().isEmpty()) {
                    coarseToFine.addAll(frames.perImage().get(0));
                    numScales = frames.numScales();
                }
                progress.progress("generate", c + 1, names.size());
            }
            write(Render.enlarge(Render.grid(all, perClass, 1), 2), "samples.png");
            html.append(section("Class-conditional samples", "One row per class (" + String.join(", ", names) + "), "
                    + perClass + " samples each, cfg " + sampling.cfg + ", seed " + sampling.seed + ".", "samples.png"));
            if (numScales > 0) {
                write(Render.enlarge(Render.grid(coarseToFine, numScales, 1), ZOOM), "coarse-to-fine.png");
                html.append(section("Coarse to fine", "The first sample of each class above after each of its " + numScales
                        + " scales " + m.config().patchNums() + ", left to right: VAR predicts a whole token map per scale, and "
                        + "the image at each step is that scale's accumulated feature map decoded at the final size.", "coarse-to-fine.png"));
            }

            // 2. a test image: its token pyramid and its reconstruction
            List<TestImage> labelled = testImages(progress);
            Image test = labelled.get(0).image();
            TokenPyramid p = m.tokenize(test);
            int panel = m.config().imageSize() * ZOOM;
            List<Image> panels = new ArrayList<>();                // row 1: the image, then its tokens decoded after each scale
            panels.add(Render.enlarge(test, ZOOM));
            for (Image f : m.coarseToFine(test)) panels.add(Render.enlarge(f, ZOOM));
            panels.add(Image.zeros(1, panel, panel));              // row 2: the token ids of each scale
            panels.addAll(Render.pyramid(p, panel));
            write(Render.grid(panels, p.numScales() + 1, 4), "pyramid.png");
            html.append(section("Token pyramid", "Top: the test image, then what its tokens hold after scales " + p.sides()
                    + " (the accumulated feature map decoded; the last is the reconstruction). Bottom: the token ids of each scale"
                    + " (one colour per codebook entry). VAR predicts each map from the smaller ones.", "pyramid.png"));
            Image rec = m.reconstruct(test);
            write(Render.enlarge(Render.grid(List.of(test, rec), 2, 1), ZOOM), "reconstruction.png");
            html.append(section("Reconstruction", String.format("Left: test image; right: decoded from its tokens (PSNR %.2f dB).",
                    ImageMetrics.psnr(test, rec)), "reconstruction.png"));

            // 3. edits of test images
            List<Image> tests = labelled.stream().map(TestImage::image).toList();
            EditMask center = EditMask.box(test.height(), test.width(), 0.3, 0.3, 0.7, 0.7);
            EditMask lower = EditMask.box(test.height(), test.width(), 0.5, 0.0, 1.0, 1.0);
            SampleOptions o = sampling.sampling(SampleOptions.UNCONDITIONAL, 1);
            edits(m, tests, center, EditMode.INPAINT, Collections.nCopies(tests.size(), o), "inpaint.png", progress);
            html.append(section("In-painting", "Top: test images with the centre box greyed; bottom: the centre regenerated, the rest kept.", "inpaint.png"));
            // out-painting keeps only the centre: conditioned on each image's own class (when known) the
            // surroundings complete that garment instead of whatever the centre could be part of
            boolean fashionClasses = names.equals(FashionMnist.CLASS_NAMES);
            List<SampleOptions> ownClass = labelled.stream()
                    .map(t -> fashionClasses && t.label() >= 0 ? o.withClass(t.label()) : o).toList();
            edits(m, tests, center, EditMode.OUTPAINT, ownClass, "outpaint.png", progress);
            html.append(section("Out-painting", "Top: the centre box is kept; bottom: everything around it regenerated"
                    + (fashionClasses && labelled.stream().allMatch(t -> t.label() >= 0) ? ", conditioned on each image's own class." : "."),
                    "outpaint.png"));
            int target = Math.min(names.size() - 1, 7);
            edits(m, tests, lower, EditMode.CLASS_EDIT, Collections.nCopies(tests.size(), o.withClass(target)), "class-edit.png", progress);
            html.append(section("Class-conditional edit", "The lower half regenerated as class '" + names.get(target) + "'.", "class-edit.png"));

            Files.writeString(out.resolve("index.html"), page(m.summary(), html.toString()));
            System.out.printf("wrote %s (%.0f s)%n", out.resolve("index.html"), (System.nanoTime() - t0) / 1e9);
            return 0;
        } finally {
            progress.finish();
        }
    }

    /** One edit per test image, with that image's sampling options; writes the originals over the results. */
    private void edits(VarModel m, List<Image> tests, EditMask mask, EditMode mode, List<SampleOptions> options, String file, ConsoleProgress progress) throws java.io.IOException {
        List<Image> row = new ArrayList<>();
        List<Image> results = new ArrayList<>();
        for (int i = 0; i < tests.size(); i++) {
            row.add(shade(tests.get(i), mask, mode == EditMode.OUTPAINT));
            results.add(m.edit(tests.get(i), mask, mode, options.get(i).withSeed(sampling.seed + i), (s, d, t) -> {}, progress.cancelToken()));
            progress.progress(mode.name().toLowerCase(), i + 1, tests.size());
        }
        row.addAll(results);
        write(Render.enlarge(Render.grid(row, tests.size(), 1), ZOOM), file);
    }

    /** The image with the regenerated area greyed out. */
    private static Image shade(Image img, EditMask mask, boolean invert) {
        float[] d = img.data().clone();
        int hw = img.height() * img.width();
        for (int c = 0; c < img.channels(); c++)
            for (int i = 0; i < hw; i++) if (mask.selected()[i] != invert) d[c * hw + i] = 0.5f;
        return new Image(img.channels(), img.height(), img.width(), d);
    }

    /** A test image and its class index, -1 when unknown. */
    private record TestImage(Image image, int label) {}

    private List<TestImage> testImages(ConsoleProgress progress) throws java.io.IOException {
        Path dir = FashionMnist.defaultDir();
        List<TestImage> out = new ArrayList<>();
        if (FashionMnist.available(dir)) {
            LabeledImages t = FashionMnist.load(dir, false, 6);
            for (int i = 0; i < t.size(); i++) out.add(new TestImage(new Image(1, FashionMnist.SIDE, FashionMnist.SIDE, t.images()[i]), t.labels()[i]));
            return out;
        }
        Path modelFile = model.model != null ? model.model : org.nextscale.core.api.ShippedModel.path();
        Path samples = modelFile.toAbsolutePath().getParent().resolve("samples");   // shipped beside the model
        try (var files = Files.list(samples)) {
            for (Path p : files.filter(ImageFiles::isImage).sorted().limit(6).toList()) out.add(new TestImage(ImageFiles.read(p), classOfFileName(p)));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new java.io.IOException("no test images: install Fashion-MNIST (apt-get install dataset-fashion-mnist) or restore " + samples);
        }
        if (out.isEmpty()) throw new java.io.IOException("no test images in " + samples);
        progress.line("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist): using the sample images in " + samples);
        return out;
    }

    /** The class a shipped sample's file name ends with ("03-ankle-boot.png": Ankle boot), -1 if none. */
    static int classOfFileName(Path p) {
        String name = p.getFileName().toString().replaceFirst("\\.[^.]*$", "").replaceFirst("^\\d+-", "");
        String key = name.toLowerCase().replaceAll("[^a-z]", "");
        for (int c = 0; c < FashionMnist.CLASS_NAMES.size(); c++)
            if (FashionMnist.CLASS_NAMES.get(c).toLowerCase().replaceAll("[^a-z]", "").equals(key)) return c;
        return -1;
    }

    private void write(Image img, String name) throws java.io.IOException {
        ImageFiles.write(img, out.resolve(name));
    }

    private static String section(String title, String caption, String file) {
        return "<section><h2>" + esc(title) + "</h2><img src=\"" + file + "\" alt=\"" + esc(title) + "\"><p>" + esc(caption) + "</p></section>\n";
    }

    private static String page(String summary, String body) {
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>nextscale demo</title>\n"
                + "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}img{image-rendering:pixelated;max-width:100%}"
                + "pre{background:#f4f4f4;padding:1em}</style></head><body>\n<h1>nextscale demo</h1>\n<pre>" + esc(summary) + "</pre>\n"
                + body + "</body></html>\n";
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
