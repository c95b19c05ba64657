package org.nextscale.core.render;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nextscale.core.api.TokenPyramid;

class TokenMapsTest {

    @Test
    void neighbouringIdsGetDistinctColours() {
        Set<Integer> colours = new HashSet<>();
        for (int id = 0; id < 512; id++) colours.add(TokenMaps.rgb(id));
        assertTrue(colours.size() > 500, "only " + colours.size() + " distinct colours for 512 ids");
        assertEquals(TokenMaps.rgb(7), TokenMaps.rgb(7));
        assertThrows(IllegalArgumentException.class, () -> TokenMaps.rgb(-1));
    }

    @Test
    void scaleDrawsOneBlockPerToken() {
        TokenPyramid p = new TokenPyramid(List.of(1, 2), List.of(new int[] {5}, new int[] {0, 1, 2, 3}));
        BufferedImage s = TokenMaps.scale(p, 1, 3);
        assertEquals(6, s.getWidth());
        assertEquals(TokenMaps.rgb(0), s.getRGB(2, 2) & 0xFFFFFF);
        assertEquals(TokenMaps.rgb(1), s.getRGB(3, 0) & 0xFFFFFF);
        assertEquals(TokenMaps.rgb(2), s.getRGB(0, 5) & 0xFFFFFF);
        assertEquals(TokenMaps.rgb(3), s.getRGB(5, 5) & 0xFFFFFF);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenMaps.scale(p, 2, 3));
        assertTrue(e.getMessage().contains("2 scales"), e.getMessage());
    }

    @Test
    void rowPlacesScalesSideBySide() {
        TokenPyramid p = new TokenPyramid(List.of(1, 2), List.of(new int[] {5}, new int[] {0, 1, 2, 3}));
        BufferedImage r = TokenMaps.row(p, 8, 2);
        assertEquals(18, r.getWidth());
        assertEquals(8, r.getHeight());
        assertEquals(TokenMaps.rgb(5), r.getRGB(4, 4) & 0xFFFFFF);
        assertEquals(0xFFFFFF, r.getRGB(8, 4) & 0xFFFFFF); // gap
        assertEquals(TokenMaps.rgb(3), r.getRGB(10 + 7, 7) & 0xFFFFFF);
    }
}
