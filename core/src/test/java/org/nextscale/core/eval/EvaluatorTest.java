package org.nextscale.core.eval;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.CancelledException;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.data.FashionMnist;
import org.nextscale.core.data.LabeledImages;

class EvaluatorTest {
    static NDManager manager;
    static Classifier classifier;
    static LabeledImages test, train;
    static List<List<Integer>> trainByClass = new ArrayList<>();

    @BeforeAll
    static void load() throws IOException {
        manager = NDManager.newBaseManager();
        classifier = Classifier.load(ClassifierTest.shippedFile(), manager);
        test = FashionMnist.load(FashionMnist.defaultDir(), false, 0);
        train = FashionMnist.load(FashionMnist.defaultDir(), true, 0);
        for (int c = 0; c < 10; c++) trainByClass.add(new ArrayList<>());
        for (int i = 0; i < train.size(); i++) trainByClass.get(train.labels()[i]).add(i);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** A "perfect generator": real training images of the requested class, picked by the seed. */
    static Evaluator.SampleSource realImages(int side) {
        return (c, count, seed) -> {
            Random rnd = new Random(seed);
            List<Image> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                List<Integer> pool = trainByClass.get(c);
                out.add(ClassifierInput.toModel(train.images()[pool.get(rnd.nextInt(pool.size()))], side));
            }
            return out;
        };
    }

    static Evaluator.SampleSource noise() {
        return (c, count, seed) -> {
            Random rnd = new Random(seed);
            List<Image> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                float[] px = new float[28 * 28];
                for (int j = 0; j < px.length; j++) px[j] = rnd.nextFloat();
                out.add(new Image(1, 28, 28, px));
            }
            return out;
        };
    }

    @Test
    void realImagesAsSamplesScoreLikeTheRealTestSet() {
        EvalResult r = Evaluator.evaluate(Evaluator.Settings.of(1000, 0), test, train, classifier, realImages(32),
                img -> img, ProgressListener.NONE, CancelToken.none());
        System.out.println("real images as samples: " + r.toJson());
        assertEquals(1000, r.n());
        assertEquals(r.realAccuracy(), r.sampleAccuracy(), 0.05, "accuracy of real images of the requested class");
        assertTrue(r.realAccuracy() > 0.85, "real accuracy " + r.realAccuracy());
        assertTrue(r.fdFloor() > 0 && Double.isFinite(r.fdFloor()), "floor " + r.fdFloor());
        assertTrue(r.fdRatio() > 0.7 && r.fdRatio() < 1.4, "FD of real images should sit at the floor: ratio " + r.fdRatio());
        assertTrue(r.precision() > 0.6 && r.recall() > 0.6, "precision " + r.precision() + ", recall " + r.recall());
        assertEquals(Double.POSITIVE_INFINITY, r.psnr(), "identity reconstruction");
        assertEquals(1.0, r.ssim(), 1e-12);
        assertEquals(1000, r.reconstructed());
        assertEquals(1000, r.samples());
        // identity reconstructions of the training subset are that subset: FD of reconstructions = floor
        assertEquals(r.fdFloor(), r.fdReconstruction(), 1e-9 * r.fdFloor());
    }

    @Test
    void blurCalibrationIsTheFdOfBlurredTrainingImages() {
        // a tokenizer that returns the image blurred by BLUR_SIGMA reconstructs exactly the calibration set
        Evaluator.Reconstructor blur = img -> new Image(1, 28, 28, ImageMetrics.gaussianBlur(img.data(), 28, 28, Evaluator.BLUR_SIGMA));
        EvalResult r = Evaluator.evaluate(Evaluator.Settings.of(1000, 0), test, train, classifier, null, blur,
                ProgressListener.NONE, CancelToken.none());
        System.out.println("blurred reconstructions: " + r.toJson());
        assertEquals(r.fdBlur(), r.fdReconstruction(), 1e-9 * r.fdBlur());
        // half a pixel of softness, invisible at a glance, is far above the floor in the classifier's features
        assertTrue(r.fdBlur() > 3 * r.fdFloor(), "fd_blur " + r.fdBlur() + " vs floor " + r.fdFloor());
        assertTrue(r.psnr() > 25 && r.psnr() < 40, "PSNR of a 0.5 px blur " + r.psnr());
    }

    @Test
    void noiseScoresAtChanceAndFarAboveTheFloor() {
        Evaluator.Reconstructor black = img -> Image.zeros(1, 28, 28);
        EvalResult r = Evaluator.evaluate(Evaluator.Settings.of(1000, 0), test, train, classifier, noise(), black,
                ProgressListener.NONE, CancelToken.none());
        System.out.println("noise as samples: " + r.toJson());
        assertTrue(r.sampleAccuracy() < 0.3, "noise accuracy " + r.sampleAccuracy());
        assertTrue(r.realAccuracy() > 0.85);
        assertTrue(r.fd() > 5 * r.fdFloor(), "FD " + r.fd() + " vs floor " + r.fdFloor());
        // noise lands in one spot of feature space: no real image is in the samples' manifold (recall 0);
        // precision is lower than real images' (~0.89) but not 0, because a few outlying real images have
        // k-NN balls wide enough to hold that spot (the metric's known sensitivity to outliers)
        assertTrue(r.recall() < 0.02, "recall " + r.recall());
        assertTrue(r.precision() < 0.6, "precision " + r.precision());
        assertTrue(r.psnr() < 10 && r.ssim() < 0.1, "black reconstructions: psnr " + r.psnr() + ", ssim " + r.ssim());
        // all reconstructions black: a single point in feature space, far from the test set
        assertTrue(Double.isFinite(r.fdReconstruction()) && r.fdReconstruction() > 5 * r.fdFloor(),
                "FD of black reconstructions " + r.fdReconstruction() + " vs floor " + r.fdFloor());
    }

    @Test
    void runsAreRepeatableAndTheSeedSelectsTheSubsets() {
        Evaluator.Settings s = new Evaluator.Settings(200, 7, 30, 3);
        EvalResult a = Evaluator.evaluate(s, test, train, classifier, realImages(28), null, ProgressListener.NONE, CancelToken.none());
        EvalResult b = Evaluator.evaluate(s, test, train, classifier, realImages(28), null, ProgressListener.NONE, CancelToken.none());
        EvalResult other = Evaluator.evaluate(new Evaluator.Settings(200, 8, 30, 3), test, train, classifier, realImages(28), null,
                ProgressListener.NONE, CancelToken.none());
        assertEquals(a.fd(), b.fd());
        assertEquals(a.fdFloor(), b.fdFloor());
        assertEquals(a.sampleAccuracy(), b.sampleAccuracy());
        assertEquals(a.precision(), b.precision());
        assertNotEquals(a.fdFloor(), other.fdFloor());
        assertTrue(Double.isNaN(a.psnr()) && a.reconstructed() == 0, "no reconstructor, no PSNR");
        assertTrue(Double.isNaN(a.fdReconstruction()), "no reconstructor, no FD of reconstructions");
    }

    @Test
    void samplesAreRequestedBalancedInFixedBatchesWithDistinctSeeds() {
        List<int[]> calls = new ArrayList<>();
        Set<Long> seeds = new HashSet<>();
        Evaluator.SampleSource real = realImages(28);
        Evaluator.SampleSource recording = (c, count, seed) -> {
            calls.add(new int[] {c, count});
            seeds.add(seed);
            return real.sample(c, count, seed);
        };
        Evaluator.evaluate(new Evaluator.Settings(105, 0, 4, 3), test, train, classifier, recording, null,
                ProgressListener.NONE, CancelToken.none());
        int[] perClass = new int[10];
        for (int[] call : calls) {
            assertTrue(call[1] <= 4);
            perClass[call[0]] += call[1];
        }
        assertArrayEquals(new int[] {11, 11, 11, 11, 11, 10, 10, 10, 10, 10}, perClass);
        assertEquals(calls.size(), seeds.size(), "every request has its own seed");
    }

    @Test
    void jsonHasTheDocumentedKeys() {
        EvalResult r = Evaluator.evaluate(Evaluator.Settings.of(100, 0), test, train, classifier, realImages(28),
                img -> img, ProgressListener.NONE, CancelToken.none());
        JsonObject o = JsonParser.parseString(r.toJson()).getAsJsonObject();
        for (String key : List.of("psnr", "ssim", "fd", "fd_floor", "fd_reconstruction", "sample_accuracy", "real_accuracy",
                "precision", "recall", "n"))
            assertTrue(o.has(key), "missing key " + key + " in " + o);
        assertTrue(o.get("psnr").isJsonNull(), "infinite PSNR is written as null");
        assertEquals(100, o.get("n").getAsInt());
        assertEquals(r.fd(), o.get("fd").getAsDouble());
        assertEquals(r.fdReconstruction(), o.get("fd_reconstruction").getAsDouble());
        assertEquals(10, o.getAsJsonObject("per_class").size());
        assertTrue(r.toTable().contains(String.format("%.4f", r.fdFloor())), r.toTable());
        assertTrue(r.toTable().contains("FD reconstructions vs test"), r.toTable());
    }

    @Test
    void cancellationStopsTheRun() {
        CancelToken cancel = new CancelToken();
        Evaluator.SampleSource cancelling = (c, count, seed) -> {
            cancel.cancel();
            return realImages(28).sample(c, count, seed);
        };
        assertThrows(CancelledException.class, () -> Evaluator.evaluate(Evaluator.Settings.of(100, 0), test, train,
                classifier, cancelling, null, ProgressListener.NONE, cancel));
    }

    @Test
    void subsetsAreBalancedAndTooLargeRequestsFailClearly() {
        int[] idx = Evaluator.balancedSubset(test, 10_000, 3);
        assertEquals(10_000, new HashSet<>(java.util.Arrays.stream(idx).boxed().toList()).size(), "all test images, once each");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Evaluator.balancedSubset(test, 10_010, 0));
        assertTrue(e.getMessage().contains("smaller --n"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Evaluator.Settings.of(5, 0));
    }

    @Test
    void sampleOptionsUsedForAModelKeepTheGivenSettings() {
        SampleOptions base = SampleOptions.defaults().withCfg(1.5).withTopK(7);
        SampleOptions req = base.withClass(3).withCount(50).withSeed(Evaluator.sampleSeed(0, 3, 2));
        assertEquals(1.5, req.cfg());
        assertEquals(7, req.topK());
        assertEquals(3, req.classId());
    }
}
