package org.nextscale.imagej;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.CompositeImage;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.OvalRoi;
import ij.gui.Roi;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nextscale.core.api.EditMask;
import org.nextscale.core.api.Image;

class ImageConversionTest {

    @Test
    void eightBitIsDividedBy255AndComesBackExactly() {
        ByteProcessor bp = new ByteProcessor(5, 3);
        for (int i = 0; i < 15; i++) bp.set(i, i * 17);
        ImagePlus imp = new ImagePlus("g", bp);
        Image img = ImageConversion.toImage(imp);
        assertEquals(1, img.channels());
        assertEquals(3, img.height());
        assertEquals(5, img.width());
        assertEquals(2 * 17 / 255f, img.get(0, 0, 2), 1e-7);
        ImagePlus back = ImageConversion.like(img, imp, "back");
        assertEquals(ImagePlus.GRAY8, back.getType());
        assertArrayEquals((byte[]) bp.getPixels(), (byte[]) back.getProcessor().getPixels());
    }

    @Test
    void sixteenBitIsMappedFromItsDisplayRangeAndComesBackExactly() {
        ShortProcessor sp = new ShortProcessor(4, 4);
        for (int i = 0; i < 16; i++) sp.set(i, i * 4000 + (i == 15 ? 4000 : 0));
        sp.setMinAndMax(0, 60000);
        ImagePlus imp = new ImagePlus("s", sp);
        Image img = ImageConversion.toImage(imp);
        assertEquals(4000 * 5 / 60000f, img.data()[5], 1e-6);
        assertTrue(img.data()[15] > 1, "a value above the display range passes on unclamped, so it comes back");
        ImagePlus back = ImageConversion.like(img, imp, "back");
        assertEquals(ImagePlus.GRAY16, back.getType());
        assertArrayEquals((short[]) sp.getPixels(), (short[]) back.getProcessor().getPixels());
        assertEquals(60000, back.getProcessor().getMax());
    }

    @Test
    void floatIsMappedFromItsDisplayRangeAndBack() {
        FloatProcessor fp = new FloatProcessor(2, 2, new float[] {-1, 0, 1, 3});
        fp.setMinAndMax(-1, 3);
        ImagePlus imp = new ImagePlus("f", fp);
        Image img = ImageConversion.toImage(imp);
        assertArrayEquals(new float[] {0, 0.25f, 0.5f, 1}, img.data(), 1e-7f);
        ImagePlus back = ImageConversion.like(img, imp, "back");
        assertEquals(ImagePlus.GRAY32, back.getType());
        assertArrayEquals((float[]) fp.getPixels(), (float[]) back.getProcessor().getPixels(), 1e-6f);
    }

    @Test
    void rgbBecomesThreePlanesAndComesBackRgb() {
        ColorProcessor cp = new ColorProcessor(3, 2);
        cp.set(1, 0, (255 << 16) | (128 << 8) | 7);
        ImagePlus imp = new ImagePlus("c", cp);
        Image img = ImageConversion.toImage(imp);
        assertEquals(3, img.channels());
        assertEquals(1f, img.get(0, 0, 1));
        assertEquals(128 / 255f, img.get(1, 0, 1), 1e-7);
        assertEquals(7 / 255f, img.get(2, 0, 1), 1e-7);
        ImagePlus back = ImageConversion.like(img, imp, "back");
        assertEquals(ImagePlus.COLOR_RGB, back.getType());
        assertEquals(cp.get(1, 0) & 0xffffff, back.getProcessor().get(1, 0) & 0xffffff);
    }

    @Test
    void compositeUsesAllChannelsOfTheCurrentSlice() {
        ImageStack st = new ImageStack(2, 2);
        for (int i = 0; i < 4; i++) { // 2 channels x 2 slices
            ByteProcessor bp = new ByteProcessor(2, 2);
            bp.set(0, 10 * (i + 1));
            st.addSlice(bp);
        }
        ImagePlus imp = new ImagePlus("comp", st);
        imp.setDimensions(2, 2, 1);
        CompositeImage ci = new CompositeImage(imp, CompositeImage.COMPOSITE);
        ci.setPosition(1, 2, 1);
        Image img = ImageConversion.toImage(ci);
        assertEquals(2, img.channels());
        assertEquals(30 / 255f, img.get(0, 0, 0), 1e-7);
        assertEquals(40 / 255f, img.get(1, 0, 0), 1e-7);
        ImagePlus back = ImageConversion.like(img, ci, "back");
        assertEquals(2, back.getNChannels());
        assertTrue(back.isComposite());
        assertEquals(40, back.getStack().getProcessor(2).get(0));
    }

    @Test
    void generatedImagesBecomeAnEightBitOrRgbStack() {
        Image gray = new Image(1, 2, 2, new float[] {0, 0.5f, 1, 2});
        ImagePlus g = ImageConversion.stack(List.of(gray, gray, gray), "g", List.of("a", "b", "c"));
        assertEquals(3, g.getStackSize());
        assertEquals(ImagePlus.GRAY8, g.getType());
        assertEquals(128, g.getStack().getProcessor(2).get(1));
        assertEquals(255, g.getStack().getProcessor(2).get(3), "values above 1 are clamped");
        assertEquals("b", g.getStack().getSliceLabel(2));
        ImagePlus c = ImageConversion.stack(List.of(Image.zeros(3, 4, 4)), "c", null);
        assertEquals(ImagePlus.COLOR_RGB, c.getType());
    }

    @Test
    void roiSelectsItsPixels() {
        ImagePlus imp = new ImagePlus("r", new ByteProcessor(10, 8));
        imp.setRoi(new Roi(2, 1, 3, 4));
        EditMask m = ImageConversion.mask(imp, null);
        assertEquals(12, m.count());
        assertTrue(m.selected()[1 * 10 + 2]);
        assertTrue(m.selected()[4 * 10 + 4]);
        assertTrue(!m.selected()[5 * 10 + 4]);
        imp.setRoi(new OvalRoi(0, 0, 10, 8));
        int oval = ImageConversion.mask(imp, null).count();
        assertTrue(oval > 50 && oval < 80, "an oval covers about pi/4 of its box, got " + oval);
    }

    @Test
    void maskImageSelectsItsNonZeroPixels() {
        ImagePlus imp = new ImagePlus("r", new ByteProcessor(4, 4));
        ByteProcessor mp = new ByteProcessor(4, 4);
        mp.set(1, 2, 255);
        mp.set(3, 3, 1);
        EditMask m = ImageConversion.mask(imp, new ImagePlus("mask", mp));
        assertEquals(2, m.count());
        assertTrue(m.selected()[2 * 4 + 1]);
    }

    @Test
    void missingOrEmptySelectionIsAClearError() {
        ImagePlus imp = new ImagePlus("r", new ByteProcessor(4, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageConversion.mask(imp, null));
        assertTrue(e.getMessage().contains("mask=[title]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ImageConversion.mask(imp, new ImagePlus("m", new ByteProcessor(4, 4))));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ImageConversion.mask(imp, new ImagePlus("m", new ByteProcessor(5, 4))));
        assertTrue(e.getMessage().contains("same size"), e.getMessage());
    }
}
