package org.nextscale.core.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.TestPaths;
import org.nextscale.core.api.Image;
import org.nextscale.core.data.ImageFiles;

/** generate --scales and tokenize write one coarse-to-fine strip per image whose last frame is the image itself. */
class CoarseToFineCliTest {
    static final int FRAMES = 6, SIDE = 96, PAD = 2;     // shipped model: 6 scales, 32 px frames enlarged 3x

    @Test
    void generateWritesAStripPerImageEndingInTheSample(@TempDir Path dir) throws Exception {
        Object[] r = ModelCommandsTest.run("generate", "--class", "Sneaker", "--n", "2", "--seed", "4", "--scales", "--out", dir.toString());
        assertEquals(0, r[0], (String) r[2]);
        for (int i = 0; i < 2; i++) {
            Image strip = ImageFiles.read(dir.resolve(String.format("sample-%03d-scales.png", i)));
            assertEquals(FRAMES * SIDE + (FRAMES + 1) * PAD, strip.width());
            assertEquals(SIDE + 2 * PAD, strip.height());
            assertLastFrameIs(ImageFiles.read(dir.resolve(String.format("sample-%03d.png", i))), strip);
        }
    }

    @Test
    void tokenizeWritesTheStripOfTheImagesTokens(@TempDir Path dir) throws Exception {
        Path in = TestPaths.repo().resolve("models/samples/01-pullover.png");
        Object[] r = ModelCommandsTest.run("tokenize", in.toString(), "--out", dir.toString());
        assertEquals(0, r[0], (String) r[2]);
        Path strip = dir.resolve("01-pullover-scales.png");
        assertTrue(Files.isRegularFile(strip));
        assertEquals(FRAMES * 84 + (FRAMES + 1) * PAD, ImageFiles.read(strip).width(), "28 px frames enlarged 3x");
    }

    /** The strip's last frame, sampled back at every third pixel, equals the 32 px image (both 8-bit). */
    static void assertLastFrameIs(Image image, Image strip) {
        int ox = PAD + (FRAMES - 1) * (SIDE + PAD), oy = PAD, f = SIDE / image.width();
        for (int y = 0; y < image.height(); y++)
            for (int x = 0; x < image.width(); x++)
                assertEquals(image.get(0, y, x), strip.get(0, oy + y * f, ox + x * f), 1e-6, "pixel " + y + "," + x);
    }
}
