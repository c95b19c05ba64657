package org.nextscale.core.train;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.model.ModelFile;
import org.nextscale.core.nn.Params;
import org.nextscale.core.tokenizer.RasterCodes;
import org.nextscale.core.tokenizer.VqVae;
import org.nextscale.core.transformer.RasterSampler;
import org.nextscale.core.transformer.Sampler;
import org.nextscale.core.transformer.TokenLayout;
import org.nextscale.core.transformer.VarTransformer;

/** Models written by the trainers sample: VAR next-scale and the raster baseline token by token. */
class SamplingAfterTrainingTest {
    @TempDir
    static Path dir;
    static Path tokenizer;

    @BeforeAll
    static void tokenizer() throws IOException {
        tokenizer = Training.trainTokenizer(TrainOptions.parse(TinyRuns.tokenizer(dir.resolve("tok.zip").toString(), 60)), null, null);
    }

    static VarTransformer transformer(ModelConfig cfg, Params p) {
        return new VarTransformer(cfg.var(), TokenLayout.of(cfg), cfg.vqvae().vocabSize(), cfg.vqvae().zChannels(), p);
    }

    static void checkImages(NDArray img, int n, float lo, float hi) {
        assertEquals(new Shape(n, 1, 16, 16), img.getShape());
        float[] v = img.toFloatArray();
        double mean = 0, var = 0;
        for (float x : v) {
            assertTrue(x >= lo && x <= hi, "pixel " + x);
            mean += x;
        }
        mean /= v.length;
        for (float x : v) var += (x - mean) * (x - mean);
        assertTrue(var / v.length > 1e-3, "the samples are not blank");
    }

    @Test
    void varSamplesDecode() throws IOException {
        Path out = Training.trainVar(TrainOptions.parse(TinyRuns.var(tokenizer.toString(), dir.resolve("var.zip").toString(), 60)), null, null);
        ModelFile.Loaded m = ModelFile.load(out);
        assertEquals("var", m.config().order());
        try (NDManager root = NDManager.newBaseManager()) {
            Params p = Params.fromHost(m.weights(), root);
            Sampler s = new Sampler(transformer(m.config(), p), new VqVae(m.config(), p));
            NDArray img = s.generate(root, SampleOptions.defaults().withClass(2).withCount(3).withCfg(1.5).withSeed(4),
                    ProgressListener.NONE, CancelToken.none());
            checkImages(img, 3, 0f, 1f);
        }
    }

    @Test
    void rasterBaselineTrainsAndSamples() throws IOException {
        Map<String, String> o = TinyRuns.var(tokenizer.toString(), dir.resolve("raster.zip").toString(), 60);
        o.put("order", "raster");
        Recorder r = new Recorder();
        Path out = Training.trainVar(TrainOptions.parse(o), r, null);
        assertTrue(r.meanLoss(50, 60) < 0.8 * r.meanLoss(0, 5), "raster loss " + r.meanLoss(0, 5) + " -> " + r.meanLoss(50, 60));
        ModelFile.Loaded m = ModelFile.load(out);
        assertEquals("raster", m.config().order());
        try (NDManager root = NDManager.newBaseManager()) {
            Params p = Params.fromHost(m.weights(), root);
            VqVae vae = new VqVae(m.config(), p);
            RasterSampler s = new RasterSampler(transformer(m.config(), p), vae.quantizer());
            NDArray tokens = s.sample(root.create(new long[] {0, 3}), SampleOptions.defaults().withCfg(1.0).withSeed(2),
                    ProgressListener.NONE, CancelToken.none());
            assertEquals(new Shape(2, 64), tokens.getShape());
            checkImages(RasterCodes.decode(vae, tokens), 2, -1f, 1f);
        }
    }
}
