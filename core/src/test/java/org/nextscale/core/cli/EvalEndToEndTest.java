package org.nextscale.core.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.TestPaths;
import org.nextscale.core.config.ConfigJson;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.config.VarConfig;
import org.nextscale.core.data.FashionMnist;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.io.SafeTensors;
import org.nextscale.core.model.ModelFile;

/**
 * {@code nextscale eval --json} through the real pipeline (model file, tokenizer, transformer, sampler) on
 * the tiny-b parity model (gray 32x32, random weights) widened to Fashion-MNIST's 10 classes. An untrained
 * model must come out far from the data: finite distances well above the floor, accuracy near chance.
 */
class EvalEndToEndTest {

    /** tiny-b with its class embedding widened from 5 to 10 classes (rows 5..9 copy rows 0..4; the unconditional row stays last). */
    static Path tenClassModel(Path dir) throws IOException {
        Path p = TestPaths.parity("tiny-b");
        ModelConfig cfg = ConfigJson.parse(Files.readString(p.resolve("config.json")));
        VarConfig v = cfg.var();
        VarConfig v10 = new VarConfig(10, v.depth(), v.embedDim(), v.numHeads(), v.mlpRatio(), v.normEps(), v.sharedAln(),
                v.attnL2Norm(), v.condDropRate());
        Map<String, HostTensor> w = new LinkedHashMap<>(SafeTensors.read(p.resolve("weights.safetensors")));
        HostTensor emb = w.get("var.class_emb.weight"); // (6, C)
        int c = (int) emb.shape()[1];
        float[] old = emb.toFloats(), wide = new float[11 * c];
        for (int row = 0; row < 10; row++) System.arraycopy(old, (row % 5) * c, wide, row * c, c);
        System.arraycopy(old, 5 * c, wide, 10 * c, c);
        w.put("var.class_emb.weight", HostTensor.ofFloats(wide, 11, c));
        Path out = dir.resolve("tiny-b-10.zip");
        ModelFile.save(out, cfg.withVar(v10, FashionMnist.CLASS_NAMES, cfg.order()), w, false);
        return out;
    }

    @Test
    void evalJsonOnARealButUntrainedModel(@TempDir Path dir) throws IOException {
        Path model = tenClassModel(dir);
        Path classifier = TestPaths.repo().resolve("models/fmnist-classifier.safetensors");
        String[] r = EvalCommandTest.run("eval", "--model", model.toString(), "--classifier", classifier.toString(),
                "--n", "40", "--json");
        assertEquals("0", r[0], r[2]);
        JsonObject o = JsonParser.parseString(r[1].strip()).getAsJsonObject();
        System.out.println("untrained tiny-b, n=40: " + o);
        assertEquals(40, o.get("n").getAsInt());
        for (String key : new String[] {"psnr", "ssim", "fd", "fd_floor", "fd_reconstruction", "sample_accuracy", "real_accuracy",
                "precision", "recall"})
            assertTrue(o.has(key) && !o.get(key).isJsonNull() && Double.isFinite(o.get(key).getAsDouble()), key + " in " + o);
        double fd = o.get("fd").getAsDouble(), floor = o.get("fd_floor").getAsDouble();
        assertTrue(floor > 0 && fd > 2 * floor, "an untrained model is far from the data: fd " + fd + ", floor " + floor);
        assertTrue(o.get("real_accuracy").getAsDouble() > 0.8, "real accuracy");
        assertTrue(o.get("sample_accuracy").getAsDouble() < 0.5, "untrained samples are not recognisable");
        double psnr = o.get("psnr").getAsDouble();
        assertTrue(psnr > 0 && psnr < 24, "random tokenizer reconstructs poorly: " + psnr);
        double recon = o.get("fd_reconstruction").getAsDouble();
        assertTrue(recon > 2 * floor, "a random tokenizer's reconstructions are far from the data: " + recon + ", floor " + floor);
    }
}
