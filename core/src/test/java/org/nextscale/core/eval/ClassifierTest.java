package org.nextscale.core.eval;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.TestPaths;
import org.nextscale.core.api.Image;
import org.nextscale.core.data.FashionMnist;
import org.nextscale.core.data.LabeledImages;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.io.SafeTensors;

class ClassifierTest {
    static NDManager manager;
    static Classifier shipped;
    static LabeledImages test;

    static Path shippedFile() {
        return TestPaths.repo().resolve("models/fmnist-classifier.safetensors");
    }

    @BeforeAll
    static void load() throws IOException {
        manager = NDManager.newBaseManager();
        shipped = Classifier.load(shippedFile(), manager);
        test = FashionMnist.load(FashionMnist.defaultDir(), false, 2000);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void shippedClassifierIsAccurateOnTheRealTestSet() {
        Classifier.Outputs out = shipped.classify(Arrays.asList(test.images()), 250);
        double acc = out.accuracy(test.labels());
        System.out.printf("shipped classifier: accuracy %.4f on the first %d test images%n", acc, test.size());
        assertTrue(acc > 0.85, "accuracy " + acc);
        assertEquals(Classifier.FEATURES, out.features()[0].length);
        for (float[] f : out.features())
            for (float v : f) assertTrue(v >= 0 && Float.isFinite(v), "features are ReLU outputs");
    }

    @Test
    void paddedModelSizeImagesAreClassifiedLikeTheOriginals() {
        // 32x32 = Fashion-MNIST with 2 px of zero padding: the crop gives back the 28x28 image exactly
        List<float[]> original = new ArrayList<>(), roundTrip = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            float[] img = test.images()[i];
            Image padded = ClassifierInput.toModel(img, 32);
            assertEquals(32, padded.width());
            assertEquals(0f, padded.get(0, 0, 0));
            assertEquals(0f, padded.get(0, 31, 31));
            float[] back = ClassifierInput.of(padded);
            assertArrayEquals(img, back);
            original.add(img);
            roundTrip.add(back);
        }
        assertArrayEquals(shipped.classify(original, 100).predictions(), shipped.classify(roundTrip, 100).predictions());
    }

    @Test
    void resizedAndColourImagesStillMapToTheInput() {
        // a side that is not a padding (64) goes through bilinear resize; RGB becomes luminance
        float[] img = test.images()[0];
        Image big = org.nextscale.core.api.ImageAdapter.resize(new Image(1, 28, 28, img), 64, 64);
        Image rgb = org.nextscale.core.api.ImageAdapter.convertChannels(big, 3);
        float[] back = ClassifierInput.of(rgb);
        double err = 0;
        for (int i = 0; i < img.length; i++) err = Math.max(err, Math.abs(back[i] - img[i]));
        assertTrue(err < 0.35, "2x up and down again stays close to the original, max error " + err);
        assertEquals(test.labels()[0], shipped.classify(List.of(back), 1).predictions()[0]);
    }

    @Test
    void saveAndLoadRoundTripTheWeights(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("c.safetensors");
        shipped.save(file, Map.of("note", "copy"));
        try (NDManager m = NDManager.newBaseManager()) {
            Classifier copy = Classifier.load(file, m);
            List<float[]> few = Arrays.asList(test.images()).subList(0, 50);
            assertArrayEquals(shipped.classify(few, 50).features()[7], copy.classify(few, 50).features()[7]);
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temp file left behind");
        }
    }

    @Test
    void foreignWeightsFileIsRejectedWithItsName(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("other.safetensors");
        Files.write(file, SafeTensors.toBytes(Map.of("w", HostTensor.ofFloats(new float[4], 2, 2)), null));
        IOException e = assertThrows(IOException.class, () -> Classifier.load(file, manager));
        assertTrue(e.getMessage().contains("not a nextscale Fashion-MNIST classifier"), e.getMessage());
        IOException missing = assertThrows(IOException.class, () -> Classifier.load(dir.resolve("none.safetensors"), manager));
        assertTrue(missing.getMessage().contains("nextscale train-classifier"), missing.getMessage());
    }
}
