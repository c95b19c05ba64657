package org.nextscale.core.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    @Test
    void readsTheRealTestSplit() throws IOException {
        LabeledImages test = FashionMnist.load(FashionMnist.defaultDir(), false, 0);
        assertEquals(10_000, test.size());
        assertEquals(28 * 28, test.images()[0].length);
        int[] perClass = new int[10];
        double mean = 0;
        for (int i = 0; i < test.size(); i++) {
            perClass[test.labels()[i]]++;
            for (float v : test.images()[i]) mean += v;
        }
        for (int c : perClass) assertEquals(1000, c); // the test split is balanced
        mean /= test.size() * 784.0;
        assertEquals(0.286, mean, 0.01); // Fashion-MNIST's known pixel mean
        assertEquals(9, test.labels()[0]); // first test image is an ankle boot
    }

    @Test
    void missingFolderNamesTheDebianPackage(@TempDir Path empty) {
        IOException e = assertThrows(IOException.class, () -> FashionMnist.load(empty, true, 10));
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    }
}
