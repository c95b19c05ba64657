package org.nextscale.core.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.TestPaths;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.CancelledException;
import org.nextscale.core.api.EditMask;
import org.nextscale.core.api.EditMode;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.ImageAdapter;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.api.TokenPyramid;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.io.SafeTensors;

/** The facade on the tiny-a parity model: results agree with the reference vectors and the API contract. */
class LoadedModelTest {
    @TempDir static Path dir;
    static VarModel model;
    static Map<String, HostTensor> cases;

    @BeforeAll
    static void load() throws IOException {
        model = VarModel.load(TestPaths.parityModel("tiny-a", dir), Device.cpu());
        cases = SafeTensors.read(TestPaths.parity("tiny-a").resolve("cases.safetensors"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** Case image i of the parity set as an Image in [0, 1]. */
    static Image caseImage(int i) {
        float[] all = cases.get("img").toFloats();
        int n = 3 * 32 * 32;
        float[] px = new float[n];
        for (int j = 0; j < n; j++) px[j] = (all[i * n + j] + 1f) / 2f;
        return new Image(3, 32, 32, px);
    }

    @Test
    void tokenizeAndReconstructMatchTheReference() {
        for (int i = 0; i < 2; i++) {
            TokenPyramid p = model.tokenize(caseImage(i));
            assertEquals(List.of(1, 2, 3, 4, 6, 8), p.sides());
            for (int k = 0; k < 6; k++) {
                long[] ref = cases.get("idx_s" + k).toLongs();
                int n = p.tokens().get(k).length;
                for (int j = 0; j < n; j++) assertEquals(ref[i * n + j], p.tokens().get(k)[j], "image " + i + " scale " + k + " token " + j);
            }
            Image rec = model.reconstruct(caseImage(i));
            float[] ref = cases.get("recon").toFloats();
            int n = rec.data().length;
            for (int j = 0; j < n; j++) assertEquals((ref[i * n + j] + 1f) / 2f, rec.data()[j], 2e-5f);
        }
    }

    @Test
    void batchedReconstructionMatchesTheReferenceAndKeepsEachImagesSize() {
        Image gray = ImageAdapter.convertChannels(ImageAdapter.resize(caseImage(0), 50, 40), 1);
        List<Image> recs = model.reconstruct(List.of(caseImage(0), caseImage(1), gray));
        assertEquals(3, recs.size());
        float[] ref = cases.get("recon").toFloats();
        for (int i = 0; i < 2; i++) {
            float[] got = recs.get(i).data();
            for (int j = 0; j < got.length; j++) assertEquals((ref[i * got.length + j] + 1f) / 2f, got[j], 2e-5f, "image " + i + " value " + j);
        }
        Image single = model.reconstruct(gray);
        assertEquals(1, recs.get(2).channels());
        assertEquals(50, recs.get(2).height());
        assertEquals(40, recs.get(2).width());
        assertArrayEquals(single.data(), recs.get(2).data(), 2e-5f);
    }

    @Test
    void otherSizesAndChannelsComeBackAsGiven() {
        Image gray = ImageAdapter.convertChannels(ImageAdapter.resize(caseImage(0), 50, 40), 1);
        Image rec = model.reconstruct(gray);
        assertEquals(1, rec.channels());
        assertEquals(50, rec.height());
        assertEquals(40, rec.width());
        Image edited = model.edit(gray, EditMask.box(50, 40, 0.25, 0.25, 0.75, 0.75), EditMode.INPAINT,
                SampleOptions.defaults().withCount(1), (s, d, t) -> {}, CancelToken.none());
        assertEquals(50, edited.height());
        assertEquals(40, edited.width());
    }

    @Test
    void generationIsSeededAndReportsProgress() {
        List<long[]> events = new ArrayList<>();
        SampleOptions o = SampleOptions.defaults().withClass(3).withCount(3).withSeed(7);
        List<Image> a = model.generate(o, (s, d, t) -> events.add(new long[] {d, t}), CancelToken.none());
        List<Image> b = model.generate(o, (s, d, t) -> {}, CancelToken.none());
        List<Image> c = model.generate(o.withSeed(8), (s, d, t) -> {}, CancelToken.none());
        assertEquals(3, a.size());
        assertArrayEquals(a.get(0).data(), b.get(0).data());
        assertFalse(java.util.Arrays.equals(a.get(0).data(), c.get(0).data()));
        assertArrayEquals(new long[] {18, 18}, events.get(events.size() - 1)); // 3 images x 6 scales
        assertTrue(events.stream().anyMatch(e -> e[0] > 0 && e[0] < 18), "progress moves within a batch");
        for (float v : a.get(0).data()) assertTrue(v >= 0f && v <= 1f);
    }

    @Test
    void editsKeepTheInputsOwnPixelsOutsideTheRegeneratedArea() {
        Image img = caseImage(1);
        EditMask box = EditMask.box(32, 32, 0.25, 0.25, 0.75, 0.75);
        for (EditMode mode : EditMode.values()) {
            Image out = model.edit(img, box, mode, SampleOptions.defaults().withClass(mode == EditMode.CLASS_EDIT ? 2 : -1),
                    (s, d, t) -> {}, CancelToken.none());
            int changed = 0;
            for (int c = 0; c < 3; c++)
                for (int i = 0; i < 32 * 32; i++) {
                    boolean regenerated = box.selected()[i] != (mode == EditMode.OUTPAINT);
                    float a = img.data()[c * 1024 + i], b = out.data()[c * 1024 + i];
                    if (!regenerated) assertEquals(a, b, 0f, mode + " must keep pixel " + i);
                    else if (Math.abs(a - b) > 1e-3) changed++;
                }
            assertTrue(changed > 0, mode + " regenerated nothing");
        }
    }

    @Test
    void aRasterOrderModelGeneratesThroughItsOwnSampler(@TempDir Path tmp) throws IOException {
        org.nextscale.core.config.ModelConfig tiny = model.config();
        org.nextscale.core.config.ModelConfig raster = tiny.withVar(tiny.var(), tiny.classNames(), "raster");
        Path file = tmp.resolve("raster.zip");
        ModelFile.save(file, raster, org.nextscale.core.train.WeightInit.all(raster, 3), false);
        try (VarModel r = VarModel.load(file, Device.cpu())) {
            List<Image> imgs = r.generate(SampleOptions.defaults().withClass(1).withCount(2), (s, d, t) -> {}, CancelToken.none());
            assertEquals(2, imgs.size());
            assertEquals(32, imgs.get(0).height());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.edit(caseImage(0),
                    EditMask.box(32, 32, 0.2, 0.2, 0.8, 0.8), EditMode.INPAINT, SampleOptions.defaults(), (s, d, t) -> {}, CancelToken.none()));
            assertTrue(e.getMessage().contains("raster"), e.getMessage());
        }
    }

    @Test
    void cancellationStopsGeneration() {
        CancelToken cancel = new CancelToken();
        cancel.cancel();
        assertThrows(CancelledException.class, () -> model.generate(SampleOptions.defaults(), (s, d, t) -> {}, cancel));
    }

    @Test
    void classesResolveByNumberOrNameAndBadOnesAreExplained() {
        assertEquals(3, model.classIndex("3"));
        assertEquals(-1, model.classIndex("uncond"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.classIndex("12"));
        assertTrue(e.getMessage().contains("0..9"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> model.generate(SampleOptions.defaults().withClass(10), (s, d, t) -> {}, CancelToken.none()));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }
}
