package org.nextscale.core.cli;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.TestPaths;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.api.WeightPrecision;

/**
 * `--weights float16` loads the model with float16 matrices for that command only (the precision goes to the
 * load itself, the process-wide setting is never touched); a bad value is one clear line.
 */
class WeightsOptionTest {
    @TempDir
    Path dir;

    @Test
    void float16WeightsGenerateAndLeaveTheProcessSettingAsItWas() throws Exception {
        Path model = TestPaths.parityModel("tiny-a", Files.createDirectories(dir.resolve("models")));
        Path half = dir.resolve("half.png"), full = dir.resolve("full.png");
        assertNull(System.getProperty(WeightPrecision.PROPERTY), "the test JVM starts without a precision");
        Object[] r = ModelCommandsTest.run("generate", "--model", model.toString(), "--weights", "float16", "--n", "1", "--out", half.toString());
        assertEquals(0, r[0], (String) r[2]);
        assertNull(System.getProperty(WeightPrecision.PROPERTY), "--weights does not touch the process setting");
        r = ModelCommandsTest.run("generate", "--model", model.toString(), "--n", "1", "--out", full.toString());
        assertEquals(0, r[0], (String) r[2]);
        assertEquals(32, ImageIO.read(half.toFile()).getWidth());
        assertEquals(32, ImageIO.read(full.toFile()).getWidth());

        r = ModelCommandsTest.run("generate", "--model", model.toString(), "--weights", "bf16", "--n", "1", "--out", dir.resolve("x.png").toString());
        assertEquals(1, r[0]);
        assertEquals("nextscale generate: --weights is 'bf16': use float32 (the default) or float16", ((String) r[2]).strip());
        assertFalse(Files.exists(dir.resolve("x.png")));

        // the API: each load holds what it was asked for, whatever the process setting says
        try (VarModel h = VarModel.load(model, Device.cpu(), ProgressListener.NONE, WeightPrecision.FLOAT16);
             VarModel f = VarModel.load(model, Device.cpu(), ProgressListener.NONE, WeightPrecision.FLOAT32)) {
            assertTrue(h.summary().contains("(the transformer's matrices float16, computing in float32;"), h.summary());
            assertTrue(f.summary().contains("MB in memory (float32;"), f.summary());
        }
    }
}
