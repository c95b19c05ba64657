package org.nextscale.core.train;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.ImageAdapter;
import org.nextscale.core.api.PixelScale;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.data.ImageFiles;
import org.nextscale.core.eval.EditEvaluation;
import org.nextscale.core.api.TrainPreview;
import org.nextscale.core.api.ValidationEvent;
import org.nextscale.core.data.Micrographs;
import org.nextscale.core.data.Patches;
import org.nextscale.core.data.SourceImages;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.model.ModelFile;

/**
 * Training on images as a scientist has them (a few 16-bit TIFFs of different sizes and a 3-page stack, made from real
 * Fashion-MNIST images on a dark background): both trainers run with the defaults of the data options, draw patches,
 * report a validation loss that falls, keep the best model, write the log, the loss plot and the preview; the split
 * never lets a patch of one image region sit on both sides; a resumed run with validation is bit-exact.
 */
class OwnImagesTest {
    @TempDir
    static Path dir;
    static Path data;

    @BeforeAll
    static void data() throws Exception {
        data = Micrographs.write(dir.resolve("micrographs"), 7);
    }

    /** A tiny tokenizer (16 px, patch_nums 1,2,4,8) on the micrographs at half resolution. */
    static Map<String, String> tokenizer(Path out, int steps) {
        Map<String, String> m = TinyRuns.tokenizer(out.toString(), steps);
        m.put("data", data.toString());
        m.put("scale", "2");
        m.put("eval_every", "25");
        m.put("preview_every", "50");
        m.remove("checkpoint_every");
        m.put("checkpoint_every", "50");
        return m;
    }

    @Test
    void bothTrainersLearnFromLargeSixteenBitImagesAndShowTheRun() throws Exception {
        List<ValidationEvent> vals = new ArrayList<>();
        List<TrainPreview> previews = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        org.nextscale.core.api.TrainListener l = new org.nextscale.core.api.TrainListener() {
            public void onStep(org.nextscale.core.api.TrainEvent e) {}
            public void onMessage(String m) { messages.add(m); }
            public void onValidation(ValidationEvent e) { vals.add(e); }
            public void onPreview(TrainPreview p) { previews.add(p); }
        };
        Path tok = dir.resolve("tok.zip");
        Training.trainTokenizer(TrainOptions.parse(tokenizer(tok, 150)), l, null);
        String first = messages.get(0);
        assertTrue(first.contains("6 images (pages)") && first.contains("patches of 16 px") && first.contains("the bottom 10% of the rows of 6 of 6 images"),
                first);
        assertEquals(6, vals.size(), "validation every 25 of 150 steps");
        assertTrue(vals.get(5).valLoss() < 0.8 * vals.get(0).valLoss(), "tokenizer validation loss falls: " + losses(vals));
        assertLog(dir.resolve("tok.log.csv"), 150, 6, false);
        assertTrue(Files.size(dir.resolve("tok.loss.png")) > 1000 && Files.size(dir.resolve("tok.preview.png")) > 500);
        assertEquals(3, previews.size(), "previews at 50, 100, 150");
        assertEquals(2 * 96 + 3 * 2, previews.get(2).picture().height(), "validation patches above their reconstructions, enlarged 6x");
        assertEquals(8 * 96 + 9 * 2, previews.get(2).picture().width(), "8 of them");
        JsonObject record = training(tok);
        assertEquals("patches", record.getAsJsonObject("data").get("kind").getAsString());
        ValidationEvent best = vals.stream().min((a, b) -> Double.compare(a.valLoss(), b.valLoss())).orElseThrow();
        assertEquals(best.valLoss(), record.get("best_val_loss").getAsDouble(), 1e-9);
        assertEquals(best.step(), training(dir.resolve("tok.best.zip")).get("steps").getAsLong(), "the best model is that step's");

        vals.clear();
        previews.clear();
        Path var = dir.resolve("var.zip");
        Map<String, String> v = TinyRuns.var(tok.toString(), var.toString(), 150);
        v.put("data", data.toString());
        v.put("scale", "2");
        v.put("eval_every", "25");
        v.put("preview_every", "150");
        Training.trainVar(TrainOptions.parse(v), l, null);
        assertEquals(6, vals.size());
        assertTrue(vals.get(5).valLoss() < vals.get(0).valLoss() - 0.3, "transformer validation loss falls: " + losses(vals));
        assertEquals(4, vals.get(5).perScaleLoss().length);
        assertEquals(List.of("1x1", "2x2", "4x4", "8x8"), vals.get(5).scales());
        assertLog(dir.resolve("var.log.csv"), 150, 6, true);
        assertEquals(1, previews.size());
        assertEquals(96 + 2 * 2, previews.get(0).picture().height(), "one class: one row of samples");
        assertEquals(4 * 96 + 5 * 2, previews.get(0).picture().width(), "4 samples a class");
        assertTrue(Files.isRegularFile(dir.resolve("var.best.zip")));
        assertNotNull(ModelFile.load(dir.resolve("var.best.zip")).config().var());

        // an image of the same kind the run never saw, in-painted at the scale it trained at
        Path held = Micrographs.writeHeldOut(dir.resolve("held-out.tif"), 320, 256, 99);
        Image img = ImageFiles.read(held, "auto").unit();
        img = ImageAdapter.resize(img, img.height() / 2, img.width() / 2);
        try (VarModel m = VarModel.load(dir.resolve("var.best.zip"), org.nextscale.core.api.Devices.parse("cpu"))) {
            Map<String, Object> e = EditEvaluation.onImages(m, List.of(img), 4, 0, ProgressListener.NONE, CancelToken.none());
            System.out.println("held-out edits of the tiny model: " + e);
            assertEquals(0L, e.get("pixels_changed_outside"), "kept pixels come back bit for bit");
            double detail = (Double) e.get("fill_detail_over_surroundings");
            assertTrue(detail > 0.2 && detail < 5, "the fill has detail of the image's kind: " + detail);
        }
    }

    @Test
    void theSplitNeverPutsPatchesOfOneRegionOnBothSides() throws Exception {
        SourceImages src = SourceImages.read(SourceImages.list(data.toString()), 1, PixelScale.parse("1"), "auto", null);
        // 6 pages (fewer than 1/val = 10): the bottom rows of each page are validation, training patches stay above them
        Patches strips = new Patches(src, 32, 0.1, true, 0.4, Patches.Augment.DIHEDRAL);
        Map<Integer, Integer> valStart = new LinkedHashMap<>();
        for (int[] r : strips.regions()) if (r[3] == 1) valStart.put(r[0], r[1]);
        assertEquals(6, valStart.size());
        for (long step = 0; step < 200; step++)
            for (int[] o : strips.batch(3, step, 16).origins())
                assertTrue(o[1] + 32 <= valStart.get(o[0]), "training patch rows " + o[1] + ".." + (o[1] + 32) + " reach the validation part at " + valStart.get(o[0]));
        for (int[] o : strips.validation(512).origins()) assertTrue(o[1] >= valStart.get(o[0]), "validation patch above the split");
        // 12 pages (two copies of each file): whole pages are held out, and no training patch comes from one
        Path twice = dir.resolve("twice");
        Files.createDirectories(twice);
        for (String f : Micrographs.files()) {
            Files.copy(data.resolve(f), twice.resolve("1-" + f));
            Files.copy(data.resolve(f), twice.resolve("2-" + f));
        }
        SourceImages src2 = SourceImages.read(SourceImages.list(twice.toString()), 1, PixelScale.parse("1"), "auto", null);
        Patches whole = new Patches(src2, 32, 0.1, true, 0.4, Patches.Augment.NONE);
        Set<Integer> held = new HashSet<>();
        for (int[] r : whole.regions()) if (r[3] == 1) held.add(r[0]);
        assertEquals(1, held.size(), "round(0.1 x 12) pages held out");
        for (long step = 0; step < 200; step++)
            for (int[] o : whole.batch(3, step, 16).origins()) assertFalse(held.contains(o[0]), "a training patch from held-out page " + o[0]);
        for (int[] o : whole.validation(512).origins()) assertTrue(held.contains(o[0]));
    }

    @Test
    void theForegroundFilterSkipsEmptyBackground() throws Exception {
        SourceImages src = SourceImages.read(SourceImages.list(data.toString()), 1, PixelScale.parse("1"), "auto", null);
        double filtered = meanOfPatches(new Patches(src, 32, 0, true, 0.4, Patches.Augment.NONE));
        double all = meanOfPatches(new Patches(src, 32, 0, true, 0, Patches.Augment.NONE));
        assertTrue(filtered > all * 1.5, "patches with the filter are brighter (hold garments): " + filtered + " vs " + all);
    }

    private static double meanOfPatches(Patches p) {
        double s = 0;
        int n = 0;
        for (long step = 0; step < 20; step++)
            for (float v : p.batch(1, step, 32).pixels()) { s += (v + 1) / 2; n++; }
        return s / n;
    }

    @Test
    void resumingARunWithValidationIsBitExact() throws Exception {
        Path straight = dir.resolve("straight.zip"), split = dir.resolve("split.zip");
        Map<String, String> a = tokenizer(straight, 60);
        a.put("checkpoint_every", "0");
        Training.trainTokenizer(TrainOptions.parse(a), org.nextscale.core.api.TrainListener.NONE, null);
        Map<String, String> b = tokenizer(split, 60);
        b.put("checkpoint_every", "0");
        Recorder cancelled = new Recorder(30);                               // cancelled after step 30, between evaluations
        assertThrows(org.nextscale.core.api.CancelledException.class, () -> Training.trainTokenizer(TrainOptions.parse(b), cancelled, cancelled.cancel));
        Map<String, String> r = new LinkedHashMap<>();
        r.put("resume", dir.resolve("split.ckpt.zip").toString());
        Training.trainTokenizer(TrainOptions.parse(r), org.nextscale.core.api.TrainListener.NONE, null);
        Map<String, HostTensor> w1 = ModelFile.load(straight).weights(), w2 = ModelFile.load(split).weights();
        assertEquals(w1.keySet(), w2.keySet());
        for (String k : w1.keySet()) assertEquals(w1.get(k), w2.get(k), k + " differs after resume");
        List<String> l1 = Files.readAllLines(dir.resolve("straight.log.csv")), l2 = Files.readAllLines(dir.resolve("split.log.csv"));
        assertEquals(61, l2.size());
        for (int i = 0; i < l1.size(); i++)                                   // every column but the seconds
            assertEquals(l1.get(i).substring(0, l1.get(i).lastIndexOf(',')), l2.get(i).substring(0, l2.get(i).lastIndexOf(',')), "log line " + i);
        assertEquals(training(straight).get("best_step").getAsLong(), training(split).get("best_step").getAsLong());
    }

    /**
     * A checkpoint written before validation existed names no val in its options; resumed by this trainer it keeps
     * training on all its data as it did (the default split would change the data under it), so the weights equal those
     * of an uninterrupted run without a split.
     */
    @Test
    void aCheckpointFromBeforeTheSplitResumesOnAllItsData() throws Exception {
        Path whole = dir.resolve("old-whole.zip"), cut = dir.resolve("old-cut.zip");
        Map<String, String> a = TinyRuns.tokenizer(whole.toString(), 8);
        a.put("val", "0");
        Training.trainTokenizer(TrainOptions.parse(a), org.nextscale.core.api.TrainListener.NONE, null);
        Map<String, String> b = TinyRuns.tokenizer(cut.toString(), 8);
        b.put("val", "0");
        Recorder cancelled = new Recorder(4);
        assertThrows(org.nextscale.core.api.CancelledException.class, () -> Training.trainTokenizer(TrainOptions.parse(b), cancelled, cancelled.cancel));
        Path ckpt = TrainRun.checkpointPath(cut);
        Checkpoint c = Checkpoint.read(ckpt);
        Map<String, String> oldOptions = new LinkedHashMap<>(c.options());
        for (String k : TrainRun.DATA_KEYS) oldOptions.remove(k);                  // as a trainer of before wrote it
        new Checkpoint(c.phase(), c.step(), c.config(), c.weights(), c.optimizer(), oldOptions, new JsonObject()).write(ckpt);
        Map<String, String> r = new LinkedHashMap<>();
        r.put("resume", ckpt.toString());
        Training.trainTokenizer(TrainOptions.parse(r), org.nextscale.core.api.TrainListener.NONE, null);
        Map<String, HostTensor> w1 = ModelFile.load(whole).weights(), w2 = ModelFile.load(cut).weights();
        for (String k : w1.keySet()) assertEquals(w1.get(k), w2.get(k), k + " differs: the resumed run saw other data");
    }

    private static void assertLog(Path csv, int steps, int evaluations, boolean var) throws Exception {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertEquals(steps + 1, lines.size(), "a header and a row per step");
        String[] header = lines.get(0).split(",");
        assertEquals("step", header[0]);
        assertEquals("train_loss", header[1]);
        assertEquals("val_loss", header[3]);
        if (var) assertEquals("val_accuracy", header[4]);
        int vals = 0;
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            assertEquals(header.length, f.length, lines.get(i));
            assertEquals(i, Long.parseLong(f[0]));
            assertTrue(Double.isFinite(Double.parseDouble(f[1])));
            if (!f[3].isEmpty()) vals++;
        }
        assertEquals(evaluations, vals);
    }

    private static JsonObject training(Path model) throws Exception {
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(model.toFile())) {
            return JsonParser.parseString(new String(z.getInputStream(z.getEntry("training.json")).readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    private static String losses(List<ValidationEvent> v) {
        return v.stream().map(e -> String.format("%d:%.4f", e.step(), e.valLoss())).toList().toString();
    }
}
