package org.nextscale.core.eval;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.TrainEvent;
import org.nextscale.core.data.FashionMnist;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.io.SafeTensors;

/** A short classifier training on the first 2000 Fashion-MNIST images: it learns, and a seed makes it repeatable. */
class ClassifierTrainingTest {

    static ClassifierTraining.Result run(Path out, List<TrainEvent> events) throws IOException {
        ClassifierTraining.Options o = new ClassifierTraining.Options(FashionMnist.defaultDir(), 2, 0, 100, 2e-3, 1e-2, Device.cpu(), out);
        return ClassifierTraining.train(o, 2000, events::add, CancelToken.none());
    }

    @Test
    void learnsAndIsRepeatableForASeed(@TempDir Path dir) throws IOException {
        List<TrainEvent> events = new ArrayList<>();
        ClassifierTraining.Result a = run(dir.resolve("a.safetensors"), events);
        ClassifierTraining.Result b = run(dir.resolve("b.safetensors"), new ArrayList<>());
        System.out.printf("classifier, 2 epochs of 2000 images: first loss %.4f, last %.4f, test accuracy %.4f%n",
                events.get(0).loss(), a.finalLoss(), a.testAccuracy());

        assertEquals(40, a.steps());
        assertEquals(40, events.size());
        assertTrue(events.get(0).loss() > 2.0, "an untrained 10-class net starts near ln 10: " + events.get(0).loss());
        assertTrue(a.finalLoss() < 1.2, "loss after 40 steps " + a.finalLoss());
        assertTrue(a.testAccuracy() > 0.6, "test accuracy after 40 steps " + a.testAccuracy());

        // same seed: the same weights, bit for bit
        Map<String, HostTensor> wa = SafeTensors.read(a.file()), wb = SafeTensors.read(b.file());
        assertEquals(Classifier.SHAPES.keySet(), wa.keySet());
        for (String k : wa.keySet()) assertArrayEquals(wa.get(k).toFloats(), wb.get(k).toFloats(), k);
        assertEquals(a.testAccuracy(), b.testAccuracy());

        // the written file is a classifier the evaluation can load
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            Classifier loaded = Classifier.load(a.file(), m);
            assertNotNull(loaded);
        }
        assertTrue(Files.size(a.file()) > 1_000_000);
    }
}
