package org.nextscale.core.api;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class ImageAdapterTest {

    static Image ramp(int c, int h, int w) {
        float[] d = new float[c * h * w];
        for (int i = 0; i < d.length; i++) d[i] = (i % 97) / 96f;
        return new Image(c, h, w, d);
    }

    @Test
    void slightlySmallerImagesArePaddedAndCroppedBackExactly() {
        Image img = ramp(1, 28, 28);
        Image m = ImageAdapter.toModel(img, 32, 1);
        assertEquals(32, m.height());
        assertEquals(0f, m.get(0, 0, 0));
        assertEquals(img.get(0, 0, 0), m.get(0, 2, 2));
        assertArrayEquals(img.data(), ImageAdapter.fromModel(m, img).data());
    }

    @Test
    void otherSizesAreResizedAndChannelsConverted() {
        Image rgb = ramp(3, 64, 48);
        Image m = ImageAdapter.toModel(rgb, 32, 1);
        assertEquals(1, m.channels());
        assertEquals(32, m.width());
        Image back = ImageAdapter.fromModel(m, rgb);
        assertEquals(3, back.channels());
        assertEquals(64, back.height());
        assertEquals(48, back.width());
        // a constant image stays constant through resizing both ways
        Image flat = new Image(1, 20, 20, new float[400]);
        java.util.Arrays.fill(flat.data(), 0.25f);
        for (float v : ImageAdapter.toModel(flat, 32, 3).data()) assertEquals(0.25f, v, 1e-6f);
        assertFalse(ImageAdapter.pads(20, 20, 32));
        assertTrue(ImageAdapter.pads(28, 28, 32));
    }
}
