package org.nextscale.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.resource.ResourceInformation;
import org.nextscale.core.api.Devices;
import org.nextscale.core.api.VarModel;

/**
 * The models of one executor JVM: one per model file and device, loaded from the broadcast bytes the first time
 * a task needs it and kept for every later task and job of this JVM. {@link VarModel} is safe to call from
 * several threads at once (each call has its own scoped NDManager), so the concurrent tasks of an executor share
 * it: one copy of the weights per device, not one per task slot.
 *
 * <p>On a node with several GPUs Spark gives each task its own ({@code spark.task.resource.gpu.amount=1}); with
 * the device "auto" or "gpu" a task then runs on the GPU Spark assigned to it ({@link #deviceFor}), not on gpu:0.
 */
final class ModelPool {
    private static final Map<String, VarModel> MODELS = new HashMap<>();
    /** One lock per model and device, so a slow load of one does not hold up tasks that use another. */
    private static final Map<String, Object> LOADING = new HashMap<>();
    /** sha256 -> the model's file in this JVM: loaded models read part of it (the encoder) on first use. */
    private static final Map<String, Path> FILES = new HashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    private ModelPool() {}

    /** Closes every model (bench: each master starts cold). Call only when no task is running. */
    static void clear() {
        synchronized (MODELS) {
            MODELS.values().forEach(VarModel::close);
            MODELS.clear();
        }
        synchronized (FILES) {
            for (Path f : FILES.values()) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    // deleted when the JVM exits
                }
            }
            FILES.clear();
        }
    }

    /** Models loaded in this JVM since it started (tests: concurrent tasks share one). */
    static int loads() {
        return LOADS.get();
    }

    /**
     * The device a task runs on: the GPU Spark assigned to the task when the job asks for "auto" or "gpu" and the
     * task has one, else the job's own choice. {@code taskGpus} are the task's GPU addresses (null or empty: none).
     */
    static String deviceFor(String spec, String[] taskGpus) {
        return Devices.leavesGpuOpen(spec) && taskGpus != null && taskGpus.length > 0 ? "gpu:" + taskGpus[0].trim() : spec;
    }

    /** The GPU addresses Spark assigned to the running task (empty outside a task or without GPU scheduling). */
    private static String[] taskGpus() {
        TaskContext task = TaskContext.get();
        if (task == null) return new String[0];
        ResourceInformation gpu = task.resources().get("gpu").getOrElse(() -> null);
        return gpu == null ? new String[0] : gpu.addresses();
    }

    /**
     * The model's file, written once per JVM from the broadcast bytes and shared by every model made from it. It
     * stays until {@link #clear} or the JVM's exit, as a loaded model reads its encoder from it on first use.
     */
    private static Path file(ModelRef ref, byte[] bytes) throws IOException {
        synchronized (FILES) {
            Path f = FILES.get(ref.sha256());
            if (f != null && Files.isRegularFile(f)) return f;
            f = Files.createTempFile("nextscale-model-", ".zip");
            f.toFile().deleteOnExit();
            Files.write(f, bytes);
            FILES.put(ref.sha256(), f);
            return f;
        }
    }

    /** The model for this task, on the task's device: loaded once per JVM and device, then shared. */
    static VarModel model(ModelRef ref, Broadcast<byte[]> bytes) {
        String device = deviceFor(ref.device(), taskGpus());
        String key = ref.sha256() + "@" + device;
        Object lock;
        synchronized (MODELS) {
            VarModel m = MODELS.get(key);
            if (m != null) return m;
            lock = LOADING.computeIfAbsent(key, k -> new Object());
        }
        synchronized (lock) {
            synchronized (MODELS) {
                VarModel m = MODELS.get(key);
                if (m != null) return m;
            }
            VarModel m = load(ref, bytes.value(), device);
            synchronized (MODELS) {
                MODELS.put(key, m);
            }
            return m;
        }
    }

    private static VarModel load(ModelRef ref, byte[] bytes, String device) {
        try {
            VarModel m = VarModel.load(file(ref, bytes), Devices.parse(device));
            LOADS.incrementAndGet();
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the model " + ref.name() + " on an executor: " + e.getMessage(), e);
        }
    }
}
