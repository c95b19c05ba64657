package org.nextscale.core.cli;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nextscale.core.api.Devices;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.data.FashionMnist;
import org.nextscale.core.data.LabeledImages;
import org.nextscale.core.eval.Classifier;
import org.nextscale.core.eval.EditEvaluation;
import org.nextscale.core.eval.EvalResult;
import org.nextscale.core.eval.Evaluator;
import org.nextscale.core.eval.KnnPrecisionRecall;
import org.nextscale.core.api.ShippedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nextscale eval}: tokenizer PSNR/SSIM and FD of reconstructions, FD against its floor and a blur yardstick, class accuracy and
 * k-NN precision/recall, offline. Tokenizer-only models get the tokenizer metrics, sample metrics are null.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a Fashion-MNIST model offline with fixed seeds: tokenizer PSNR/SSIM on the test set, "
                + "Frechet distance of class-conditional samples to the test set in the classifier's feature space "
                + "(floor = the same distance from real training images; fd_reconstruction = from the tokenizer's "
                + "reconstructions of those training images, the best a generator on this tokenizer can be expected to reach; "
                + "fd_blur = from those training images blurred by 0.5 px, a yardstick of what softness costs), "
                + "class accuracy of the samples, k-NN precision/recall. "
                + "A tokenizer-only model (written by train-tokenizer) is evaluated without samples: PSNR, SSIM, "
                + "fd_reconstruction, fd_blur, fd_floor and real_accuracy are measured, the sample metrics (fd, sample_accuracy, "
                + "precision, recall, their ratios and targets) are null in the JSON and '-' in the table, and \"samples\" is 0. "
                + "--seed selects the real subsets and seeds sampling. Progress goes to stderr, the table (or with --json "
                + "one JSON object) to stdout.")
final class EvalCommand implements Callable<Integer> {
    static final String CLASSIFIER_FILE = "fmnist-classifier.safetensors";

    @Mixin ModelOptions model;

    @Mixin SamplingOptions sampling;

    @Spec CommandSpec spec;

    @Option(names = "--data", defaultValue = "fashion-mnist", description = "fashion-mnist (the installed data set) or a folder with its IDX files (default: ${DEFAULT-VALUE})")
    String data;

    @Option(names = "--n", defaultValue = "10000", description = "samples, test images and training images, balanced over classes (default: ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--json", description = "print one JSON object instead of a table")
    boolean json;

    @Option(names = "--classifier", description = "classifier weights (default: " + CLASSIFIER_FILE + " beside the model, else models/ of the installation)")
    Path classifier;

    @Option(names = "--batch", defaultValue = "50", description = "images per sampling call; part of what makes runs comparable (default: ${DEFAULT-VALUE})")
    int batch;

    /** eval --images: the edit measures on the user's own held-out images. */
    private int heldOut() throws Exception {
        java.util.List<org.nextscale.core.api.Image> imgs = new java.util.ArrayList<>();
        for (Path p : org.nextscale.core.data.SourceImages.list(images.toString()).files())
            imgs.add(org.nextscale.core.data.ImageFiles.read(p, "auto").unit());
        int n = edits > 0 ? edits : 10;
        Path modelFile = model.model != null ? model.model : ShippedModel.path();
        ConsoleProgress progress = new ConsoleProgress();
        try (VarModel m = model.load(modelFile)) {
            if (!m.config().hasTransformer()) throw new IllegalArgumentException(modelFile + " holds no transformer: edits need a model written by train");
            Map<String, Object> e = EditEvaluation.onImages(m, imgs, n, sampling.seed, progress, progress.cancelToken());
            PrintWriter out = spec.commandLine().getOut();
            out.print(json ? new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(e) + "\n" : EditEvaluation.imagesTable(e));
            out.flush();
        } finally {
            progress.finish();
        }
        return 0;
    }

    @Option(names = "--edits", defaultValue = "0", paramLabel = "N", description = "also measure edits on N test images: FD of in-painted "
            + "images (seam blend and plain, and the tokenizer's floor), seam scores, and the detail of large-image fills at their own "
            + "scale against the whole-image fit (default: ${DEFAULT-VALUE} = skip)")
    int edits;

    @Option(names = "--images", paramLabel = "PATH", description = "instead of the Fashion-MNIST measures: in-paint --edits N boxes (default 10) of "
            + "these held-out images (a file or a folder) at their own scale, and report the kept pixels, the seam score and the fill's detail")
    Path images;

    @Override
    public Integer call() throws Exception {
        if (images != null) return heldOut();
        if (edits < 0) throw new IllegalArgumentException("--edits must be 0 (skip) or a number of test images, got " + edits);
        Evaluator.Settings settings = new Evaluator.Settings(n, sampling.seed, batch, KnnPrecisionRecall.DEFAULT_K);
        Path modelFile = model.model != null ? model.model : ShippedModel.path();
        if (!Files.isRegularFile(modelFile)) throw new IOException("model file not found: " + modelFile);
        Path classifierFile = classifierFile(classifier, modelFile);
        Path dir = DataOption.dir(data);
        LabeledImages test = FashionMnist.load(dir, false, 0);
        LabeledImages train = FashionMnist.load(dir, true, 0);
        ConsoleProgress progress = new ConsoleProgress();
        EvalResult r;
        java.util.Map<String, Object> editScores = null;
        try (NDManager manager = NDManager.newBaseManager(Devices.parse(model.device));
             VarModel m = model.load(modelFile)) {
            Classifier clf = Classifier.load(classifierFile, manager);
            progress.line("evaluating " + modelFile + " with classifier " + classifierFile + " on " + n
                    + (m.config().hasTransformer() ? " samples" : " real images (tokenizer-only model: no samples)") + ", seed " + sampling.seed);
            r = Evaluator.evaluate(m, sampling.sampling(0, 1), settings, test, train, clf, progress, progress.cancelToken());
            if (edits > 0 && m.config().hasTransformer())
                editScores = EditEvaluation.evaluate(m, test, clf, edits, sampling.seed, progress, progress.cancelToken());
        } finally {
            progress.finish();
        }
        java.io.PrintWriter out = spec.commandLine().getOut();
        if (editScores == null) {
            out.print(json ? r.toJson() + System.lineSeparator() : r.toTable());
        } else if (json) {
            com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(r.toJson()).getAsJsonObject();
            o.add("edits", new com.google.gson.Gson().toJsonTree(editScores));
            out.print(o + System.lineSeparator());
        } else {
            out.print(r.toTable() + EditEvaluation.table(editScores));
        }
        out.flush();
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
        String home = System.getProperty("nextscale.home", System.getenv("NEXTSCALE_HOME"));
        if (home != null) {
            Path shipped = Path.of(home, "models", CLASSIFIER_FILE);
            if (Files.isRegularFile(shipped)) return shipped;
        }
        throw new IOException("no classifier weights found (looked for " + CLASSIFIER_FILE + " beside the model and in the"
                + " installation's models/ folder): pass --classifier PATH or train one with 'nextscale train-classifier --out "
                + (beside != null ? beside : CLASSIFIER_FILE) + "'");
    }
}
