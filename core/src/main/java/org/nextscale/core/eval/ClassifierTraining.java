package org.nextscale.core.eval;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.TrainEvent;
import org.nextscale.core.api.TrainListener;
import org.nextscale.core.api.Devices;
import org.nextscale.core.data.FashionMnist;
import org.nextscale.core.data.LabeledImages;
import org.nextscale.core.train.AdamW;

/**
 * Trains the evaluation {@link Classifier} on Fashion-MNIST's 60,000 training images: cross-entropy,
 * the trainers' {@link AdamW} (lr with cosine decay, weight decay on weights only, no clipping), seeded
 * init and shuffling, one sub-manager per step. Writes the weights with their test accuracy in the file's metadata.
 */
public final class ClassifierTraining {
    private ClassifierTraining() {}

    public record Options(Path dataDir, int epochs, long seed, int batch, double lr, double weightDecay, Device device, Path out) {
        public Options {
            if (epochs < 1) throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
            if (batch < 1) throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
            if (!(lr > 0)) throw new IllegalArgumentException("--lr must be positive, got " + lr);
        }

        public static Options defaults(Path out) {
            return new Options(FashionMnist.defaultDir(), 3, 0, 128, 2e-3, 1e-2, Devices.parse(Devices.DEFAULT), out);
        }
    }

    public record Result(Path file, double testAccuracy, double seconds, long steps, double finalLoss) {}

    public static Result train(Options o, TrainListener listener, CancelToken cancel) throws IOException {
        return train(o, 0, listener, cancel);
    }

    /** Trains on the first {@code trainImages} training images (0: all of them). */
    static Result train(Options o, int trainImages, TrainListener listener, CancelToken cancel) throws IOException {
        long t0 = System.nanoTime();
        LabeledImages train = FashionMnist.load(o.dataDir(), true, trainImages);
        LabeledImages test = FashionMnist.load(o.dataDir(), false, 0);
        int n = train.size(), stepsPerEpoch = (n + o.batch() - 1) / o.batch();
        long total = (long) stepsPerEpoch * o.epochs(), step = 0;
        double loss = Double.NaN;
        try (NDManager manager = NDManager.newBaseManager(o.device())) {
            Classifier net = Classifier.init(o.seed(), manager);
            // the trainers' AdamW: weight decay on conv and linear weights, none on biases (1-D); no clipping
            AdamW opt = new AdamW(net.params(), Classifier.SHAPES.keySet(), 0.9, 0.999, 1e-8);
            Random rnd = new Random(o.seed() + 1);
            int[] order = new int[n];
            Arrays.setAll(order, i -> i);
            long tRecent = System.nanoTime();
            for (int epoch = 0; epoch < o.epochs(); epoch++) {
                shuffle(order, rnd);
                for (int s = 0; s < stepsPerEpoch; s++) {
                    cancel.check();
                    int begin = s * o.batch(), b = Math.min(o.batch(), n - begin);
                    float[] x = new float[b * 784];
                    float[] y = new float[b];
                    for (int i = 0; i < b; i++) {
                        System.arraycopy(train.images()[order[begin + i]], 0, x, i * 784, 784);
                        y[i] = train.labels()[order[begin + i]];
                    }
                    double lr = o.lr() * 0.5 * (1 + Math.cos(Math.PI * step / total)); // cosine decay to 0
                    double acc;
                    try (NDManager sub = manager.newSubManager()) {
                        NDArray xs = sub.create(x, new Shape(b, 1, 28, 28));
                        NDArray ys = sub.create(y, new Shape(b));
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            NDArray logits = net.forward(xs).get(1);                        // (B, 10)
                            NDArray lossArr = crossEntropy(logits, ys);
                            gc.backward(lossArr);
                            loss = lossArr.getFloat();
                            long[] pred = logits.argMax(1).toLongArray();
                            int right = 0;
                            for (int i = 0; i < b; i++) if (pred[i] == (long) y[i]) right++;
                            acc = right / (double) b;
                        }
                        opt.update(lr, o.weightDecay(), 0, 0);
                    }
                    step++;
                    double secs = (System.nanoTime() - tRecent) / 1e9;
                    tRecent = System.nanoTime();
                    double ips = b / Math.max(secs, 1e-9);
                    listener.onStep(new TrainEvent("classifier", step, total, loss, acc, ips, (total - step) * secs));
                }
                listener.onMessage(String.format("epoch %d/%d done, last loss %.4f", epoch + 1, o.epochs(), loss));
            }
            for (NDArray p : net.params().asMap().values()) p.setRequiresGradient(false);
            double testAcc = net.classify(Arrays.asList(test.images()), 500).accuracy(test.labels());
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", "nextscale-fmnist-classifier");
            meta.put("architecture", "conv3x3(1->32) relu maxpool2, conv3x3(32->64) relu maxpool2, fc(3136->128) relu = features, fc(128->10)");
            meta.put("input", "1x28x28 gray in [0,1], Fashion-MNIST geometry; normalized inside by mean 0.2860 std 0.3530");
            meta.put("test_accuracy", String.format("%.4f", testAcc));
            meta.put("command", String.format("nextscale train-classifier --epochs %d --seed %d --batch %d --lr %s --weight-decay %s --out %s",
                    o.epochs(), o.seed(), o.batch(), o.lr(), o.weightDecay(), o.out().getFileName()));
            meta.put("train_seconds", String.format("%.0f", seconds));
            net.save(o.out(), meta);
            listener.onMessage(String.format("test accuracy %.4f, wrote %s", testAcc, o.out()));
            return new Result(o.out(), testAcc, seconds, step, loss);
        }
    }

    /** Mean cross-entropy of logits (B, C) against class indices y (B) held as floats. */
    static NDArray crossEntropy(NDArray logits, NDArray y) {
        NDArray logp = logits.logSoftmax(1);                                   // (B, C)
        NDArray onehot = y.toType(ai.djl.ndarray.types.DataType.INT64, false).oneHot((int) logits.getShape().get(1)).toType(ai.djl.ndarray.types.DataType.FLOAT32, false); // (B, C)
        return logp.mul(onehot).sum().neg().div(logits.getShape().get(0));
    }

    private static void shuffle(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
