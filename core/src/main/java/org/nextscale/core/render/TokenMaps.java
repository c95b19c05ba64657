package org.nextscale.core.render;

import java.awt.Color;
import java.awt.image.BufferedImage;
import org.nextscale.core.api.TokenPyramid;

/**
 * Pictures of token maps shared by the front ends (notebook magics, Fiji commands): each codebook index
 * gets a fixed colour, so the same token looks the same on every scale and in every image.
 */
public final class TokenMaps {
    private TokenMaps() {}

    private static final double GOLDEN = 0.618033988749895;

    /** A fixed, well-spread RGB colour (0xRRGGBB) for a codebook index: golden-angle hues, three brightness bands. */
    public static int rgb(int tokenId) {
        if (tokenId < 0) throw new IllegalArgumentException("token ids are >= 0, got " + tokenId);
        float hue = (float) ((tokenId * GOLDEN) % 1.0);
        float sat = 0.55f + 0.15f * (tokenId % 3);
        float bri = 0.95f - 0.2f * ((tokenId / 3) % 3);
        return Color.HSBtoRGB(hue, sat, bri) & 0xFFFFFF;
    }

    /** Scale k of a pyramid as an RGB image, each token a cellPx x cellPx block. */
    public static BufferedImage scale(TokenPyramid pyramid, int k, int cellPx) {
        if (k < 0 || k >= pyramid.numScales())
            throw new IllegalArgumentException("scale " + k + " does not exist: the pyramid has " + pyramid.numScales() + " scales");
        if (cellPx < 1) throw new IllegalArgumentException("cell size must be >= 1 pixel, got " + cellPx);
        int side = pyramid.sides().get(k);
        int[] ids = pyramid.tokens().get(k); // (side * side) row-major
        BufferedImage out = new BufferedImage(side * cellPx, side * cellPx, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side * cellPx; y++)
            for (int x = 0; x < side * cellPx; x++)
                out.setRGB(x, y, rgb(ids[(y / cellPx) * side + x / cellPx]));
        return out;
    }

    /**
     * All scales in a row, each drawn at the same size ({@code sizePx} square, nearest neighbour, rounded
     * down to a whole number of pixels per token) and separated by {@code gapPx} of white.
     */
    public static BufferedImage row(TokenPyramid pyramid, int sizePx, int gapPx) {
        int n = pyramid.numScales();
        BufferedImage out = new BufferedImage(n * sizePx + (n - 1) * gapPx, sizePx, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < out.getHeight(); y++)
            for (int x = 0; x < out.getWidth(); x++) out.setRGB(x, y, 0xFFFFFF);
        for (int k = 0; k < n; k++) {
            int side = pyramid.sides().get(k);
            BufferedImage s = scale(pyramid, k, Math.max(1, sizePx / side));
            int off = (sizePx - s.getWidth()) / 2;
            for (int y = 0; y < s.getHeight(); y++)
                for (int x = 0; x < s.getWidth(); x++) out.setRGB(k * (sizePx + gapPx) + off + x, off + y, s.getRGB(x, y));
        }
        return out;
    }
}
