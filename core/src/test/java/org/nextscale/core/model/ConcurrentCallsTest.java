package org.nextscale.core.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.TestPaths;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.EditMask;
import org.nextscale.core.api.EditMode;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.api.VarModel;

/**
 * Campaign 4 of issue 12 (core part): two threads sampling and editing through one loaded {@link VarModel}
 * at the same time get exactly the images the same calls give one after another, round after round, and a
 * call cancelled in one thread does not disturb the other.
 */
class ConcurrentCallsTest {
    @TempDir
    Path dir;

    private static final int ROUNDS = 4;

    @Test
    void twoThreadsGetTheImagesOfSequentialCalls() throws Exception {
        try (VarModel m = VarModel.load(TestPaths.parityModel("tiny-a", dir), Device.cpu())) {
            Image input = gradient();
            EditMask box = EditMask.box(32, 32, 0.25, 0.25, 0.75, 0.75);
            List<Callable<List<float[]>>> calls = List.of(
                    () -> pixels(m.generate(SampleOptions.defaults().withClass(3).withCount(3).withSeed(11).withTopK(20), ProgressListener.NONE, CancelToken.none())),
                    () -> pixels(List.of(m.edit(input, box, EditMode.INPAINT, SampleOptions.defaults().withClass(5).withCount(1).withSeed(4), ProgressListener.NONE, CancelToken.none()))),
                    () -> pixels(m.generate(SampleOptions.defaults().withClass(-1).withCount(2).withSeed(2).withSmooth(true), ProgressListener.NONE, CancelToken.none())),
                    () -> pixels(List.of(m.reconstruct(input))));
            List<List<float[]>> sequential = new ArrayList<>();
            for (Callable<List<float[]>> c : calls) sequential.add(c.call());

            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                int compared = 0;
                for (int round = 0; round < ROUNDS; round++) {
                    CyclicBarrier start = new CyclicBarrier(2);
                    int shift = round;
                    // thread A runs the calls in order, thread B in reverse order, both starting together
                    Future<List<List<float[]>>> a = pool.submit(() -> runAll(calls, start, shift, false));
                    Future<List<List<float[]>>> b = pool.submit(() -> runAll(calls, start, shift, true));
                    for (Future<List<List<float[]>>> f : List.of(a, b)) {
                        List<List<float[]>> got = f.get();
                        for (int i = 0; i < calls.size(); i++) {
                            assertEquals(sequential.get(i).size(), got.get(i).size());
                            for (int j = 0; j < got.get(i).size(); j++)
                                assertArrayEquals(sequential.get(i).get(j), got.get(i).get(j), "call " + i + " image " + j + " in round " + round);
                            compared += got.get(i).size();
                        }
                    }
                }
                System.out.println("concurrency (core): " + compared + " images from 2 threads on one model equal the sequential ones");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void cancellingOneThreadsCallLeavesTheOtherUntouched() throws Exception {
        try (VarModel m = VarModel.load(TestPaths.parityModel("tiny-a", dir), Device.cpu())) {
            SampleOptions keep = SampleOptions.defaults().withClass(7).withCount(2).withSeed(3);
            List<float[]> alone = pixels(m.generate(keep, ProgressListener.NONE, CancelToken.none()));
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                CancelToken stop = new CancelToken();
                Future<?> cancelled = pool.submit(() -> m.generate(SampleOptions.defaults().withCount(64).withSeed(1),
                        (stage, done, total) -> { if (done > 0) stop.cancel(); }, stop));
                Future<List<float[]>> other = pool.submit(() -> pixels(m.generate(keep, ProgressListener.NONE, CancelToken.none())));
                Exception e = assertThrows(Exception.class, cancelled::get);
                assertInstanceOf(org.nextscale.core.api.CancelledException.class, e.getCause());
                List<float[]> got = other.get();
                for (int i = 0; i < alone.size(); i++) assertArrayEquals(alone.get(i), got.get(i));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static List<List<float[]>> runAll(List<Callable<List<float[]>>> calls, CyclicBarrier start, int shift, boolean reverse) throws Exception {
        start.await();
        List<List<float[]>> out = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) out.add(null);
        for (int k = 0; k < calls.size(); k++) {
            int i = Math.floorMod((reverse ? -k : k) + shift, calls.size());
            out.set(i, calls.get(i).call());
        }
        return out;
    }

    private static List<float[]> pixels(List<Image> images) {
        return images.stream().map(Image::data).toList();
    }

    private static Image gradient() {
        float[] d = new float[3 * 32 * 32];
        for (int i = 0; i < d.length; i++) d[i] = (i % 97) / 96f;
        return new Image(3, 32, 32, d);
    }
}
