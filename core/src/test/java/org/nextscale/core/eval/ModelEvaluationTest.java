package org.nextscale.core.eval;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.EditMask;
import org.nextscale.core.api.EditMode;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.api.ScaleListener;
import org.nextscale.core.api.TokenPyramid;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.config.VarConfig;
import org.nextscale.core.config.VqVaeConfig;
import org.nextscale.core.data.FashionMnist;
import org.nextscale.core.data.LabeledImages;

/** The VarModel adapter of {@link Evaluator}: geometry, requests and reconstruction through the public facade. */
class ModelEvaluationTest {
    static NDManager manager;
    static Classifier classifier;
    static LabeledImages test, train;

    @BeforeAll
    static void load() throws IOException {
        manager = NDManager.newBaseManager();
        classifier = Classifier.load(ClassifierTest.shippedFile(), manager);
        test = FashionMnist.load(FashionMnist.defaultDir(), false, 0);
        train = FashionMnist.load(FashionMnist.defaultDir(), true, 0);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /**
     * A stand-in for a trained 32x32 model: "generates" real training images of the requested class,
     * zero-padded to 32x32 like the training data, and "reconstructs" by quantizing to 16 gray levels.
     */
    static final class StandIn implements VarModel {
        final List<SampleOptions> requests = new ArrayList<>();
        final List<Image> reconstructed = new ArrayList<>();
        final List<String> classes;
        final boolean transformer;

        StandIn(List<String> classes) {
            this(classes, true);
        }

        StandIn(List<String> classes, boolean transformer) {
            this.classes = classes;
            this.transformer = transformer;
        }

        @Override
        public ModelConfig config() {
            VarConfig var = new VarConfig(classes.size(), 4, 256, 4, 4.0, 1e-6, false, true, 0.1);
            return new ModelConfig(1, 32, List.of(1, 2, 4, 8), VqVaeConfig.official(), transformer ? var : null, classes, "var");
        }

        @Override
        public List<Image> generate(SampleOptions o, ProgressListener progress, CancelToken cancel, ScaleListener scales) {
            requests.add(o);
            java.util.Random rnd = new java.util.Random(o.seed());
            List<Image> out = new ArrayList<>();
            while (out.size() < o.count()) {
                int i = rnd.nextInt(train.size());
                if (train.labels()[i] == o.classId()) out.add(ClassifierInput.toModel(train.images()[i], 32));
            }
            return out;
        }

        @Override
        public Image reconstruct(Image image) {
            reconstructed.add(image);
            float[] q = image.data().clone();
            for (int i = 0; i < q.length; i++) q[i] = Math.round(q[i] * 15) / 15f;
            return new Image(image.channels(), image.height(), image.width(), q);
        }

        @Override public String summary() { return "stand-in"; }
        @Override public int classIndex(String c) { return Integer.parseInt(c); }
        @Override public TokenPyramid tokenize(Image image) { throw new UnsupportedOperationException(); }
        @Override public Image edit(Image image, EditMask mask, EditMode mode, SampleOptions options, ProgressListener p, CancelToken c, ScaleListener scales) {
            throw new UnsupportedOperationException();
        }
        @Override public List<Image> coarseToFine(Image image) { throw new UnsupportedOperationException(); }
        @Override public double scaleViewCost() { return 0; }
        @Override public double scaleViewFlops() { return 0; }
        @Override public void close() {}
    }

    @Test
    void evaluatesAModelThroughThePublicFacade() {
        StandIn model = new StandIn(FashionMnist.CLASS_NAMES);
        SampleOptions sampling = SampleOptions.defaults().withCfg(2.0);
        EvalResult r = Evaluator.evaluate(model, sampling, new Evaluator.Settings(200, 0, 25, 3), test, train, classifier,
                ProgressListener.NONE, CancelToken.none());
        System.out.println("stand-in model: " + r.toJson());
        // requests: the given sampling settings, the class and count set per request, 20 per class in batches of 25
        assertEquals(10, model.requests.size());
        for (SampleOptions o : model.requests) {
            assertEquals(2.0, o.cfg());
            assertEquals(20, o.count());
        }
        // reconstruction is asked at the model's size (zero-padded), and scored on the 28x28 content:
        // 200 test images (PSNR, SSIM), then 200 training images (FD of reconstructions)
        assertEquals(400, model.reconstructed.size());
        assertEquals(32, model.reconstructed.get(0).width());
        // 16 gray levels: error uniform in +-1/30, MSE ~ 1/2700 on the varying pixels, PSNR ~ 34-40 dB
        assertTrue(r.psnr() > 30 && r.psnr() < 45, "psnr " + r.psnr());
        assertTrue(r.ssim() > 0.9 && r.ssim() < 1, "ssim " + r.ssim());
        assertEquals(r.realAccuracy(), r.sampleAccuracy(), 0.08);
        assertTrue(Double.isFinite(r.fd()) && r.fd() < 2 * r.fdFloor(), "fd " + r.fd() + " floor " + r.fdFloor());
        // 16 gray levels barely move the classifier's features: FD of reconstructions near the floor
        assertTrue(r.fdReconstruction() > 0 && r.fdReconstruction() < 1.5 * r.fdFloor(),
                "fd of reconstructions " + r.fdReconstruction() + " floor " + r.fdFloor());
    }

    @Test
    void aTokenizerOnlyModelIsScoredWithoutSamples() {
        StandIn model = new StandIn(List.of(), false);   // a tokenizer's class names do not matter
        EvalResult r = Evaluator.evaluate(model, SampleOptions.defaults(), new Evaluator.Settings(100, 0, 25, 3), test, train,
                classifier, ProgressListener.NONE, CancelToken.none());
        assertTrue(model.requests.isEmpty(), "no samples asked of a tokenizer-only model");
        assertEquals(0, r.samples());
        assertEquals(200, model.reconstructed.size());
        assertTrue(r.psnr() > 30 && Double.isFinite(r.fdReconstruction()) && Double.isFinite(r.fdFloor()), r.toJson());
        assertTrue(Double.isNaN(r.fd()) && Double.isNaN(r.sampleAccuracy()) && Double.isNaN(r.precision()) && Double.isNaN(r.recall()));
        assertTrue(r.toTable().contains("no samples: this model has no transformer"), r.toTable());
    }

    @Test
    void aModelWithOtherClassesIsRefused() {
        StandIn model = new StandIn(List.of("a", "b", "c"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Evaluator.evaluate(model,
                SampleOptions.defaults(), Evaluator.Settings.of(100, 0), test, train, classifier, ProgressListener.NONE, CancelToken.none()));
        assertTrue(e.getMessage().contains("3 classes"), e.getMessage());
    }
}
