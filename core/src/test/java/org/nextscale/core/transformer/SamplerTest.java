package org.nextscale.core.transformer;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.CancelledException;
import org.nextscale.core.api.EditMask;
import org.nextscale.core.api.EditMode;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.SampleOptions;

/** Behaviour of stochastic sampling and editing (tiny-a weights). */
class SamplerTest {

    @Test
    void seedDeterminesTheImages() throws IOException {
        try (ParityCase pc = ParityCase.load("tiny-a"); NDManager m = pc.manager.newSubManager()) {
            Sampler sampler = pc.sampler();
            SampleOptions o = new SampleOptions(3, 2, 1.5, 0, 0, 42, false);
            float[] a = sampler.generate(m, o, ProgressListener.NONE, CancelToken.none()).toFloatArray();
            float[] b = sampler.generate(m, o, ProgressListener.NONE, CancelToken.none()).toFloatArray();
            float[] c = sampler.generate(m, o.withSeed(43), ProgressListener.NONE, CancelToken.none()).toFloatArray();
            assertArrayEquals(a, b, "same seed, same images");
            assertTrue(maxDiff(a, c) > 0.05, "different seeds give different images, max diff " + maxDiff(a, c));
            for (float v : a) assertTrue(v >= 0 && v <= 1, "images are in [0, 1]");
            // top-p and smoothing run and stay reproducible
            SampleOptions smooth = o.withTopK(10).withTopP(0.9).withSmooth(true);
            float[] s1 = sampler.generate(m, smooth, ProgressListener.NONE, CancelToken.none()).toFloatArray();
            float[] s2 = sampler.generate(m, smooth, ProgressListener.NONE, CancelToken.none()).toFloatArray();
            assertArrayEquals(s1, s2);
            assertTrue(maxDiff(a, s1) > 0.01, "smoothing changes the images");
        }
    }

    @Test
    void cancellationStopsBetweenScales() throws IOException {
        try (ParityCase pc = ParityCase.load("tiny-a"); NDManager m = pc.manager.newSubManager()) {
            Sampler sampler = pc.sampler();
            CancelToken cancel = new CancelToken();
            List<Long> done = new ArrayList<>();
            ProgressListener stopAfterTwo = (stage, d, total) -> {
                done.add(d);
                if (d == 2) cancel.cancel();
            };
            int before = VarTransformerTest.resourceCount(m);
            assertThrows(CancelledException.class, () -> sampler.generate(m, SampleOptions.defaults().withCount(1), stopAfterTwo, cancel));
            assertEquals(List.of(1L, 2L), done);
            assertEquals(before + 1, VarTransformerTest.resourceCount(m), "only the labels array stays after a cancelled run");
        }
    }

    @Test
    void badArgumentsGiveClearMessages() throws IOException {
        try (ParityCase pc = ParityCase.load("tiny-a"); NDManager m = pc.manager.newSubManager()) {
            Sampler sampler = pc.sampler();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> sampler.generate(m, SampleOptions.defaults().withClass(10), ProgressListener.NONE, CancelToken.none()));
            assertTrue(e.getMessage().contains("classes 0..9"), e.getMessage());
            Editor editor = new Editor(sampler);
            NDArray img = m.zeros(new ai.djl.ndarray.types.Shape(1, 3, 32, 32));
            EditMask box = EditMask.box(32, 32, 0.25, 0.25, 0.75, 0.75);
            e = assertThrows(IllegalArgumentException.class, () -> editor.edit(img, box, EditMode.CLASS_EDIT,
                    SampleOptions.defaults().withClass(-1), ProgressListener.NONE, CancelToken.none(), null));
            assertTrue(e.getMessage().contains("class editing needs a class"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> editor.edit(img, box, EditMode.OUTPAINT,
                    SampleOptions.defaults().withClass(99), ProgressListener.NONE, CancelToken.none(), null));
            assertTrue(e.getMessage().contains("class 99 does not exist"), e.getMessage());
            NDArray small = m.zeros(new ai.djl.ndarray.types.Shape(1, 3, 16, 16));
            assertThrows(IllegalArgumentException.class, () -> editor.edit(small, box, EditMode.INPAINT, SampleOptions.defaults(),
                    ProgressListener.NONE, CancelToken.none(), null));
        }
    }

    @Test
    void everyEditModeKeepsExactlyTheKeptTokens() throws IOException {
        try (ParityCase pc = ParityCase.load("tiny-a"); NDManager m = pc.manager.newSubManager()) {
            Editor editor = new Editor(pc.sampler());
            NDArray image01 = pc.array("img", m).add(1f).mul(0.5f);
            EditMask box = EditMask.box(32, 32, 0.25, 0.25, 0.75, 0.75);
            int side = pc.lastSide(), last = pc.config.numScales() - 1;
            long[] imageTokens = pc.host("idx_s" + last).toLongs();
            for (EditMode mode : EditMode.values()) {
                SampleTrace trace = new SampleTrace();
                SampleOptions o = new SampleOptions(4, 2, 2.0, 0, 0, 5, false);
                NDArray out = editor.edit(image01, box, mode, o, ProgressListener.NONE, CancelToken.none(), trace);
                assertArrayEquals(new long[] {2, 3, 32, 32}, out.getShape().getShape());
                long[] keep = trace.keep.get(last).toLongs(), used = trace.tokens.get(last).toLongs();
                long[] sampled = trace.sampled.get(last).toLongs();
                int kept = 0;
                for (int i = 0; i < keep.length; i++) {
                    int y = (i % (side * side)) / side, x = i % side;
                    boolean inBox = y >= 2 && y < 6 && x >= 2 && x < 6;
                    assertEquals(mode == EditMode.OUTPAINT ? inBox : !inBox, keep[i] == 1, mode + " keep mask at token " + i);
                    assertEquals(keep[i] == 1 ? imageTokens[i] : sampled[i], used[i], mode + " token " + i);
                    kept += (int) keep[i];
                }
                System.out.printf("[tiny-a] %-10s keeps %d of %d final tokens%n", mode, kept, keep.length);
            }
        }
    }

    private static double maxDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
        return d;
    }
}
