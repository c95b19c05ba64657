package org.nextscale.core.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.Devices;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.data.FashionMnist;
import org.nextscale.core.data.LabeledImages;
import org.nextscale.core.eval.Classifier;
import org.nextscale.core.eval.EvalResult;
import org.nextscale.core.eval.Evaluator;
import org.nextscale.core.eval.KnnPrecisionRecall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nextscale eval}: tokenizer PSNR/SSIM, FD against its floor, class accuracy and k-NN precision/recall, offline. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a Fashion-MNIST model offline with fixed seeds: tokenizer PSNR/SSIM on the test set, "
                + "Frechet distance of class-conditional samples to the test set in the classifier's feature space "
                + "(floor = the same distance from real training images), class accuracy of the samples, k-NN precision/recall. "
                + "Progress goes to stderr, the table (or with --json one JSON object) to stdout.")
final class EvalCommand implements Callable<Integer> {
    static final String CLASSIFIER_FILE = "fmnist-classifier.safetensors";

    @Option(names = "--model", required = true, description = "model file (.zip)")
    Path model;

    @Option(names = "--data", defaultValue = "fashion-mnist", description = "fashion-mnist (the installed data set) or a folder with its IDX files (default: ${DEFAULT-VALUE})")
    String data;

    @Option(names = "--n", defaultValue = "10000", description = "samples, test images and training images, balanced over classes (default: ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--seed", defaultValue = "0", description = "selects the real subsets and seeds sampling (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", description = "print one JSON object instead of a table")
    boolean json;

    @Option(names = "--classifier", description = "classifier weights (default: " + CLASSIFIER_FILE + " beside the model, else models/ of the installation)")
    Path classifier;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--batch", defaultValue = "50", description = "images per sampling call; part of what makes runs comparable (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--cfg", defaultValue = "3.0", description = "classifier-free guidance of the samples (default: ${DEFAULT-VALUE})")
    double cfg;

    @Option(names = "--top-k", defaultValue = "0", description = "top-k sampling, 0 = off (default: ${DEFAULT-VALUE})")
    int topK;

    @Option(names = "--top-p", defaultValue = "0.95", description = "top-p sampling, 0 or 1 = off (default: ${DEFAULT-VALUE})")
    double topP;

    @Override
    public Integer call() throws Exception {
        Evaluator.Settings settings = new Evaluator.Settings(n, seed, batch, KnnPrecisionRecall.DEFAULT_K);
        Device dev = Devices.parse(device);
        Path classifierFile = classifierFile(classifier, model);
        if (!Files.isRegularFile(model)) throw new IOException("model file not found: " + model);
        Path dir = DataOption.dir(data);
        System.err.println("loading Fashion-MNIST from " + dir);
        LabeledImages test = FashionMnist.load(dir, false, 0);
        LabeledImages train = FashionMnist.load(dir, true, 0);
        SampleOptions sampling = SampleOptions.defaults().withCfg(cfg).withTopK(topK).withTopP(topP);
        EvalResult r;
        try (NDManager manager = NDManager.newBaseManager(dev)) {
            Classifier clf = Classifier.load(classifierFile, manager);
            System.err.println("classifier " + classifierFile + ", model " + model);
            try (VarModel m = VarModel.load(model, dev)) {
                r = Evaluator.evaluate(m, sampling, settings, test, train, clf, stderrProgress(), CancelToken.none());
            }
        }
        System.out.print(json ? r.toJson() + System.lineSeparator() : r.toTable());
        return 0;
    }

    /** The given file, else the one beside the model, else nextscale.home/models; fails with what to do. */
    static Path classifierFile(Path given, Path model) throws IOException {
        if (given != null) {
            if (!Files.isRegularFile(given)) throw new IOException("classifier weights not found: " + given);
            return given;
        }
        Path dirOfModel = model.toAbsolutePath().getParent();
        Path beside = dirOfModel == null ? null : dirOfModel.resolve(CLASSIFIER_FILE);
        if (beside != null && Files.isRegularFile(beside)) return beside;
        String home = System.getProperty("nextscale.home");
        if (home != null) {
            Path shipped = Path.of(home, "models", CLASSIFIER_FILE);
            if (Files.isRegularFile(shipped)) return shipped;
        }
        throw new IOException("no classifier weights found (looked for " + CLASSIFIER_FILE + " beside the model and in the"
                + " installation's models/ folder): pass --classifier PATH or train one with 'nextscale train-classifier --out "
                + (beside != null ? beside : CLASSIFIER_FILE) + "'");
    }

    /** Stage changes and every tenth of a stage, on stderr. */
    static ProgressListener stderrProgress() {
        return new ProgressListener() {
            String stage = "";
            long lastTenth = -1;

            @Override
            public void progress(String s, long done, long total) {
                long tenth = total > 0 ? done * 10 / total : 0;
                if (!s.equals(stage) || tenth != lastTenth) {
                    System.err.printf("%s: %d/%d%n", s, done, total);
                    stage = s;
                    lastTenth = tenth;
                }
            }
        };
    }
}
