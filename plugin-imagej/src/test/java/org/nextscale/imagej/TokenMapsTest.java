package org.nextscale.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nextscale.core.api.TokenPyramid;
import org.nextscale.core.render.Render;

class TokenMapsTest {
    private final TokenPyramid pyramid = new TokenPyramid(List.of(1, 2), List.of(new int[] {5}, new int[] {0, 1, 2, 3}));

    @Test
    void oneNearestUpscaledSlicePerScale() {
        ImagePlus imp = TokenMaps.stack(pyramid, 8, "t");
        assertEquals(2, imp.getStackSize());
        assertEquals(8, imp.getWidth());
        assertEquals(ImagePlus.COLOR_RGB, imp.getType());
        assertEquals("scale 2 (2x2)", imp.getStack().getSliceLabel(2));
        var s1 = imp.getStack().getProcessor(1);
        for (int i = 0; i < 64; i++) assertEquals(colour(5), s1.get(i) | 0xff000000);
        var s2 = imp.getStack().getProcessor(2);
        assertEquals(colour(0), s2.get(3, 3) | 0xff000000);
        assertEquals(colour(1), s2.get(4, 3) | 0xff000000);
        assertEquals(colour(2), s2.get(3, 4) | 0xff000000);
        assertEquals(colour(3), s2.get(7, 7) | 0xff000000);
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

    /** The 8-bit RGB pixel ImageJ shows for token {@code id}. */
    static int colour(int id) {
        float[] c = Render.tokenColor(id);
        return 0xff000000 | Math.round(c[0] * 255) << 16 | Math.round(c[1] * 255) << 8 | Math.round(c[2] * 255);
    }
}
