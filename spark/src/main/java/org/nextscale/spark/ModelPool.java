package org.nextscale.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.broadcast.Broadcast;
import org.nextscale.core.api.Devices;
import org.nextscale.core.api.VarModel;

/**
 * The models of one executor JVM. A model is loaded from the broadcast bytes of its file the first time a
 * task needs it and then kept for every later task and job of this JVM. {@link VarModel} is not
 * thread-safe, so a task borrows one for the length of its partition; with several task slots per
 * executor at most one model per concurrently running task is made (for the usual one-core-per-task
 * setting, one per executor core).
 */
final class ModelPool {
    private static final Map<String, Deque<VarModel>> FREE = new HashMap<>();
    /** sha256 -> the model's file in this JVM: loaded models read part of it (the encoder) on first use. */
    private static final Map<String, Path> FILES = new HashMap<>();

    private ModelPool() {}

    /** A borrowed model; closing returns it to the pool. */
    record Lease(String key, VarModel model) implements AutoCloseable {
        @Override
        public void close() {
            synchronized (FREE) {
                FREE.computeIfAbsent(key, k -> new ArrayDeque<>()).push(model);
            }
        }
    }

    /** Closes every idle model (bench: each master starts cold). */
    static void clear() {
        synchronized (FREE) {
            FREE.values().forEach(d -> d.forEach(VarModel::close));
            FREE.clear();
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

    /**
     * The model's file, written once per JVM from the broadcast bytes and shared by every copy of the model made
     * here. It stays until {@link #clear} or the JVM's exit, as a loaded model reads its encoder from it on first
     * use (tokenize, reconstruct, edit).
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

    static Lease borrow(ModelRef ref, Broadcast<byte[]> bytes) {
        String key = ref.sha256() + "@" + ref.device();
        synchronized (FREE) {
            Deque<VarModel> free = FREE.get(key);
            if (free != null && !free.isEmpty()) return new Lease(key, free.pop());
        }
        return new Lease(key, load(ref, bytes.value()));
    }

    private static VarModel load(ModelRef ref, byte[] bytes) {
        try {
            return VarModel.load(file(ref, bytes), Devices.parse(ref.device()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the model " + ref.name() + " on an executor: " + e.getMessage(), e);
        }
    }
}
