package org.nextscale.core.api;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.Device;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nextscale.core.TestPaths;

/**
 * Coarse-to-fine views on the shipped model: the last frame of an image's tokens is its reconstruction, the
 * last frame of a sampled or edited image is the image the call returns, one frame per scale, in order, and
 * a listener may cancel between scales.
 */
class CoarseToFineTest {
    static VarModel model;

    @BeforeAll
    static void load() throws IOException {
        model = VarModel.load(TestPaths.repo().resolve("models/fashion-mnist.zip"), Device.cpu());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static Image pattern(int h, int w) {
        float[] d = new float[h * w];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) d[y * w + x] = (Math.abs(x - w / 2) < w / 4 && y > 3 && y < h - 3) ? 0.8f : 0.05f;
        return new Image(1, h, w, d);
    }

    @Test
    void lastFrameOfTheTokensIsTheReconstruction() {
        for (Image im : List.of(pattern(32, 32), pattern(28, 28), pattern(40, 24))) {
            long t0 = System.nanoTime();
            List<Image> frames = model.coarseToFine(im);
            double ms = (System.nanoTime() - t0) / 1e6;
            assertEquals(model.config().numScales(), frames.size());
            Image rec = model.reconstruct(im);
            assertArrayEquals(rec.data(), frames.get(frames.size() - 1).data(), 0f, "last frame = reconstruct, " + im.height() + "x" + im.width());
            assertEquals(im.height(), frames.get(0).height());
            assertEquals(im.width(), frames.get(0).width());
            assertFalse(java.util.Arrays.equals(frames.get(0).data(), rec.data()), "the first scale is coarser than the last");
            System.out.printf("coarse to fine, %dx%d: %d frames in %.1f ms%n", im.height(), im.width(), frames.size(), ms);
        }
    }

    @Test
    void sampledFramesArriveInOrderAndEndAtTheReturnedImages() {
        SampleOptions o = SampleOptions.defaults().withClass(3).withCount(3).withSeed(11);
        List<Integer> seen = new ArrayList<>();
        List<List<Image>> decoded = new ArrayList<>();
        List<Image> images = model.generate(o, ProgressListener.NONE, CancelToken.none(), frame -> {
            seen.add(frame.scale());
            assertEquals(model.config().patchNums().get(frame.scale()), frame.side());
            assertEquals(3, frame.count());
            assertEquals(0, frame.firstImage());
            decoded.add(frame.decode());
        });
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < model.config().numScales(); i++) expected.add(i);
        assertEquals(expected, seen, "one frame per scale, in order");
        List<Image> last = decoded.get(decoded.size() - 1);
        for (int i = 0; i < images.size(); i++) assertArrayEquals(images.get(i).data(), last.get(i).data(), 0f, "image " + i);
        List<Image> plain = model.generate(o, ProgressListener.NONE, CancelToken.none());
        for (int i = 0; i < images.size(); i++) assertArrayEquals(plain.get(i).data(), images.get(i).data(), 0f, "watching changes nothing");
        System.out.printf("shipped model: showing the scales adds %.2f GFLOP per image, %.2fx the call's FLOPs%n",
                model.scaleViewFlops() / 1e9, model.scaleViewCost());
        assertTrue(model.showScalesByDefault(), "a 32 px model shows its scales by default");
    }

    @Test
    void aListenerMayCancelBetweenScales() {
        CancelToken cancel = new CancelToken();
        List<Integer> seen = new ArrayList<>();
        assertThrows(CancelledException.class, () -> model.generate(SampleOptions.defaults().withCount(2), ProgressListener.NONE, cancel, frame -> {
            seen.add(frame.scale());
            if (frame.scale() == 2) cancel.cancel();
        }));
        assertEquals(List.of(0, 1, 2), seen, "no scale after the cancel");
    }

    @Test
    void editFramesEndAtTheEditedImageOutsideTheKeptPixels() {
        Image im = pattern(28, 28);
        EditMask mask = EditMask.box(28, 28, 0.3, 0.3, 0.7, 0.7);
        SampleOptions o = SampleOptions.defaults().withClass(-1).withCount(1).withSeed(5);
        List<Image> last = new ArrayList<>();
        int[] frames = {0};
        Image edited = model.edit(im, mask, EditMode.INPAINT, o, ProgressListener.NONE, CancelToken.none(), f -> {
            frames[0]++;
            if (f.scale() == f.numScales() - 1) last.addAll(f.decode());
        });
        assertEquals(model.config().numScales(), frames[0]);
        Image l = last.get(0);
        assertEquals(28, l.width());
        int regenerated = 0;
        for (int i = 0; i < im.data().length; i++)
            if (mask.selected()[i]) {
                assertEquals(edited.data()[i], l.data()[i], 0f, "regenerated pixel " + i);
                regenerated++;
            }
        assertTrue(regenerated > 50);
    }
}
