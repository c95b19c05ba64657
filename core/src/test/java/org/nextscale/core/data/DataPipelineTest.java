package org.nextscale.core.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataPipelineTest {

    @Test
    void fashionMnistIsPaddedTo32() throws IOException {
        LabeledImages set = Datasets.open("fashion-mnist", 5, 32, 1, 0);
        LabeledImages raw = FashionMnist.load(FashionMnist.defaultDir(), true, 5);
        assertEquals(5, set.size());
        assertEquals(32, set.height());
        // 2 pixels of padding around the 28x28 image, pixels unchanged
        assertEquals(raw.images()[0][5 * 28 + 7], set.images()[0][(5 + 2) * 32 + 7 + 2]);
        assertEquals(0f, set.images()[0][0]);
        LabeledImages rgb = Datasets.open("fashion-mnist", 2, 32, 3, 0);
        assertEquals(3, rgb.channels());
        assertEquals(set.images()[1][500], rgb.images()[1][2 * 1024 + 500]);
    }

    @Test
    void missingFashionMnistNamesTheDebianPackage(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> Datasets.open("fashion-mnist:" + dir, 0, 32, 1, 0));
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void largerImagesAreResized() {
        LabeledImages big = SyntheticImages.generate(3, 64, 1, 1);
        LabeledImages small = ImageFit.fit(big, 16, 1);
        assertEquals(16, small.width());
        // a 4x4 box average: the mean brightness is preserved
        double a = 0, b = 0;
        for (float v : big.images()[0]) a += v;
        for (float v : small.images()[0]) b += v;
        assertEquals(a / (64 * 64), b / (16 * 16), 1e-4);
    }

    @Test
    void syntheticSetIsDeterministicAndBalanced() {
        LabeledImages a = SyntheticImages.generate(40, 16, 1, 7), b = SyntheticImages.generate(40, 16, 1, 7);
        LabeledImages c = SyntheticImages.generate(40, 16, 1, 8);
        for (int i = 0; i < 40; i++) assertArrayEquals(a.images()[i], b.images()[i]);
        assertFalse(Arrays.equals(a.images()[0], c.images()[0]));
        int[] per = new int[4];
        for (int l : a.labels()) per[l]++;
        assertArrayEquals(new int[] {10, 10, 10, 10}, per);
        for (float[] img : a.images()) {
            double s = 0;
            for (float v : img) s += v;
            assertTrue(s > 5, "every image shows a shape");
        }
    }

    @Test
    void dataOrderVisitsEveryImageOncePerEpochAndDependsOnTheStepOnly() {
        DataOrder order = new DataOrder(10, 4, 3, true);
        int[] seen = new int[10];
        // steps 0..4 cover 20 positions = 2 epochs
        for (int s = 0; s < 5; s++) for (int i : order.indices(s)) seen[i]++;
        for (int n : seen) assertEquals(2, n);
        DataOrder again = new DataOrder(10, 4, 3, true);
        assertArrayEquals(order.indices(3), again.indices(3)); // fresh object, same answer (resume)
        assertArrayEquals(order.flips(3), again.flips(3));
        assertFalse(Arrays.equals(order.indices(0), new DataOrder(10, 4, 4, true).indices(0)));
        boolean[] none = new DataOrder(10, 4, 3, false).flips(3);
        for (boolean f : none) assertFalse(f);
    }

    @Test
    void loaderDeliversStepsInOrderAndSurfacesErrors() {
        try (BatchLoader<Long> l = new BatchLoader<>(3, 8, 2, s -> s)) {
            for (long s = 3; s < 8; s++) assertEquals(s, l.next());
        }
        try (BatchLoader<Long> l = new BatchLoader<>(0, 8, 2, s -> {
            if (s == 1) throw new IllegalArgumentException("bad batch");
            return s;
        })) {
            assertEquals(0L, l.next());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, l::next);
            assertEquals("bad batch", e.getMessage());
        }
    }

    @Test
    void flipMirrorsRows() {
        float[] img = {1, 2, 3, 4, 5, 6};
        DataOrder.flipInPlace(img, 1, 2, 3);
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, img);
    }
}
