package org.nextscale.core.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.TestPaths;

/**
 * Issue 12: `generate --n 1 --out sample.png` writes the image sample.png (it used to make a folder of that
 * name); more images with an image name are refused with what to give instead; the same rule holds for
 * every command that writes images.
 */
class ImageOutputTest {
    @TempDir
    static Path dir;
    private static Path model;

    @BeforeAll
    static void model() throws IOException {
        model = TestPaths.parityModel("tiny-a", Files.createDirectories(dir.resolve("models")));
    }

    private static Object[] run(String... args) {
        return ModelCommandsTest.run(args);
    }

    @Test
    void oneImageToAnImageNameWritesThatFile() throws IOException {
        Path png = dir.resolve("sample.png"), tif = dir.resolve("one.tif");
        Object[] r = run("generate", "--model", model.toString(), "--n", "1", "--out", png.toString());
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(Files.isRegularFile(png), "sample.png must be an image file, not a folder");
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(32, img.getWidth());

        r = run("generate", "--model", model.toString(), "--n", "1", "--out", tif.toString());
        assertEquals(0, r[0], (String) r[2]);
        assertEquals(32, ImageIO.read(tif.toFile()).getWidth(), "written as TIFF by its extension");
    }

    @Test
    void severalImagesToAnImageNameAreRefusedWithWhatToGiveInstead() {
        Path png = dir.resolve("many.png");
        Object[] r = run("generate", "--model", model.toString(), "--n", "3", "--out", png.toString());
        assertEquals(1, r[0]);
        assertEquals("nextscale generate: the output many.png names one image file, but 3 images are written: give a folder name instead"
                + " (e.g. many), or ask for 1 image", ((String) r[2]).strip());
        assertFalse(Files.exists(png), "nothing written");
    }

    @Test
    void aFolderGetsNumberedImagesAndAGrid() throws IOException {
        Path out = dir.resolve("folder");
        Object[] r = run("generate", "--model", model.toString(), "--n", "2", "--out", out.toString());
        assertEquals(0, r[0], (String) r[2]);
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of("grid.png", "sample-000.png", "sample-001.png"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void singleImageCommandsTakeAFileOrAFolderButNeverReplaceAnotherFile() throws IOException {
        Path in = dir.resolve("in.png");
        ImageIO.write(new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY), "png", in.toFile());
        Path folder = Files.createDirectories(dir.resolve("recs"));
        Object[] r = run("reconstruct", in.toString(), "--model", model.toString(), "--out", folder.toString());
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(Files.isRegularFile(folder.resolve("in-reconstructed.png")), String.valueOf(r[1]));

        r = run("inpaint", in.toString(), "--model", model.toString(), "--box", "0,0,0.5,0.5", "--out", dir.resolve("x.zip").toString());
        assertEquals(1, r[0]);
        assertEquals("nextscale inpaint: the output x.zip is not an image file name: end it with .png or .tif (or give a folder)", ((String) r[2]).strip());

        byte[] before = Files.readAllBytes(model);
        r = run("generate", "--model", model.toString(), "--n", "2", "--out", model.toString());
        assertEquals(1, r[0]);
        assertTrue(((String) r[2]).strip().startsWith("nextscale generate: the output " + model + " is an existing file, not a folder"), (String) r[2]);
        assertArrayEquals(before, Files.readAllBytes(model), "the model file is untouched");

        r = run("tokenize", in.toString(), "--model", model.toString(), "--out", dir.resolve("t.png").toString());
        assertEquals(1, r[0]);
        assertTrue(((String) r[2]).startsWith("nextscale tokenize: the output t.png names one image file, but tokenize writes"), (String) r[2]);
    }

    @Test
    void aMistypedOptionIsOneLine() {
        Object[] r = run("generate", "--n", "many");
        assertEquals(2, r[0]);
        String err = ((String) r[2]).strip();
        assertFalse(err.contains("\n"), err);
        assertTrue(err.startsWith("nextscale generate: Invalid value for option '--n': 'many' is not an int") && err.endsWith("(see: nextscale generate --help)"), err);
    }
}
