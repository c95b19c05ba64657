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
    void oneNearestUpscaledSlicePerScaleWithTheTokenIdsAsPixelValues() {
        ImagePlus imp = TokenMaps.stack(pyramid, 8, "t", 256);
        assertEquals(2, imp.getStackSize());
        assertEquals(8, imp.getWidth());
        assertEquals(ImagePlus.GRAY8, imp.getType(), "a vocabulary of 256 fits 8 bits");
        assertEquals("scale 2 (2x2)", imp.getStack().getSliceLabel(2));
        var s1 = imp.getStack().getProcessor(1);
        for (int i = 0; i < 64; i++) assertEquals(5, s1.get(i), "hovering shows the token id");
        var s2 = imp.getStack().getProcessor(2);
        assertEquals(0, s2.get(3, 3));
        assertEquals(1, s2.get(4, 3));
        assertEquals(2, s2.get(3, 4));
        assertEquals(3, s2.get(7, 7));
        // the colour table gives each id the colour every front end gives that token
        imp.setSlice(2);
        java.awt.image.IndexColorModel cm = (java.awt.image.IndexColorModel) imp.getProcessor().getColorModel();
        for (int id : new int[] {0, 1, 2, 3, 5}) assertEquals(colour(id), cm.getRGB(id) | 0xff000000, "colour of token " + id);
    }

    @Test
    void largeVocabulariesKeepTheirIdsIn16Bits() {
        TokenPyramid big = new TokenPyramid(List.of(1, 2), List.of(new int[] {511}, new int[] {0, 300, 2, 3}));
        ImagePlus imp = TokenMaps.stack(big, 8, "t", 512);
        assertEquals(ImagePlus.GRAY16, imp.getType());
        assertEquals(511, imp.getStack().getProcessor(1).get(0));
        assertEquals(300, imp.getStack().getProcessor(2).get(4, 0));
        assertEquals(511, imp.getDisplayRangeMax(), 0, "the colour table spans every id");
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
