package org.nextscale.core.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferUShort;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.data.FashionMnist;
import org.nextscale.core.data.LabeledImages;

/** The command line on a 12-bit microscope-style image (real Fashion-MNIST garments in a 16-bit TIFF, values 0-4095). */
class LargeImageCliTest {
    static final int W = 480, H = 352;

    /** Test garments, 28 px each in 32 px cells, scaled to 12 bits, with a camera-like offset of 100. */
    static short[] twelveBit() throws Exception {
        LabeledImages t = FashionMnist.load(FashionMnist.defaultDir(), false, 200);
        float[] m = t.mosaic(H / 32, W / 32, 0, 32).data();
        short[] px = new short[W * H];
        for (int i = 0; i < px.length; i++) px[i] = (short) Math.round(100 + m[i] * 3995);
        return px;
    }

    static Path write(short[] px, Path p) throws Exception {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_USHORT_GRAY);
        System.arraycopy(px, 0, ((DataBufferUShort) img.getRaster().getDataBuffer()).getData(), 0, px.length);
        ImageIO.write(img, "tiff", p.toFile());
        return p;
    }

    static short[] read(Path p) throws Exception {
        BufferedImage img = ImageIO.read(p.toFile());
        assertEquals(16, img.getColorModel().getComponentSize(0), "written back as 16-bit");
        return ((DataBufferUShort) img.getRaster().getDataBuffer()).getData();
    }

    static double mean(short[] px) {
        double s = 0;
        for (short v : px) s += v & 0xffff;
        return s / px.length;
    }

    @Test
    void aTwelveBitImageComesBackInItsOwnRange(@TempDir Path dir) throws Exception {
        short[] in = twelveBit();
        Path file = write(in, dir.resolve("cells.tif"));
        String[] r = EvalCommandTest.run("reconstruct", file.toString(), "--out", dir.resolve("rec.tif").toString());
        assertEquals("0", r[0], r[2]);
        short[] rec = read(dir.resolve("rec.tif"));
        int max = 0;
        double se = 0;
        for (int i = 0; i < rec.length; i++) {
            max = Math.max(max, rec[i] & 0xffff);
            double d = (rec[i] & 0xffff) - (in[i] & 0xffff);
            se += d * d;
        }
        double psnr12 = 10 * Math.log10(4095.0 * 4095 / (se / rec.length));
        System.out.printf("12-bit %dx%d: mean %.0f -> %.0f, max %d, PSNR %.2f dB over 0..4095; %s%n", W, H, mean(in), mean(rec), max, psnr12, r[1].strip());
        assertEquals(mean(in), mean(rec), 0.1 * mean(in), "the reconstruction keeps the image's brightness");
        assertTrue(max <= 4095, "within the data's range: max " + max);
        assertTrue(psnr12 > 20, "PSNR " + psnr12);
        // the old mapping (divide by 65535) is still there on request
        r = EvalCommandTest.run("reconstruct", file.toString(), "--range", "full", "--out", dir.resolve("full.tif").toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(Files.size(dir.resolve("full.tif")) > 0);
    }

    @Test
    void inpaintByPixelRectangleKeepsEverySixteenBitValueOutsideIt(@TempDir Path dir) throws Exception {
        short[] in = twelveBit();
        Path file = write(in, dir.resolve("cells.tif"));
        Path out = dir.resolve("edited.tif");
        String[] r = EvalCommandTest.run("inpaint", file.toString(), "--rect", "130,98,28,28", "--class", "Bag", "--out", out.toString());
        assertEquals("0", r[0], r[2]);
        short[] ed = read(out);
        int changed = 0;
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                boolean inside = x >= 130 && x < 158 && y >= 98 && y < 126;
                if (!inside) assertEquals(in[y * W + x], ed[y * W + x], "pixel " + x + "," + y + " outside the rectangle");
                else if (in[y * W + x] != ed[y * W + x]) changed++;
            }
        assertTrue(changed > 100, "the rectangle was regenerated: " + changed + " px");
        r = EvalCommandTest.run("outpaint", file.toString(), "--extend", "right=40", "--out", dir.resolve("wider.tif").toString());
        assertEquals("0", r[0], r[2]);
        assertEquals(W + 40, ImageIO.read(dir.resolve("wider.tif").toFile()).getWidth());
    }

    @Test
    void wrongScalesRangesAndSelectionsAreOneClearLine(@TempDir Path dir) throws Exception {
        Path file = write(twelveBit(), dir.resolve("cells.tif"));
        String out = dir.resolve("x.tif").toString();
        String[][] cases = {
                {"scale must be auto, fit, or", "reconstruct", file.toString(), "--scale", "0", "--out", out},
                {"scale must be auto, fit, or", "tokenize", file.toString(), "--scale", "big"},
                {"range must be auto, full, or LOW,HIGH", "reconstruct", file.toString(), "--range", "4095,0", "--out", out},
                {"reaches outside the 480x352 px image", "inpaint", file.toString(), "--rect", "470,10,20,20", "--out", out},
                {"box must be y0,x0,y1,x1", "inpaint", file.toString(), "--box", "0.5,0.5,1.2,0.9", "--out", out},
                {"give the selection", "edit", file.toString(), "--class", "Bag", "--out", out},
                {"extend must be", "outpaint", file.toString(), "--extend", "wide", "--out", out},
        };
        for (String[] c : cases) {
            String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
            String[] r = EvalCommandTest.run(args);
            assertNotEquals("0", r[0], String.join(" ", args));
            String err = r[2].strip();
            assertTrue(err.contains(c[0]), String.join(" ", args) + " -> " + err);
            assertEquals(1, err.lines().count(), "one line: " + err);
            assertFalse(Files.exists(Path.of(out)), "no output written");
        }
    }
}
