package org.nextscale.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.model.ModelFile;

/**
 * Training from Fiji, headless: a tokenizer and then a transformer of a few thousand weights, a few
 * steps each on 8x8 synthetic shapes; the written model generates at once.
 */
class TrainCommandsTest {
    /** A tokenizer of 8x8 gray images: scales 1, 2, 4, downsampling 2. */
    static final String TOKENIZER_OPTIONS = "seed=1 vocab=16 z=4 ch=32 ch_mult=1,1 patch_nums=1,2,4 channels=1 log_every=1 checkpoint_every=0";
    static final String VAR_OPTIONS = "seed=2 depth=1 width=32 heads=2 log_every=1 checkpoint_every=0";

    private static CommandHarness ij;

    @BeforeAll
    static void start() {
        ij = new CommandHarness();
    }

    @AfterAll
    static void stop() {
        ij.close();
    }

    @BeforeEach
    void clear() {
        ij.clear();
    }

    @Test
    void trainTokenizerThenTransformerThenGenerateWithIt(@TempDir Path dir) throws Exception {
        File tokFile = dir.resolve("tok.zip").toFile();
        TrainTokenizerCommand tok = ij.run(TrainTokenizerCommand.class, "data", "synthetic:32", "output", tokFile,
                "steps", 3, "batch", 4, "lr", "2e-3", "options", TOKENIZER_OPTIONS);
        assertNull(tok.failure(), () -> "tokenizer training failed: " + tok.failure());
        assertFalse(tok.isCanceled());
        assertEquals(tokFile.getCanonicalFile(), tok.modelFile().getCanonicalFile());
        assertTrue(tokFile.isFile());
        assertFalse(ModelFile.readConfig(tokFile.toPath()).hasTransformer(), "a tokenizer-only model");
        VarProgressEvent last = ij.progress.get(ij.progress.size() - 1);
        assertEquals("VAR Train Tokenizer", last.label());
        assertEquals(3, last.total());
        assertEquals(3, last.done(), "the last step reported: " + last);

        ij.clear();
        File varFile = dir.resolve("var.zip").toFile();
        TrainVarCommand var = ij.run(TrainVarCommand.class, "data", "synthetic:32", "tokenizer", tokFile, "output", varFile,
                "steps", 3, "batch", 4, "lr", "", "options", VAR_OPTIONS);
        assertNull(var.failure(), () -> "transformer training failed: " + var.failure());
        assertTrue(varFile.isFile());
        assertEquals(3, ij.progress.get(ij.progress.size() - 1).done());
        assertTrue(ij.context.service(VarModelService.class).isLoaded(varFile), "the trained model is loaded and ready");

        ModelConfig config = ModelFile.readConfig(varFile.toPath());
        GenerateCommand gen = ij.run(GenerateCommand.class, "model", varFile, "classId", "0", "count", 2, "seed", 1L);
        assertNull(gen.failure(), () -> "generating with the new model failed: " + gen.failure());
        ImagePlus imp = gen.images();
        assertEquals(2, imp.getStackSize());
        assertEquals(config.imageSize(), imp.getWidth());
        assertEquals(ImagePlus.GRAY8, imp.getType(), "a gray model makes 8-bit images");

        // VAR Train Tokenizer fine-tunes that model's decoder adversarially; its transformer stays usable
        File fine = dir.resolve("fine.zip").toFile();
        TrainTokenizerCommand dec = ij.run(TrainTokenizerCommand.class, "data", "synthetic:32", "output", fine, "steps", 2, "batch", 4,
                "lr", "1e-3", "options", "init=" + varFile + " train_part=decoder disc_weight=0.5 disc_ch=16 disc_layers=1 log_every=1 checkpoint_every=0");
        assertNull(dec.failure(), () -> "decoder fine-tuning failed: " + dec.failure());
        ModelFile.Loaded a = ModelFile.load(varFile.toPath()), b = ModelFile.load(fine.toPath());
        assertNotNull(b.config().var(), "the transformer is kept");
        assertEquals(a.weights().get("vae.quantize.embedding.weight"), b.weights().get("vae.quantize.embedding.weight"), "the codebook is frozen");
        assertNotEquals(a.weights().get("vae.decoder.conv_out.weight"), b.weights().get("vae.decoder.conv_out.weight"));
        assertNull(ij.run(GenerateCommand.class, "model", fine, "count", 1).failure(), "the fine-tuned model generates");
    }

    @Test
    void cancellingTrainingStopsAtTheNextStepAndWritesNoModel(@TempDir Path dir) throws Exception {
        File out = dir.resolve("tok.zip").toFile();
        ij.onProgress = e -> e.command().cancel("stop");
        TrainTokenizerCommand tok = ij.run(TrainTokenizerCommand.class, "data", "synthetic:32", "output", out,
                "steps", 50, "batch", 4, "lr", "", "options", TOKENIZER_OPTIONS);
        assertTrue(tok.isCanceled());
        assertNull(tok.failure(), "cancelling is not a failure");
        assertNull(tok.modelFile());
        assertFalse(ij.progress.isEmpty(), "training reported no progress");
        long maxDone = ij.progress.stream().mapToLong(VarProgressEvent::done).max().orElseThrow();
        assertTrue(maxDone < 50, "training ran to the end after it was cancelled");
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().equals("tok.zip")), "a cancelled run must not leave a model");
        }
    }

    @Test
    void badTrainingOptionsAreOneLineMessages(@TempDir Path dir) throws Exception {
        TrainTokenizerCommand unknown = ij.run(TrainTokenizerCommand.class, "data", "synthetic:32", "output", dir.resolve("a.zip").toFile(),
                "steps", 2, "batch", 4, "lr", "", "options", "optimiser=sgd");
        assertNotNull(unknown.failure());
        assertTrue(unknown.failure().contains("optimiser"), unknown.failure());
        assertFalse(unknown.failure().contains("\n"), unknown.failure());

        TrainVarCommand noData = ij.run(TrainVarCommand.class, "data", dir.resolve("missing").toString(), "output", dir.resolve("b.zip").toFile(),
                "steps", 2, "batch", 4, "lr", "", "options", "");
        assertNotNull(noData.failure(), "training on a missing folder must fail");
        assertFalse(noData.failure().contains("\n"), noData.failure());
    }
}
