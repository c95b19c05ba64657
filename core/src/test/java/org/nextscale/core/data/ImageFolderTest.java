package org.nextscale.core.data;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class ImageFolderTest {

    public static void gray8(Path file, int w, int h, int value) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) r.setSample(x, y, 0, x == 0 ? value : 0);
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(img, file.toString().endsWith(".tif") ? "tiff" : "png", file.toFile()));
    }

    @Test
    void classesComeFromSubFoldersAndPixelsAreScaled(@TempDir Path dir) throws IOException {
        gray8(dir.resolve("cats/a.png"), 8, 6, 255);
        gray8(dir.resolve("cats/b.png"), 8, 6, 51);
        gray8(dir.resolve("dogs/c.tif"), 8, 6, 102);
        Files.writeString(dir.resolve("dogs/notes.txt"), "not an image");
        LabeledImages set = ImageFolder.load(dir, 0);
        assertEquals(List.of("cats", "dogs"), set.classNames());
        assertEquals(3, set.size());
        assertArrayEquals(new int[] {0, 0, 1}, set.labels());
        assertEquals(1, set.channels());
        assertEquals(6, set.height());
        assertEquals(8, set.width());
        assertEquals(1f, set.images()[0][0]);
        assertEquals(0.2f, set.images()[1][0], 1e-6);
        assertEquals(0.4f, set.images()[2][8], 1e-6); // row 1, column 0
        assertEquals(0f, set.images()[2][9]);
    }

    @Test
    void sixteenBitTiffIsScaledByTheSetsMaximum(@TempDir Path dir) throws IOException {
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setSample(1, 0, 0, 4000);
        img.getRaster().setSample(2, 0, 0, 1000);
        assertTrue(ImageIO.write(img, "tiff", dir.resolve("x.tif").toFile()));
        LabeledImages set = ImageFolder.load(dir, 0);
        assertEquals(1, set.numClasses()); // no sub-folders: one class named after the folder
        assertEquals(dir.getFileName().toString(), set.classNames().get(0));
        assertEquals(1f, set.images()[0][1]);
        assertEquals(0.25f, set.images()[0][2], 1e-6);
    }

    @Test
    void rgbImagesGiveThreeChannelsAndGrayOnesAreRepeated(@TempDir Path dir) throws IOException {
        BufferedImage rgb = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0xFF8000);
        ImageIO.write(rgb, "png", dir.resolve("a.png").toFile());
        gray8(dir.resolve("b.png"), 2, 2, 255);
        LabeledImages set = ImageFolder.load(dir, 0);
        assertEquals(3, set.channels());
        assertEquals(1f, set.images()[0][0]);
        assertEquals(128 / 255f, set.images()[0][4], 1e-6);
        assertEquals(0f, set.images()[0][8]);
        for (int c = 0; c < 3; c++) assertEquals(1f, set.images()[1][c * 4]);
    }

    @Test
    void badInputsGiveClearErrors(@TempDir Path dir) throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        IOException e = assertThrows(IOException.class, () -> ImageFolder.load(empty, 0));
        assertTrue(e.getMessage().startsWith("no images found in"), e.getMessage());

        e = assertThrows(IOException.class, () -> ImageFolder.load(dir.resolve("missing"), 0));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());

        Path broken = Files.createDirectories(dir.resolve("broken"));
        Files.write(broken.resolve("x.png"), new byte[] {1, 2, 3, 4});
        e = assertThrows(IOException.class, () -> ImageFolder.load(broken, 0));
        assertTrue(e.getMessage().startsWith("cannot read image") && e.getMessage().contains("x.png"), e.getMessage());

        Path mixed = dir.resolve("mixed");
        gray8(mixed.resolve("a.png"), 8, 8, 1);
        gray8(mixed.resolve("b.png"), 6, 8, 1);
        e = assertThrows(IOException.class, () -> ImageFolder.load(mixed, 0));
        assertTrue(e.getMessage().startsWith("images differ in size: a.png is 8x8") && e.getMessage().contains("6x8"), e.getMessage());
    }

    @Test
    void limitKeepsEveryClass(@TempDir Path dir) throws IOException {
        for (int i = 0; i < 3; i++) gray8(dir.resolve("a/" + i + ".png"), 2, 2, 1);
        for (int i = 0; i < 3; i++) gray8(dir.resolve("b/" + i + ".png"), 2, 2, 1);
        LabeledImages set = ImageFolder.load(dir, 2);
        assertArrayEquals(new int[] {0, 1}, set.labels());
    }
}
