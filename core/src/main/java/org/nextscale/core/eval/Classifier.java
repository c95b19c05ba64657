package org.nextscale.core.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nextscale.core.io.AtomicWrite;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.io.SafeTensors;
import org.nextscale.core.nn.Ops;
import org.nextscale.core.nn.Params;

/**
 * The small Fashion-MNIST CNN whose feature space the evaluation measures distances in.
 *
 * <pre>
 * input (B, 1, 28, 28) in [0, 1]  -> normalized by the data set's mean 0.2860 and std 0.3530
 * conv1 3x3 pad 1, 1 -> 32, ReLU, max-pool 2   (B, 32, 14, 14)
 * conv2 3x3 pad 1, 32 -> 64, ReLU, max-pool 2  (B, 64, 7, 7)
 * fc1 3136 -> 128, ReLU                        (B, 128)  = the feature space (FD, k-NN)
 * fc2 128 -> 10                                (B, 10)   = class logits
 * </pre>
 *
 * Input geometry: Fashion-MNIST's own 28x28 gray images; see {@link ClassifierInput} for how images at a
 * model's size are mapped to it. Weights live in a safetensors file ({@code models/fmnist-classifier.safetensors},
 * written by {@code nextscale train-classifier}) under the names below, all float32.
 */
public final class Classifier {
    public static final int SIDE = 28;
    public static final int NUM_CLASSES = 10;
    public static final int FEATURES = 128;
    public static final float PIXEL_MEAN = 0.2860f;
    public static final float PIXEL_STD = 0.3530f;
    static final int C1 = 32, C2 = 64;

    /** Parameter names and shapes, in file order. */
    static final Map<String, long[]> SHAPES = shapes();

    private final Params params;

    private Classifier(Params params) {
        this.params = params;
    }

    private static Map<String, long[]> shapes() {
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("conv1.weight", new long[] {C1, 1, 3, 3});
        s.put("conv1.bias", new long[] {C1});
        s.put("conv2.weight", new long[] {C2, C1, 3, 3});
        s.put("conv2.bias", new long[] {C2});
        s.put("fc1.weight", new long[] {FEATURES, C2 * 7 * 7});
        s.put("fc1.bias", new long[] {FEATURES});
        s.put("fc2.weight", new long[] {NUM_CLASSES, FEATURES});
        s.put("fc2.bias", new long[] {NUM_CLASSES});
        return s;
    }

    /** Fresh weights as PyTorch initializes conv and linear layers: uniform(+-1/sqrt(fan_in)). */
    public static Classifier init(long seed, NDManager manager) {
        Random rnd = new Random(seed);
        Params p = new Params(manager);
        for (Map.Entry<String, long[]> e : SHAPES.entrySet()) {
            long[] shape = e.getValue();
            String layer = e.getKey().substring(0, e.getKey().indexOf('.'));
            long[] w = SHAPES.get(layer + ".weight");
            long fanIn = HostTensor.numel(w) / w[0];
            double bound = 1.0 / Math.sqrt(fanIn);
            float[] v = new float[(int) HostTensor.numel(shape)];
            for (int i = 0; i < v.length; i++) v[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
            p.put(e.getKey(), manager.create(v, new Shape(shape)));
        }
        return new Classifier(p);
    }

    /** Loads weights written by {@link #save}; checks every name and shape. */
    public static Classifier load(Path file, NDManager manager) throws IOException {
        if (!Files.isRegularFile(file))
            throw new IOException("classifier weights not found at " + file + ": pass --classifier PATH or train them with"
                    + " 'nextscale train-classifier --out " + file + "'");
        Map<String, HostTensor> t = SafeTensors.read(file);
        for (Map.Entry<String, long[]> e : SHAPES.entrySet()) {
            HostTensor h = t.get(e.getKey());
            if (h == null || !java.util.Arrays.equals(h.shape(), e.getValue()))
                throw new IOException(file + ": not a nextscale Fashion-MNIST classifier (tensor '" + e.getKey()
                        + "' " + (h == null ? "missing" : "has shape " + java.util.Arrays.toString(h.shape())) + ")");
        }
        Params p = new Params(manager);
        for (String name : SHAPES.keySet()) p.put(name, t.get(name).toNDArray(manager));
        return new Classifier(p);
    }

    /** Writes the weights (float32) and {@code metadata} through {@link AtomicWrite}. */
    public void save(Path file, Map<String, String> metadata) throws IOException {
        Map<String, HostTensor> host = params.toHost();
        AtomicWrite.write(file, out -> SafeTensors.write(host, metadata, out));
    }

    public Params params() {
        return params;
    }

    /** Features (B, 128) and logits (B, 10) of images x (B, 1, 28, 28) in [0, 1]; results belong to x's manager. */
    public NDList forward(NDArray x) {
        NDArray h = x.sub(PIXEL_MEAN).div(PIXEL_STD);
        h = Ops.conv2d(h, params.get("conv1.weight"), params.get("conv1.bias"), 1, 1);      // (B, 32, 28, 28)
        h = maxPool2(Activation.relu(h));                                                   // (B, 32, 14, 14)
        h = Ops.conv2d(h, params.get("conv2.weight"), params.get("conv2.bias"), 1, 1);      // (B, 64, 14, 14)
        h = maxPool2(Activation.relu(h));                                                   // (B, 64, 7, 7)
        h = h.reshape(h.getShape().get(0), C2 * 7 * 7);                                     // (B, 3136)
        NDArray features = Activation.relu(Ops.linear(h, params.get("fc1.weight"), params.get("fc1.bias"))); // (B, 128)
        NDArray logits = Ops.linear(features, params.get("fc2.weight"), params.get("fc2.bias"));              // (B, 10)
        return new NDList(features, logits);
    }

    private static NDArray maxPool2(NDArray x) {
        return Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
    }

    /** Features and predicted classes of host images. */
    public record Outputs(float[][] features, int[] predictions) {
        public double accuracy(int[] labels) {
            int right = 0;
            for (int i = 0; i < predictions.length; i++) if (predictions[i] == labels[i]) right++;
            return predictions.length == 0 ? Double.NaN : (double) right / predictions.length;
        }
    }

    /**
     * Runs the network on host images (each 28*28 floats in [0, 1]) in batches, one sub-manager per batch
     * of {@code manager} (on the weights' device); no gradients are recorded.
     */
    public Outputs classify(List<float[]> images, int batch) {
        int n = images.size();
        float[][] feats = new float[n][];
        int[] pred = new int[n];
        NDManager manager = params.manager();
        for (int start = 0; start < n; start += batch) {
            int b = Math.min(batch, n - start);
            float[] x = new float[b * SIDE * SIDE];
            for (int i = 0; i < b; i++) {
                float[] img = images.get(start + i);
                if (img.length != SIDE * SIDE)
                    throw new IllegalArgumentException("the classifier takes 28x28 gray images, got " + img.length + " values");
                System.arraycopy(img, 0, x, i * SIDE * SIDE, SIDE * SIDE);
            }
            try (NDManager step = manager.newSubManager()) {
                NDList out = forward(step.create(x, new Shape(b, 1, SIDE, SIDE)));
                float[] f = out.get(0).toFloatArray();
                long[] am = out.get(1).argMax(1).toLongArray();
                for (int i = 0; i < b; i++) {
                    feats[start + i] = java.util.Arrays.copyOfRange(f, i * FEATURES, (i + 1) * FEATURES);
                    pred[start + i] = (int) am[i];
                }
            }
        }
        return new Outputs(feats, pred);
    }
}
