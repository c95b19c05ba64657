package org.nextscale.core.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.data.LabeledImages;

/**
 * The whole evaluation, on plain inputs so that it runs without a model: real Fashion-MNIST images,
 * optionally a sample source (class, count, seed) -> images, and optionally a reconstruction function.
 * Everything is seeded, so a run is repeatable and runs with the same n and seed are comparable:
 * <ol>
 *   <li>n test images and n training images, each balanced over the classes, chosen by the seed;</li>
 *   <li>the classifier's features and predictions on both: real accuracy, FD floor = FD(train, test);</li>
 *   <li>n samples, n/10 per class, requested in batches with seeds derived from (seed, class, batch);
 *       their accuracy against the requested class, FD(samples, test), k-NN precision/recall;</li>
 *   <li>the tokenizer's reconstruction of the n test images: mean PSNR and SSIM on the 28x28 content;</li>
 *   <li>the tokenizer's reconstruction of the n training images: FD(reconstructions, test). It is measured
 *       like the floor (same training images, same test images) and like the samples' FD (generated vs
 *       test), so floor &lt;= FD of reconstructions &lt;= FD of samples is the expected order: no generator
 *       that decodes through this tokenizer can be expected to get closer to the test set than the
 *       tokenizer's own reconstructions of real training images.</li>
 * </ol>
 * Without a sample source (a tokenizer-only model) the sample metrics are NaN; without a reconstructor
 * the reconstruction metrics are.
 */
public final class Evaluator {
    /** Images per batched reconstruction request. */
    static final int RECON_CHUNK = 100;
    /** Pixels of Gaussian blur in the calibration point fd_blur (real training images made that soft). */
    public static final double BLUR_SIGMA = 0.5;

    private Evaluator() {}

    /**
     * @param n     samples per set (balanced over classes)
     * @param seed  selects the real subsets and seeds sampling
     * @param batch images requested from the sample source per call (fixed, since batching may change samples)
     * @param k     neighbourhood size of precision/recall
     */
    public record Settings(int n, long seed, int batch, int k) {
        public Settings {
            if (n < 20) throw new IllegalArgumentException("--n must be at least 20 (two samples per class), got " + n);
            if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batch);
            if (k < 1) throw new IllegalArgumentException("k must be at least 1, got " + k);
        }

        public static Settings of(int n, long seed) {
            return new Settings(n, seed, 50, KnnPrecisionRecall.DEFAULT_K);
        }
    }

    /** Class-conditional samples: {@code count} images of class {@code classId}, any size (mapped by {@link ClassifierInput}). */
    @FunctionalInterface
    public interface SampleSource {
        List<Image> sample(int classId, int count, long seed);
    }

    /** The tokenizer's round trip of a 28x28 gray image, at 28x28 or at the model's size (mapped by {@link ClassifierInput}). */
    @FunctionalInterface
    public interface Reconstructor {
        Image reconstruct(Image image28);

        /** Several at once; a model batches them (one engine call per chunk instead of per image). */
        default List<Image> reconstructAll(List<Image> images28) {
            List<Image> out = new ArrayList<>(images28.size());
            for (Image image : images28) out.add(reconstruct(image));
            return out;
        }
    }

    /**
     * Evaluates a loaded model: samples with {@code sampling} (class, count and seed are set per request).
     * A tokenizer-only model is evaluated without samples: its sample metrics are NaN.
     */
    public static EvalResult evaluate(VarModel model, SampleOptions sampling, Settings s, LabeledImages test,
                                      LabeledImages train, Classifier classifier, ProgressListener progress, CancelToken cancel) {
        int side = model.config().imageSize();
        SampleSource source = null;
        if (model.config().hasTransformer()) {
            int classes = model.config().classNames().size();
            if (classes != test.numClasses())
                throw new IllegalArgumentException("the model has " + classes + " classes but Fashion-MNIST has " + test.numClasses()
                        + ": evaluation needs a model trained on Fashion-MNIST");
            source = (c, count, seed) ->
                    model.generate(sampling.withClass(c).withCount(count).withSeed(seed), ProgressListener.NONE, cancel);
        }
        Reconstructor recon = new Reconstructor() {
            @Override
            public Image reconstruct(Image image28) {
                return model.reconstruct(ClassifierInput.toModel(image28.data(), side));
            }

            @Override
            public List<Image> reconstructAll(List<Image> images28) {
                List<Image> atModel = new ArrayList<>(images28.size());
                for (Image image : images28) atModel.add(ClassifierInput.toModel(image.data(), side));
                return model.reconstruct(atModel);
            }
        };
        return evaluate(s, test, train, classifier, source, recon, progress, cancel);
    }

    /**
     * @param source the generator; null for none (sample metrics NaN, as for a tokenizer-only model)
     * @param recon  the tokenizer's round trip; null for none (PSNR, SSIM and FD of reconstructions NaN)
     */
    public static EvalResult evaluate(Settings s, LabeledImages test, LabeledImages train, Classifier classifier,
                                      SampleSource source, Reconstructor recon, ProgressListener progress, CancelToken cancel) {
        long t0 = System.nanoTime();
        int classes = test.numClasses();
        int[] testIdx = balancedSubset(test, s.n(), s.seed());
        int[] trainIdx = balancedSubset(train, s.n(), s.seed() + 1);
        List<float[]> testImages = pick(test, testIdx), trainImages = pick(train, trainIdx);
        int[] testLabels = labels(test, testIdx);

        progress.progress("classify real images", 0, 3);
        Classifier.Outputs realOut = classifier.classify(testImages, 250);
        cancel.check();
        Classifier.Outputs trainOut = classifier.classify(trainImages, 250);
        progress.progress("classify real images", 2, 3);
        cancel.check();
        double fdFloor = Frechet.distance(trainOut.features(), realOut.features());
        List<float[]> blurred = new ArrayList<>(trainImages.size());
        for (float[] img : trainImages) blurred.add(ImageMetrics.gaussianBlur(img, ClassifierInput.SIDE, ClassifierInput.SIDE, BLUR_SIGMA));
        double fdBlur = Frechet.distance(classifier.classify(blurred, 250).features(), realOut.features());
        progress.progress("classify real images", 3, 3);
        cancel.check();

        Samples smp = source == null ? Samples.NONE : sample(s, classes, source, classifier, realOut, progress, cancel);

        double psnr = Double.NaN, ssim = Double.NaN, fdRecon = Double.NaN;
        int reconstructed = 0;
        if (recon != null) {
            double psnrSum = 0, ssimSum = 0;
            List<float[]> testRecons = reconstructAll(recon, testImages, "reconstruct test images", progress, cancel);
            for (int i = 0; i < testImages.size(); i++) {
                float[] img = testImages.get(i), rec = testRecons.get(i);
                psnrSum += ImageMetrics.psnr(img, rec);
                ssimSum += ImageMetrics.ssim(img, rec, ClassifierInput.SIDE, ClassifierInput.SIDE);
                reconstructed++;
            }
            psnr = psnrSum / reconstructed;
            ssim = ssimSum / reconstructed;
            List<float[]> trainRecons = reconstructAll(recon, trainImages, "reconstruct training images", progress, cancel);
            Classifier.Outputs reconOut = classifier.classify(trainRecons, 250);
            cancel.check();
            fdRecon = Frechet.distance(reconOut.features(), realOut.features());
        }
        return new EvalResult(s.n(), s.seed(), s.k(), smp.count(), reconstructed, psnr, ssim, smp.fd(), fdFloor, fdRecon, fdBlur,
                smp.accuracy(), realOut.accuracy(testLabels), smp.classAccuracy(classes),
                perClass(realOut.predictions(), testLabels, classes), smp.precision(), smp.recall(), test.classNames(),
                smp.seconds(), (System.nanoTime() - t0) / 1e9);
    }

    /** What the samples scored; {@link #NONE} when there was nothing to sample from. */
    private record Samples(int count, double fd, double accuracy, double[] perClass, double precision, double recall, double seconds) {
        static final Samples NONE = new Samples(0, Double.NaN, Double.NaN, null, Double.NaN, Double.NaN, 0);

        double[] classAccuracy(int classes) {
            if (perClass != null) return perClass;
            double[] nan = new double[classes];
            Arrays.fill(nan, Double.NaN);
            return nan;
        }
    }

    /** n samples, balanced over the classes, in fixed-size requests with derived seeds; scored against the test features. */
    private static Samples sample(Settings s, int classes, SampleSource source, Classifier classifier, Classifier.Outputs realOut,
                                  ProgressListener progress, CancelToken cancel) {
        long ts = System.nanoTime();
        int[] quota = quotas(s.n(), classes);
        List<float[]> samples = new ArrayList<>(s.n());
        int[] sampleLabels = new int[s.n()];
        for (int c = 0; c < classes; c++) {
            for (int done = 0, chunk = 0; done < quota[c]; chunk++) {
                cancel.check();
                int count = Math.min(s.batch(), quota[c] - done);
                List<Image> got = source.sample(c, count, sampleSeed(s.seed(), c, chunk));
                if (got.size() != count)
                    throw new IllegalStateException("the model returned " + got.size() + " images for a request of " + count);
                for (Image img : got) {
                    sampleLabels[samples.size()] = c;
                    samples.add(ClassifierInput.of(img));
                }
                done += count;
                progress.progress("sample", samples.size(), s.n());
            }
        }
        double seconds = (System.nanoTime() - ts) / 1e9;
        Classifier.Outputs sampleOut = classifier.classify(samples, 250);
        cancel.check();
        progress.progress("distances", 0, 2);
        double fd = Frechet.distance(sampleOut.features(), realOut.features());
        KnnPrecisionRecall.Result pr = KnnPrecisionRecall.compute(realOut.features(), sampleOut.features(), s.k());
        progress.progress("distances", 2, 2);
        return new Samples(samples.size(), fd, sampleOut.accuracy(sampleLabels), perClass(sampleOut.predictions(), sampleLabels, classes),
                pr.precision(), pr.recall(), seconds);
    }

    /** The tokenizer's round trip of 28x28 images, back on the 28x28 content, in chunks of {@link #RECON_CHUNK}. */
    private static List<float[]> reconstructAll(Reconstructor recon, List<float[]> images28, String stage, ProgressListener progress,
                                                CancelToken cancel) {
        List<float[]> out = new ArrayList<>(images28.size());
        for (int from = 0; from < images28.size(); from += RECON_CHUNK) {
            cancel.check();
            List<Image> chunk = new ArrayList<>();
            for (float[] img : images28.subList(from, Math.min(images28.size(), from + RECON_CHUNK)))
                chunk.add(new Image(1, ClassifierInput.SIDE, ClassifierInput.SIDE, img));
            List<Image> got = recon.reconstructAll(chunk);
            if (got.size() != chunk.size())
                throw new IllegalStateException("the tokenizer returned " + got.size() + " reconstructions for " + chunk.size() + " images");
            for (Image r : got) out.add(ClassifierInput.of(r));
            progress.progress(stage, out.size(), images28.size());
        }
        return out;
    }

    /** Images per class: n / classes each, the first n % classes classes one more. */
    static int[] quotas(int n, int classes) {
        int[] q = new int[classes];
        for (int c = 0; c < classes; c++) q[c] = n / classes + (c < n % classes ? 1 : 0);
        return q;
    }

    /** Indices of n images, {@link #quotas} per class, drawn by a seeded shuffle of the whole set. */
    static int[] balancedSubset(LabeledImages set, int n, long seed) {
        int[] quota = quotas(n, set.numClasses());
        int[] order = new int[set.size()];
        Arrays.setAll(order, i -> i);
        Random rnd = new Random(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] out = new int[n];
        int taken = 0;
        for (int i : order) {
            int c = set.labels()[i];
            if (quota[c] > 0) {
                quota[c]--;
                out[taken++] = i;
            }
        }
        if (taken < n)
            throw new IllegalArgumentException("--n " + n + " needs " + quotas(n, set.numClasses())[0]
                    + " images per class but the data set has fewer (" + set.size() + " images): use a smaller --n");
        return out;
    }

    /** Seed of request {@code chunk} of class {@code c}: distinct for every (seed, class, chunk). */
    static long sampleSeed(long seed, int c, int chunk) {
        return seed * 1_000_003L + c * 100_003L + chunk;
    }

    static double[] perClass(int[] pred, int[] labels, int classes) {
        double[] right = new double[classes], total = new double[classes];
        for (int i = 0; i < labels.length; i++) {
            total[labels[i]]++;
            if (pred[i] == labels[i]) right[labels[i]]++;
        }
        for (int c = 0; c < classes; c++) right[c] = total[c] == 0 ? Double.NaN : right[c] / total[c];
        return right;
    }

    private static List<float[]> pick(LabeledImages set, int[] idx) {
        List<float[]> out = new ArrayList<>(idx.length);
        for (int i : idx) out.add(set.images()[i]);
        return out;
    }

    private static int[] labels(LabeledImages set, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) out[i] = set.labels()[idx[i]];
        return out;
    }
}
