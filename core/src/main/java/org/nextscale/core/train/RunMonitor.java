package org.nextscale.core.train;

import com.google.gson.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.TrainListener;
import org.nextscale.core.api.TrainPreview;
import org.nextscale.core.api.ValidationEvent;
import org.nextscale.core.data.ImageFiles;

/**
 * What a run shows while it trains, beside its model file NAME.zip: NAME.log.csv (a row per step: train loss,
 * learning rate, and at every evaluation the validation figures), validation every eval_every steps with the best
 * model kept (NAME.best.zip, by validation loss) and early stopping after patience evaluations without a better
 * one, a wall-clock budget (minutes), and every preview_every steps NAME.loss.png (train and validation loss) and
 * NAME.preview.png (the trainer's picture). Its state (best loss and step, evaluations since) goes into the
 * checkpoint, so a resumed run goes on exactly; the log keeps its rows up to the resumed step.
 */
final class RunMonitor {
    private final String phase;
    private final TrainListener listener;
    private final Path log, best, lossPlot, preview;
    private final int evalEvery, patience, previewEvery;
    private final long steps;
    private final double minutes;
    private final long started = System.nanoTime();
    private final List<String> scaleNames;
    private BufferedWriter csv;
    private double bestLoss = Double.POSITIVE_INFINITY;
    private long bestStep = -1;
    private int sinceBest;
    private double windowSum;
    private int windowSteps;
    private String pending;                                          // the row of the last step, while its validation is still to come
    // the curves for the plot: (step, train loss averaged since the previous evaluation) and (step, validation loss)
    private final List<double[]> trainCurve = new ArrayList<>(), valCurve = new ArrayList<>();

    RunMonitor(String phase, TrainOptions o, Path out, TrainListener listener, List<String> scaleNames) {
        this.phase = phase;
        this.listener = listener;
        this.steps = o.steps();
        this.evalEvery = o.integer("eval_every");
        this.patience = o.integer("patience");
        this.previewEvery = o.integer("preview_every");
        this.minutes = o.real("minutes");
        this.scaleNames = scaleNames;
        log = sibling(out, ".log.csv");
        best = sibling(out, ".best.zip");
        lossPlot = sibling(out, ".loss.png");
        preview = sibling(out, ".preview.png");
    }

    /** model.zip -> model{suffix} beside it. */
    static Path sibling(Path out, String suffix) {
        String name = out.getFileName().toString();
        String stem = name.toLowerCase(Locale.ROOT).endsWith(".zip") ? name.substring(0, name.length() - 4) : name;
        return out.resolveSibling(stem + suffix);
    }

    Path bestFile() {
        return best;
    }

    /** Opens the log: a new one, or on resume the old one's rows up to {@code start}, and the best-model state of the checkpoint. */
    void start(long start, JsonObject state) throws IOException {
        List<String> kept = new ArrayList<>();
        if (start > 0 && Files.isRegularFile(log)) {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (kept.isEmpty()) { kept.add(line); continue; }
                String[] f = line.split(",", -1);
                try {
                    long s = Long.parseLong(f[0]);
                    if (s > start) break;
                    kept.add(line);
                    if (!f[1].isEmpty()) trainCurve.add(new double[] {s, Double.parseDouble(f[1])});
                    if (f.length > 3 && !f[3].isEmpty()) valCurve.add(new double[] {s, Double.parseDouble(f[3])});
                } catch (RuntimeException e) {
                    break;                                                   // a torn last line of a killed run
                }
            }
        }
        if (kept.isEmpty()) kept.add(header());
        Files.write(log, kept, StandardCharsets.UTF_8);
        csv = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        if (state != null && state.has("best_loss")) {
            bestLoss = state.get("best_loss").getAsDouble();
            bestStep = state.get("best_step").getAsLong();
            sinceBest = state.get("since_best").getAsInt();
        }
    }

    private String header() {
        StringBuilder h = new StringBuilder("step,train_loss,lr,val_loss");
        if (phase.equals("var")) {
            h.append(",val_accuracy");
            for (String s : scaleNames) h.append(",val_loss_").append(s);
        }
        return h.append(",seconds").toString();
    }

    /** The state a checkpoint keeps. */
    JsonObject state() {
        JsonObject j = new JsonObject();
        if (bestStep >= 0) {
            j.addProperty("best_loss", bestLoss);
            j.addProperty("best_step", bestStep);
            j.addProperty("since_best", sinceBest);
        }
        return j;
    }

    /** Logs step {@code s} (1-based count of steps done); writes its row unless an evaluation follows at this step. */
    void step(long s, double loss, double lr, boolean evaluating) throws IOException {
        windowSum += loss;
        windowSteps++;
        pending = String.format(Locale.ROOT, "%d,%.6g,%.6g", s, loss, lr);
        trainCurve.add(new double[] {s, loss});
        if (!evaluating) {
            csv.write(pending + "," + (phase.equals("var") ? ",".repeat(1 + scaleNames.size()) : "") + String.format(Locale.ROOT, ",%.1f", seconds()));
            csv.newLine();
            pending = null;
        }
    }

    boolean evalDue(long done) {
        return evalEvery > 0 && (done % evalEvery == 0 || done == steps);
    }

    boolean previewDue(long done) {
        return previewEvery > 0 && (done % previewEvery == 0 || done == steps);
    }

    /**
     * The validation figures of step {@code s}: written to the log, reported, and compared with the best so far.
     * Returns true when this is a new best (the caller writes the best model).
     */
    boolean validated(long s, double valLoss, double accuracy, double[] perScale) throws IOException {
        double train = windowSteps == 0 ? Double.NaN : windowSum / windowSteps;
        windowSum = 0;
        windowSteps = 0;
        StringBuilder row = new StringBuilder(pending != null ? pending : String.format(Locale.ROOT, "%d,,", s));
        row.append(String.format(Locale.ROOT, ",%.6g", valLoss));
        if (phase.equals("var")) {
            row.append(String.format(Locale.ROOT, ",%.6g", accuracy));
            for (int k = 0; k < scaleNames.size(); k++) row.append(String.format(Locale.ROOT, ",%.6g", perScale[k]));
        }
        row.append(String.format(Locale.ROOT, ",%.1f", seconds()));
        csv.write(row.toString());
        csv.newLine();
        csv.flush();
        pending = null;
        valCurve.add(new double[] {s, valLoss});
        boolean improved = valLoss < bestLoss;
        if (improved) {
            bestLoss = valLoss;
            bestStep = s;
            sinceBest = 0;
        } else {
            sinceBest++;
        }
        listener.onValidation(new ValidationEvent(phase, s, steps, train, valLoss, accuracy, perScale == null ? null : perScale.clone(),
                scaleNames, bestLoss, bestStep));
        return improved;
    }

    /** True when patience evaluations in a row found no better validation loss. */
    boolean patienceRunOut() {
        return patience > 0 && sinceBest >= patience;
    }

    /** True when the wall-clock budget (minutes) is spent. */
    boolean budgetSpent() {
        return minutes > 0 && seconds() >= minutes * 60;
    }

    double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    double bestLoss() {
        return bestLoss;
    }

    long bestStep() {
        return bestStep;
    }

    /** Writes NAME.loss.png and NAME.preview.png ({@code picture} may be null) and tells the listener. */
    void preview(long s, Image picture) throws IOException {
        flush();
        Image plot = LossPlot.render(trainCurve, valCurve, bestStep, phase.equals("var") ? "transformer" : "tokenizer", s, steps);
        ImageFiles.write(plot, lossPlot);
        if (picture != null) ImageFiles.write(picture, preview);
        listener.onPreview(new TrainPreview(phase, s, steps, plot, picture, lossPlot, picture == null ? null : preview));
    }

    /** What the model file records of the run's validation. */
    JsonObject record(long done, double lastVal) {
        JsonObject j = new JsonObject();
        j.addProperty("steps", done);
        if (Double.isFinite(lastVal)) j.addProperty("final_val_loss", lastVal);
        if (bestStep >= 0) {
            j.addProperty("best_val_loss", bestLoss);
            j.addProperty("best_step", bestStep);
        }
        return j;
    }

    void flush() throws IOException {
        if (csv != null) csv.flush();
    }

    void close() throws IOException {
        if (csv != null) csv.close();
        csv = null;
    }
}
