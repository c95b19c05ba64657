package org.nextscale.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nextscale.core.api.TokenPyramid;

class TokenMapsTest {
    private final TokenPyramid pyramid = new TokenPyramid(List.of(1, 2), List.of(new int[] {5}, new int[] {0, 1, 2, 3}));

    @Test
    void oneNearestUpscaledSlicePerScale() {
        ImagePlus imp = TokenMaps.stack(pyramid, 8, "t");
        assertEquals(2, imp.getStackSize());
        assertEquals(8, imp.getWidth());
        assertEquals(ImagePlus.COLOR_RGB, imp.getType());
        var s1 = imp.getStack().getProcessor(1);
        for (int i = 0; i < 64; i++) assertEquals(TokenMaps.colour(5), s1.get(i) | 0xff000000);
        var s2 = imp.getStack().getProcessor(2);
        assertEquals(TokenMaps.colour(0), s2.get(3, 3) | 0xff000000);
        assertEquals(TokenMaps.colour(1), s2.get(4, 3) | 0xff000000);
        assertEquals(TokenMaps.colour(2), s2.get(3, 4) | 0xff000000);
        assertEquals(TokenMaps.colour(3), s2.get(7, 7) | 0xff000000);
    }

    @Test
    void tableHasOneRowPerToken() {
        ResultsTable t = TokenMaps.table(pyramid);
        assertEquals(5, t.size());
        assertEquals(5, t.getValue("Token", 0));
        assertEquals(2, t.getValue("Scale", 3));
        assertEquals(1, t.getValue("Y", 3));
        assertEquals(0, t.getValue("X", 3));
        assertEquals(2, t.getValue("Token", 3));
    }

    @Test
    void nearbyTokenIdsGetDifferentColours() {
        Set<Integer> colours = new HashSet<>();
        for (int id = 0; id < 64; id++) colours.add(TokenMaps.colour(id));
        assertEquals(64, colours.size());
        assertNotEquals(TokenMaps.colour(0), TokenMaps.colour(1));
    }
}
