package org.nextscale.jupyter;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.TokenPyramid;
import org.nextscale.core.api.TrainEvent;
import org.nextscale.core.api.VarModel;

/**
 * What the magics leave behind, for Java code in later cells: the current model, the images of the last
 * command, the last token pyramid, PSNR and training history, plus the variables magics expand
 * ({@code $name}). One session per kernel (static state: the magics and the cells share the class).
 *
 * <pre>
 * VarModel m = VarSession.model();              // the model %var load or %%var train made current
 * BufferedImage first = VarSession.images().get(0);   // e.g. the samples of the last %var generate
 * VarSession.let("steps", quick ? 40 : 2000);    // then: %%var train ... steps=$steps
 * </pre>
 */
public final class VarSession {
    private VarSession() {}

    private static volatile VarModel model;
    private static volatile Path modelFile;
    private static volatile String device = org.nextscale.core.api.Devices.DEFAULT;
    private static volatile List<Image> images = List.of();
    private static volatile List<List<Image>> scales = List.of();
    private static volatile BufferedImage picture;
    private static volatile TokenPyramid pyramid;
    private static volatile double psnr = Double.NaN;
    private static volatile List<TrainEvent> history = List.of();
    private static volatile Path trained;
    private static volatile CancelToken running;
    private static final Map<String, Object> variables = new ConcurrentHashMap<>();

    /** The current model; fails with a clear message when none is loaded. */
    public static VarModel model() {
        VarModel m = model;
        if (m == null) throw new VarMagicError("no model loaded: run %var load [PATH] (or %%var train) first");
        return m;
    }

    /** True when a model is loaded. */
    public static boolean hasModel() {
        return model != null;
    }

    /** The file the current model came from (null for the shipped model or one set with {@link #use}). */
    public static Path modelFile() {
        return modelFile;
    }

    /** Makes a model loaded in Java the current one (closes the previous one unless it is the same). */
    public static void use(VarModel m) {
        setModel(m, null, device);
    }

    /** The result images of the last command (samples, reconstruction, edit result), as RGB/gray pictures. */
    public static List<BufferedImage> images() {
        List<BufferedImage> out = new ArrayList<>();
        for (Image i : images) out.add(i.toBufferedImage());
        return out;
    }

    /** The last result image (the last sample, the reconstruction, the edited image). */
    public static BufferedImage image() {
        List<Image> l = images;
        if (l.isEmpty()) throw new VarMagicError("no images yet: run %var generate, reconstruct or an edit first");
        return l.get(l.size() - 1).toBufferedImage();
    }

    /** The result images of the last command as float images in [0, 1] (core's {@link Image}). */
    public static List<Image> rawImages() {
        return images;
    }

    /** The last picture shown inline (grid, pyramid, before/after, loss curve). */
    public static BufferedImage picture() {
        return picture;
    }

    /** The token pyramid of the last %var tokenize. */
    private static volatile org.nextscale.core.api.TiledTokens tiles;

    public static TokenPyramid pyramid() {
        return pyramid;
    }

    /** The coarse-to-fine frames of the last %var generate scales=true or %var tokenize, [image][scale]. */
    public static List<List<Image>> scales() {
        return scales;
    }

    static void setScales(List<List<Image>> s) {
        scales = List.copyOf(s);
    }

    /** PSNR in dB of the last %var reconstruct (NaN before). */
    public static double psnr() {
        return psnr;
    }

    /** Every step reported by the last %%var train. */
    public static List<TrainEvent> history() {
        return history;
    }

    /** The model file written by the last %%var train. */
    public static Path trainedFile() {
        return trained;
    }

    /** Sets a variable that magics expand as $name or ${name}. */
    public static void let(String name, Object value) {
        if (value == null) variables.remove(name);
        else variables.put(name, value);
    }

    /** The value of a magic variable (null when unset). */
    public static Object variable(String name) {
        return variables.get(name);
    }

    /** Cancels the running magic, if any (a kernel calls this on interrupt). */
    public static void interrupt() {
        CancelToken t = running;
        if (t != null) t.cancel();
    }

    // ---------------------------------------------------------------- used by the magics

    static synchronized void setModel(VarModel m, Path file, String dev) {
        VarModel old = model;
        model = m;
        modelFile = file;
        device = dev;
        loadedFile = null;
        if (old != null && old != m) old.close();
    }

    private static volatile Path loadedFile;
    private static volatile long loadedModified;

    /** The file (resolved) and its modification time of the model %var load read, so loading it again is free. */
    static void setLoaded(Path file, long modified) {
        loadedFile = file;
        loadedModified = modified;
    }

    static Path loadedFile() {
        return loadedFile;
    }

    static long loadedModified() {
        return loadedModified;
    }

    static String device() {
        return device;
    }

    static void setImages(List<Image> l) {
        images = List.copyOf(l);
    }

    static void setPicture(BufferedImage p) {
        picture = p;
    }

    /** The last tokenize's token maps of every tile with its place in the image (one tile for an image no larger than the model). */
    public static org.nextscale.core.api.TiledTokens tiles() {
        return tiles;
    }

    static void setTiles(org.nextscale.core.api.TiledTokens t) {
        tiles = t;
    }

    static void setPyramid(TokenPyramid p) {
        pyramid = p;
    }

    static void setPsnr(double v) {
        psnr = v;
    }

    static void setHistory(List<TrainEvent> h, Path file) {
        history = List.copyOf(h);
        trained = file;
    }

    static CancelToken start() {
        CancelToken t = new CancelToken();
        running = t;
        return t;
    }

    static void finish() {
        running = null;
    }
}
