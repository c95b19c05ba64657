package org.nextscale.core.transformer;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nextscale.core.api.EditMask;

class EditMasksTest {

    @ParameterizedTest
    @ValueSource(strings = {"tiny-a", "tiny-b"})
    void boxAndPerScaleMasksMatchReference(String name) throws IOException {
        try (ParityCase pc = ParityCase.load(name)) {
            JsonObject e = pc.sampling().getAsJsonObject("edit");
            int side = pc.lastSide();
            float[] mask = EditMasks.box(side, e.get("y0").getAsDouble(), e.get("x0").getAsDouble(), e.get("y1").getAsDouble(),
                    e.get("x1").getAsDouble(), e.get("inpainting").getAsBoolean());
            pc.assertClose("edit_mask", mask, new long[] {side, side});
            for (int k = 0; k < pc.config.numScales(); k++) {
                int pn = pc.config.patchNums().get(k);
                boolean[] keep = EditMasks.forScale(mask, side, pn);
                long[] both = new long[2 * keep.length];
                for (int i = 0; i < keep.length; i++) both[i] = both[keep.length + i] = keep[i] ? 1 : 0;
                pc.assertTokens("inpaint_keep_s" + k, both);
            }
            // the same box given as a pixel selection at image size gives the same final-scale mask
            EditMask px = EditMask.box(pc.config.imageSize(), pc.config.imageSize(), e.get("y0").getAsDouble(),
                    e.get("x0").getAsDouble(), e.get("y1").getAsDouble(), e.get("x1").getAsDouble());
            assertArrayEquals(mask, EditMasks.fromPixels(px, side, false));
        }
    }

    @Test
    void halfwayValuesFollowFloat32() {
        // 8 -> 6: in real arithmetic output 1 samples 1.5 and output 4 samples 5.5, both exactly halfway.
        // With the float scale 8/6 = 1.3333334f the sources are 1.50000006 and 5.50000018, so a mask that
        // steps 1 -> 0 at 2 gives 0.49999994 at output 1 (dropped) and one that steps 0 -> 1 at 6 gives
        // 0.50000018 at output 4 (kept), as in the reference's inpaint_keep_s4 of tiny-a.
        float[] down = new float[64], up = new float[64];
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++) {
                down[y * 8 + x] = x < 2 ? 1 : 0;
                up[y * 8 + x] = x >= 6 ? 1 : 0;
            }
        assertEquals(0.49999994f, EditMasks.bilinear(down, 8, 8, 6, 6)[1]);
        assertEquals(0.50000018f, EditMasks.bilinear(up, 8, 8, 6, 6)[4]);
        assertFalse(EditMasks.forScale(down, 8, 6)[1]);
        assertTrue(EditMasks.forScale(up, 8, 6)[4]);
        assertTrue(EditMasks.forScale(new float[64], 8, 1)[0], "a 1-token scale keeps everything");
    }

    @Test
    void pixelMaskAreaAveragesOntoTokens() {
        // 6x6 pixels onto 2x2 tokens (3x3 pixels each); select the top-left 2x2 pixels (4/9 of token 0) and
        // the whole bottom-right token
        boolean[] sel = new boolean[36];
        for (int y = 0; y < 2; y++) for (int x = 0; x < 2; x++) sel[y * 6 + x] = true;
        for (int y = 3; y < 6; y++) for (int x = 3; x < 6; x++) sel[y * 6 + x] = true;
        EditMask m = new EditMask(6, 6, sel);
        assertArrayEquals(new float[] {1, 1, 1, 0}, EditMasks.fromPixels(m, 2, false), "in-paint keeps tokens mostly outside");
        assertArrayEquals(new float[] {0, 0, 0, 1}, EditMasks.fromPixels(m, 2, true), "out-paint keeps tokens mostly inside");
    }
}
