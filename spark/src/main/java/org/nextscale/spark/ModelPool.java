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
            Path tmp = Files.createTempFile("nextscale-model-", ".zip");
            try {
                Files.write(tmp, bytes);
                return VarModel.load(tmp, Devices.parse(ref.device()));
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the model " + ref.name() + " on an executor: " + e.getMessage(), e);
        }
    }
}
