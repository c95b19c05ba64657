package org.nextscale.jupyter;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.util.List;
import org.nextscale.core.api.Image;
import org.junit.jupiter.api.Test;

class PicturesTest {

    private static BufferedImage solid(int w, int h, int rgb) {
        BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) b.setRGB(x, y, rgb);
        return b;
    }

    private static Image gray(int side, float v) {
        float[] d = new float[side * side];
        java.util.Arrays.fill(d, v);
        return new Image(1, side, side, d);
    }

    @Test
    void gridEnlargesSmallImagesAndWraps() {
        BufferedImage g = Pictures.grid(List.of(gray(28, 0f), gray(28, 0.5f), gray(28, 0.25f)), 2);
        int f = Pictures.zoom(28);
        assertEquals(4, f); // 28 * 4 = 112 >= 96
        assertEquals((2 * 28 + 3) * f, g.getWidth());
        assertEquals((2 * 28 + 3) * f, g.getHeight());
        assertEquals(0, g.getRaster().getSample(f * 10, f * 10, 0));
        assertEquals(128, g.getRaster().getSample(f * 40, f * 10, 0));
        assertEquals(64, g.getRaster().getSample(f * 10, f * 40, 0));
        assertEquals(255, g.getRaster().getSample(f * 40, f * 40, 0)); // empty cell stays white
        assertEquals(1, Pictures.zoom(256));
        assertThrows(IllegalArgumentException.class, () -> Pictures.grid(List.of(), 2));
    }

    @Test
    void captionedColumnsFitTheirCaptions() {
        BufferedImage narrow = Pictures.captioned(List.of(solid(28, 28, 0), solid(28, 28, 0)), List.of("a", "b"));
        int f = Pictures.zoom(28);
        assertEquals(4 + 2 * (28 * f + 4), narrow.getWidth());
        BufferedImage wide = Pictures.captioned(List.of(solid(28, 28, 0), solid(28, 28, 0)),
                List.of("before", "edited to class Trouser, a long caption"));
        assertTrue(wide.getWidth() > narrow.getWidth() + 50, "the second column grows to fit its caption: " + wide.getWidth());
    }

    @Test
    void boxIsOutlinedInRed() {
        BufferedImage b = Pictures.withBox(solid(20, 10, 0), new double[] {0.2, 0.25, 0.8, 0.75});
        assertEquals(0xFF0000, b.getRGB(5, 2) & 0xFFFFFF);
        assertEquals(0xFF0000, b.getRGB(14, 7) & 0xFFFFFF);
        assertEquals(0, b.getRGB(10, 5) & 0xFFFFFF);
    }

    @Test
    void lossCurveFallsFromTopLeftToBottomRight() {
        long[] steps = new long[50];
        double[] loss = new double[50];
        for (int i = 0; i < 50; i++) {
            steps[i] = i + 1;
            loss[i] = 5.0 / (1 + i);
        }
        BufferedImage p = Pictures.lossCurve("loss", steps, loss);
        int firstBlueY = -1, lastBlueY = -1;
        for (int y = 0; y < p.getHeight(); y++) {
            if (isBlue(p.getRGB(66, y))) firstBlueY = firstBlueY < 0 ? y : firstBlueY;
            if (isBlue(p.getRGB(p.getWidth() - 18, y))) lastBlueY = y;
        }
        assertTrue(firstBlueY >= 0 && lastBlueY >= 0, "curve not drawn at both ends");
        assertTrue(firstBlueY < lastBlueY - 100, "curve should fall: starts at y=" + firstBlueY + ", ends at y=" + lastBlueY);
        assertThrows(IllegalArgumentException.class, () -> Pictures.lossCurve("x", new long[0], new double[0]));
    }

    private static boolean isBlue(int argb) {
        int r = (argb >> 16) & 255, g = (argb >> 8) & 255, b = argb & 255;
        return b > 120 && r < 150 && b > r + 40;
    }
}
