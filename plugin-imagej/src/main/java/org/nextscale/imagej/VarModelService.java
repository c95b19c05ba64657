package org.nextscale.imagej;

import ai.djl.Device;
import ij.IJ;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nextscale.core.api.Devices;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.ShippedModel;
import org.nextscale.core.api.VarModel;
import org.scijava.plugin.Plugin;
import org.scijava.service.AbstractService;
import org.scijava.service.SciJavaService;
import org.scijava.service.Service;

/**
 * Keeps loaded models so that repeated commands do not reload them: one {@link VarModel} per model file
 * (reloaded when the file changes on disk, e.g. after training wrote it again) or the shipped model, the
 * {@link #KEEP} most recently used ones.
 * Models run on the device named by the system property {@code nextscale.device} (auto, the default: the first GPU when PyTorch has CUDA, else the CPU; cpu, gpu, gpu:N;
 * default cpu). A model is not safe for concurrent calls: callers synchronize on it.
 */
@Plugin(type = Service.class)
public class VarModelService extends AbstractService implements SciJavaService {

    private static final String SHIPPED = "<shipped>";
    /** Models kept loaded at once; big models take gigabytes, so older ones are closed. */
    static final int KEEP = 2;
    /** Model files above this size (bytes) get a Log note of the memory they hold when loaded. */
    static final long LARGE = 100_000_000L;

    private record Entry(VarModel model, long modified, long size) {}

    private final Map<String, Entry> models = new LinkedHashMap<>(8, 0.75f, true); // least recently used first

    /** The model in {@code file}, or the shipped model when {@code file} is null or empty. */
    public VarModel model(File file) throws IOException {
        return model(file, ProgressListener.NONE);
    }

    /**
     * As {@link #model(File)}; a model not loaded yet is read with {@code progress} ("load", bytes), and the
     * Log says once what it holds in memory (a model too large for the free memory is refused before reading).
     */
    public synchronized VarModel model(File file, ProgressListener progress) throws IOException {
        boolean shipped = file == null || file.getPath().isBlank();
        Path path = shipped ? null : file.toPath().toAbsolutePath().normalize();
        if (!shipped && !Files.isRegularFile(path))
            throw new IOException("model file not found: " + path + " (give model=[path to a .zip model], or leave it out to use the shipped model)");
        String key = shipped ? SHIPPED : path.toString();
        long modified = shipped ? 0 : Files.getLastModifiedTime(path).toMillis();
        long size = shipped ? 0 : Files.size(path);
        Entry e = models.get(key);
        if (e != null && e.modified == modified && e.size == size) return e.model;
        if (e != null) closeQuietly(models.remove(key).model);
        while (models.size() >= KEEP) {
            String oldest = models.keySet().iterator().next();
            closeQuietly(models.remove(oldest).model);
        }
        long t0 = System.nanoTime();
        VarModel m = withPluginClassLoader(() -> VarModel.load(shipped ? ShippedModel.path() : path, device(), progress));
        models.put(key, new Entry(m, modified, size));
        if (size > LARGE) {                                  // a large model is worth a note of what it holds (small ones load in a blink)
            String weights = m.summary().lines().filter(l -> l.startsWith("weights:")).findFirst().orElse("").replaceFirst("^weights:\\s*", "");
            IJ.log(String.format(java.util.Locale.ROOT, "VAR: loaded %s in %.1f s (%s); kept loaded for the next commands",
                    path.getFileName(), (System.nanoTime() - t0) / 1e9, weights));
        }
        return m;
    }

    /** Loads a freshly written model file now, so the next command that names it starts at once. */
    public void preload(Path file) throws IOException {
        model(file.toFile());
    }

    /** Whether the model in {@code file}, as it is on disk now, is loaded. */
    public synchronized boolean isLoaded(File file) throws IOException {
        Path path = file.toPath().toAbsolutePath().normalize();
        Entry e = models.get(path.toString());
        return e != null && Files.isRegularFile(path) && e.modified == Files.getLastModifiedTime(path).toMillis() && e.size == Files.size(path);
    }

    @Override
    public synchronized void dispose() {
        for (Entry e : models.values()) closeQuietly(e.model);
        models.clear();
    }

    private static Device device() {
        return Devices.parse(System.getProperty("nextscale.device", Devices.DEFAULT));
    }

    private interface Load {
        VarModel load() throws IOException;
    }

    /**
     * DJL finds its engine and native library through the thread's context class loader; inside ImageJ
     * that must be the loader that loaded the plugin jars. Nothing may be downloaded at run time, so DJL
     * runs offline unless the user said otherwise; and the shipped model is looked up next to the plugin
     * (Fiji.app/models or ImageJ/models) unless its location was given.
     */
    private VarModel withPluginClassLoader(Load load) throws IOException {
        if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
        if (System.getProperty("nextscale.home") == null && System.getProperty("nextscale.model") == null
                && System.getenv("NEXTSCALE_MODEL") == null) {
            Path home = installFolder();
            if (home != null && Files.isDirectory(home.resolve("models"))) System.setProperty("nextscale.home", home.toString());
        }
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(VarModelService.class.getClassLoader());
        try {
            return load.load();
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    /** Fiji.app (or the ImageJ folder) when this class was loaded from its plugins/ folder, else null. */
    static Path installFolder() {
        try {
            Path jar = Path.of(VarModelService.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path plugins = jar.getParent();
            if (plugins == null || plugins.getFileName() == null || !plugins.getFileName().toString().equals("plugins")) return null;
            return plugins.getParent();
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** Closes a model once no command is using it (commands hold its lock while they work). */
    private static void closeQuietly(VarModel m) {
        try {
            synchronized (m) {
                m.close();
            }
        } catch (RuntimeException ignored) {
            // a model that fails to close has nothing left worth reporting
        }
    }
}
