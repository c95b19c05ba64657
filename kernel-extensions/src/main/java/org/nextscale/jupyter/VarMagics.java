package org.nextscale.jupyter;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.CancelledException;
import org.nextscale.core.api.Devices;
import org.nextscale.core.api.EditMask;
import org.nextscale.core.api.Extension;
import org.nextscale.core.api.PixelScale;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.ScaleListener;
import org.nextscale.core.api.SeamMode;
import org.nextscale.core.api.TiledTokens;
import org.nextscale.core.tiling.EditWindows;
import org.nextscale.core.tiling.Tiles;
import org.nextscale.core.api.EditMode;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.ImageAdapter;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.api.ShippedModel;
import org.nextscale.core.api.ScaleFrames;
import org.nextscale.core.api.TokenPyramid;
import org.nextscale.core.api.TrainEvent;
import org.nextscale.core.api.TrainListener;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.data.ImageFiles;
import org.nextscale.core.eval.ImageMetrics;
import org.nextscale.core.render.Render;
import org.nextscale.core.api.TrainPreview;
import org.nextscale.core.api.ValidationEvent;
import org.nextscale.core.train.TrainOptions;
import org.nextscale.core.train.Training;

/**
 * Runs the magics, independent of any kernel: parse ({@link VarSyntax}), call one core method, show the
 * result on a {@link Notebook} and keep it in {@link VarSession}. Every failure leaves as a one-line
 * {@link VarMagicError}; an interrupt (a {@link VarSession#interrupt()} or the thread's interrupt flag)
 * cancels long work through its {@link CancelToken}.
 */
public final class VarMagics {
    private VarMagics() {}

    /** Progress lines are replaced at most this often (the last one is always shown). */
    static final long PROGRESS_EVERY_MS = 500;

    /** {@code %var ARGS}. */
    public static void line(List<String> args, Notebook nb) {
        run(VarSyntax.parseLine(args, VarSession::variable), nb);
    }

    /** {@code %%var ARGS} with the cell body below it. */
    public static void cell(List<String> args, String body, Notebook nb) {
        run(VarSyntax.parseCell(args, body, VarSession::variable), nb);
    }

    public static void run(VarCommand command, Notebook nb) {
        String name = nameOf(command);
        CancelToken cancel = VarSession.start();
        try {
            if (command instanceof VarCommand.Help) nb.print(VarSyntax.help());
            else if (command instanceof VarCommand.Load c) load(c, nb, cancel);
            else if (command instanceof VarCommand.Generate c) generate(c, nb, cancel);
            else if (command instanceof VarCommand.Tokenize c) tokenize(c, nb, cancel);
            else if (command instanceof VarCommand.Reconstruct c) reconstruct(c, nb, cancel);
            else if (command instanceof VarCommand.Edit c) edit(c, nb, cancel);
            else if (command instanceof VarCommand.Train c) train(c, nb, cancel);
        } catch (VarMagicError e) {
            throw e.getMessage().startsWith("%") ? e : new VarMagicError(name + ": " + e.getMessage());
        } catch (CancelledException e) {
            throw new VarMagicError(name + ": interrupted");
        } catch (Exception | OutOfMemoryError e) {
            throw new VarMagicError(name + ": " + oneLine(e));
        } finally {
            VarSession.finish();
        }
    }

    // ---------------------------------------------------------------- one method per command

    private static void load(VarCommand.Load c, Notebook nb, CancelToken cancel) throws IOException {
        Path file = c.file() == null ? ShippedModel.path() : existing(c.file());
        String name = c.file() == null ? "shipped model" : c.file().toString();
        long modified = Files.getLastModifiedTime(file).toMillis();
        if (VarSession.hasModel() && file.equals(VarSession.loadedFile()) && c.device().equals(VarSession.device())
                && modified == VarSession.loadedModified()) {
            nb.print(name + " (already loaded in this session)\n" + VarSession.model().summary());
            return;
        }
        Notebook.Progress[] line = {null};
        long[] shown = {0};
        VarModel m = VarModel.load(file, Devices.parse(c.device()), (stage, done, total) -> {
            checkInterrupt(cancel);
            cancel.check();
            long now = System.currentTimeMillis();
            if (now - shown[0] < PROGRESS_EVERY_MS && done < total) return;
            shown[0] = now;
            String text = String.format(Locale.ROOT, "loading %s: %.0f of %.0f MB", name, done / 1e6, total / 1e6);
            if (line[0] == null) line[0] = nb.progress(text);
            else line[0].update(text);
        });
        VarSession.setModel(m, c.file(), c.device());
        VarSession.setLoaded(file, modified);
        nb.print(name + "\n" + m.summary());
    }

    private static void generate(VarCommand.Generate c, Notebook nb, CancelToken cancel) {
        VarModel m = VarSession.model();
        SampleOptions o = SampleOptions.defaults().withClass(m.classIndex(c.classSpec())).withCount(c.count())
                .withCfg(c.cfg()).withTopK(c.topK()).withTopP(c.topP()).withSeed(c.seed()).withBatch(c.batch());
        if (!c.scales()) {
            List<Image> images = m.generate(o, progress(nb, "generate", cancel), cancel);
            VarSession.setImages(images);
            show(nb, Pictures.grid(images, Math.min(images.size(), 8)));
            return;
        }
        // coarse to fine: one picture, one row per image, redrawn in place after each scale
        Notebook.Picture live = nb.picture();
        ScaleFrames[] holder = new ScaleFrames[1];
        holder[0] = new ScaleFrames((scale, side, first, batch) ->
                live.update(Pictures.strips(holder[0].perImage().subList(first, first + batch.size()), holder[0].sides())));
        List<Image> images = m.generate(o, progress(nb, "generate", cancel), cancel, holder[0]);
        VarSession.setImages(images);
        VarSession.setScales(holder[0].perImage());
        if (holder[0].perImage().isEmpty()) {                     // a raster-order model has no scales
            show(nb, Pictures.grid(images, Math.min(images.size(), 8)));
            nb.print("this model generates token by token (raster order): it has no scales to show");
            return;
        }
        BufferedImage all = Pictures.strips(holder[0].perImage(), holder[0].sides());
        live.update(all);
        live.done();
        VarSession.setPicture(all);
        nb.print(String.format(Locale.ROOT, "coarse to fine: %d scales per image (left to right); decoding them took %.2f s; frames in VarSession.scales()",
                holder[0].numScales(), holder[0].decodeSeconds()));
    }

    private static void tokenize(VarCommand.Tokenize c, Notebook nb, CancelToken cancel) throws IOException {
        VarModel m = VarSession.model();
        Image img = ImageFiles.read(c.image(), c.range()).unit();
        TiledTokens tiled = Tiles.tokenize(m, img, PixelScale.parse(c.scale()), c.batch(), progress(nb, "tokenize", cancel), cancel);
        VarSession.setTiles(tiled);
        if (tiled.tiles().size() > 1) {
            VarSession.setPyramid(tiled.tiles().get(0).tokens());
            nb.print(String.format(Locale.ROOT, "%d tiles (%d rows x %d columns) of %dx%d px; each tile's token maps and its place in the "
                    + "image in VarSession.tiles()", tiled.tiles().size(), tiled.rows(), tiled.cols(), img.width(), img.height()));
            return;
        }
        TokenPyramid p = tiled.tiles().get(0).tokens();
        VarSession.setPyramid(p);
        List<BufferedImage> row = new ArrayList<>(List.of(img.toBufferedImage()));
        List<String> captions = new ArrayList<>(List.of("input"));
        for (Image map : Render.pyramid(p, Math.max(img.height(), img.width()))) row.add(map.toBufferedImage());
        int tokens = 0;
        for (int s : p.sides()) {
            captions.add(s + "x" + s);
            tokens += s * s;
        }
        show(nb, Pictures.captioned(row, captions));
        List<Image> frames = m.coarseToFine(img);
        VarSession.setScales(List.of(frames));
        show(nb, Pictures.strips(List.of(frames), p.sides()));
        nb.print(p.numScales() + " scales, " + tokens + " tokens (colour = codebook index); below them the image decoded after each scale, "
                + "coarse to fine; ids in VarSession.pyramid(), frames in VarSession.scales()");
    }

    private static void reconstruct(VarCommand.Reconstruct c, Notebook nb, CancelToken cancel) throws IOException {
        VarModel m = VarSession.model();
        Image img = ImageFiles.read(c.image(), c.range()).unit();
        Image rec = Tiles.reconstruct(m, img, PixelScale.parse(c.scale()), c.batch(), progress(nb, "reconstruct", cancel), cancel);
        double psnr = psnr(img, rec);
        VarSession.setImages(List.of(img, rec));
        VarSession.setPsnr(psnr);
        show(nb, Pictures.captioned(List.of(img.toBufferedImage(), rec.toBufferedImage()),
                List.of("input", String.format(Locale.ROOT, "reconstruction, PSNR %.2f dB", psnr))));
        nb.print(String.format(Locale.ROOT, "PSNR %.2f dB", psnr));
    }

    private static void edit(VarCommand.Edit c, Notebook nb, CancelToken cancel) throws IOException {
        VarModel m = VarSession.model();
        Image img = ImageFiles.read(c.image(), c.range()).unit();
        int cls = c.classSpec() == null ? SampleOptions.UNCONDITIONAL : m.classIndex(c.classSpec());
        SampleOptions o = SampleOptions.defaults().withClass(cls).withCount(1).withSeed(c.seed());
        PixelScale scale = PixelScale.parse(c.scale());
        ProgressListener progress = progress(nb, nameOf(c).substring("%var ".length()), cancel);
        Image out;
        BufferedImage before = img.toBufferedImage();
        if (c.extend() != null) {
            out = EditWindows.extend(m, img, Extension.parse(c.extend()), o, SeamMode.BLEND, scale, progress, cancel);
        } else {
            EditMask mask = c.box() != null ? EditMask.parseBox(c.box(), img.height(), img.width()) : EditMask.parseRect(c.rect(), img.height(), img.width());
            out = EditWindows.edit(m, img, mask, c.mode(), o, SeamMode.BLEND, scale, progress, cancel, ScaleListener.NONE);
            before = Pictures.withBox(before, c.box() != null ? box(c.box()) : rectAsBox(c.rect(), img));
        }
        VarSession.setImages(List.of(img, out));
        String what = c.mode() == EditMode.INPAINT ? "in-painted" : c.mode() == EditMode.OUTPAINT ? "out-painted"
                : "edited to class " + c.classSpec();
        show(nb, Pictures.captioned(List.of(before, out.toBufferedImage()), List.of("before", what)));
    }

    /** A pixel rectangle x,y,w,h as the fractions y0,x0,y1,x1 the pictures draw. */
    private static double[] rectAsBox(String rect, Image img) {
        String[] p = rect.trim().split("\\s*,\\s*");
        double x = Double.parseDouble(p[0]), y = Double.parseDouble(p[1]), w = Double.parseDouble(p[2]), h = Double.parseDouble(p[3]);
        return new double[] {y / img.height(), x / img.width(), (y + h) / img.height(), (x + w) / img.width()};
    }

    private static void train(VarCommand.Train c, Notebook nb, CancelToken cancel) throws IOException {
        TrainOptions options = TrainOptions.parse(c.options());
        List<TrainEvent> history = new ArrayList<>();
        Notebook.Progress line = nb.progress(c.phase() + ": starting");
        Notebook.Picture lossPlot = nb.picture(), preview = nb.picture();           // replaced in place every preview_every steps
        boolean[] previewed = {false};
        long started = System.nanoTime();
        TrainListener listener = new TrainListener() {
            long shown;

            @Override
            public void onStep(TrainEvent e) {
                history.add(e);
                checkInterrupt(cancel);
                long now = System.currentTimeMillis();
                if (now - shown >= PROGRESS_EVERY_MS || e.step() >= e.totalSteps()) {
                    shown = now;
                    line.update(describe(e));
                }
            }

            @Override
            public void onMessage(String message) {
                nb.print(message);
            }

            @Override
            public void onValidation(ValidationEvent e) {
                nb.print(e.describe());
            }

            @Override
            public void onPreview(TrainPreview p) {
                previewed[0] = true;
                lossPlot.update(p.lossPlot().toBufferedImage());
                if (p.picture() != null) preview.update(p.picture().toBufferedImage());
            }
        };
        Path out;
        try {
            out = c.phase().equals("tokenizer") ? Training.trainTokenizer(options, listener, cancel) : Training.trainVar(options, listener, cancel);
        } finally {
            lossPlot.done();
            preview.done();
        }
        VarSession.setHistory(history, out);
        double seconds = (System.nanoTime() - started) / 1e9;
        if (!history.isEmpty()) {
            TrainEvent last = history.get(history.size() - 1);
            line.update(String.format(Locale.ROOT, "%s: %d steps in %s, final loss %.4f", c.phase(), last.step(),
                    clock(seconds), last.loss()));
        }
        if (!history.isEmpty() && !previewed[0]) {                                      // no live plot (preview_every=0): the curve at the end
            long[] steps = new long[history.size()];
            double[] losses = new double[history.size()];
            for (int i = 0; i < steps.length; i++) {
                steps[i] = history.get(i).step();
                losses[i] = history.get(i).loss();
            }
            show(nb, Pictures.lossCurve(c.phase() + " training loss", steps, losses));
        }
        String device = c.options().getOrDefault("device", VarSession.device());
        VarModel m = VarModel.load(out, Devices.parse(device));
        VarSession.setModel(m, out, device);
        nb.print("wrote " + out + " (now the current model)\n" + m.summary());
    }

    // ---------------------------------------------------------------- helpers

    private static void show(Notebook nb, BufferedImage picture) {
        VarSession.setPicture(picture);
        nb.show(picture);
    }

    /** A progress listener that rewrites one line ("inpaint: sampling 3/6"), rate limited, and turns a thread interrupt into a cancel. */
    private static ProgressListener progress(Notebook nb, String name, CancelToken cancel) {
        Notebook.Progress[] line = {null};
        long[] shown = {0};
        return (stage, done, total) -> {
            checkInterrupt(cancel);
            long now = System.currentTimeMillis();
            if (now - shown[0] < PROGRESS_EVERY_MS && done < total) return;
            shown[0] = now;
            String text = (stage.equals(name) ? name : name + ": " + stage) + " " + done + "/" + total;
            if (line[0] == null) line[0] = nb.progress(text);
            else line[0].update(text);
        };
    }

    private static void checkInterrupt(CancelToken cancel) {
        if (Thread.interrupted()) cancel.cancel();
    }

    static String describe(TrainEvent e) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s step %d/%d  loss %.4f", e.phase(), e.step(), e.totalSteps(), e.loss()));
        if (Double.isFinite(e.accuracy())) sb.append(String.format(Locale.ROOT, "  acc %.1f%%", 100 * e.accuracy()));
        if (Double.isFinite(e.imagesPerSecond())) sb.append(String.format(Locale.ROOT, "  %.0f img/s", e.imagesPerSecond()));
        if (Double.isFinite(e.etaSeconds())) sb.append("  ETA ").append(clock(e.etaSeconds()));
        return sb.toString();
    }

    static String clock(double seconds) {
        long s = Math.round(Math.max(0, seconds));
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    static Path existing(Path p) throws NoSuchFileException {
        if (!Files.exists(p)) throw new NoSuchFileException(p.toAbsolutePath().toString());
        return p;
    }

    static Image readImage(Path p) throws IOException {
        return ImageFiles.read(p);
    }

    /** PSNR in dB of the reconstruction against the input (core's metric; channels converted to the input's first). */
    static double psnr(Image input, Image reconstruction) {
        return ImageMetrics.psnr(input, ImageAdapter.convertChannels(reconstruction, input.channels()));
    }

    private static double[] box(String spec) {
        String[] p = spec.trim().split("\\s*,\\s*");
        double[] v = new double[4];
        for (int i = 0; i < 4; i++) v[i] = Double.parseDouble(p[i]);
        return v;
    }

    static String nameOf(VarCommand c) {
        if (c instanceof VarCommand.Train) return "%%var train";
        if (c instanceof VarCommand.Edit e)
            return "%var " + (e.mode() == EditMode.INPAINT ? "inpaint" : e.mode() == EditMode.OUTPAINT ? "outpaint" : "edit");
        return "%var " + c.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    /** One line for any failure: the message of what went wrong, never a stack trace. */
    static String oneLine(Throwable e) {
        if (e instanceof UncheckedIOException u && u.getCause() != null) e = u.getCause();
        if (e instanceof OutOfMemoryError) return "out of memory: use a smaller batch or n, or give Java more memory (-Xmx)";
        String gpu = org.nextscale.core.api.Devices.explain(e, "batch= (micro_batch= when training; a training run keeps its last checkpoint)");
        if (gpu != null) return gpu;
        if (e instanceof NoSuchFileException) return "no such file: " + e.getMessage();
        String m = e.getMessage();
        if (m == null || m.isBlank()) m = e.getClass().getSimpleName();
        m = m.strip().replaceAll("\\s*\\R\\s*", "; ");
        if (e instanceof IOException || e instanceof IllegalArgumentException || e instanceof IllegalStateException) return m;
        return m + " (" + e.getClass().getSimpleName() + ")";
    }
}
