package org.nextscale.core.train;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.CancelledException;
import org.nextscale.core.api.TrainListener;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.io.AtomicWrite;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.model.ModelFile;
import org.nextscale.core.nn.Params;

/**
 * What both trainers share around their step loop: where the checkpoint goes (next to the model file,
 * NAME.ckpt.zip), when it is written, cancellation (checked before every step; the state after the last
 * finished step is saved before {@link CancelledException} is thrown) and the final model file.
 */
final class TrainRun {
    private final String phase;
    private final TrainOptions options;
    private final ModelConfig config;
    private final Path out;
    private final Path checkpointFile;
    private final TrainListener listener;
    private final CancelToken cancel;
    private final Params params;
    private Params modelParams;
    private final AdamW adam;
    private final Supplier<Map<String, HostTensor>> extraState;
    private JsonObject extra = new JsonObject();
    private JsonObject dataRecord;
    private final JsonObject notes = new JsonObject();
    /** The checkpoint's entry (in its extra state) that keeps the notes, so that a resumed run's training.json has them. */
    private static final String NOTES = "notes";
    private long lastCheckpoint = -1;
    private RunMonitor monitor;
    private double lastVal = Double.NaN;

    TrainRun(String phase, TrainOptions options, ModelConfig config, Path out, TrainListener listener, CancelToken cancel,
             Params params, AdamW adam, Supplier<Map<String, HostTensor>> extraState) {
        this.phase = phase;
        this.options = options;
        this.config = config;
        this.out = out;
        this.checkpointFile = checkpointPath(out);
        this.listener = listener;
        this.cancel = cancel == null ? CancelToken.none() : cancel;
        this.params = params;
        this.modelParams = params;
        this.adam = adam;
        this.extraState = extraState;
        // temporary files of a run that was killed while writing (the real files are whole: see AtomicWrite)
        AtomicWrite.deleteStaleTemporaries(out);
        AtomicWrite.deleteStaleTemporaries(checkpointFile);
    }

    /** model.zip -> model.ckpt.zip in the same folder. */
    static Path checkpointPath(Path out) {
        String name = out.getFileName().toString();
        String stem = name.toLowerCase().endsWith(".zip") ? name.substring(0, name.length() - 4) : name;
        return out.resolveSibling(stem + ".ckpt.zip");
    }

    Path checkpointFile() {
        return checkpointFile;
    }

    /** The weights model files (the final and the best) are written from, when they are not the trained ones (an average). */
    void writeModelsFrom(Params weights) {
        this.modelParams = weights;
    }

    void setExtra(JsonObject extra) {
        this.extra = extra;
    }

    /**
     * The run's log, validation bookkeeping and pictures, resumed from the checkpoint's state when there is one, as are
     * the notes for training.json (the tokenizer's record, the latest validation PSNR) that the trainer has not made again.
     */
    RunMonitor monitor(java.util.List<String> scaleNames, Checkpoint resume) throws IOException {
        if (resume != null && resume.extra().has(NOTES) && resume.extra().get(NOTES).isJsonObject())
            resume.extra().getAsJsonObject(NOTES).entrySet().forEach(e -> { if (!notes.has(e.getKey())) notes.add(e.getKey(), e.getValue().deepCopy()); });
        monitor = new RunMonitor(phase, options, out, listener, scaleNames);
        monitor.start(resume == null ? 0 : resume.step(), resume == null || !resume.extra().has("monitor") ? null : resume.extra().getAsJsonObject("monitor"));
        return monitor;
    }

    /** A figure for training.json, as of the latest validation (the tokenizer's val_psnr_db), or a section (the tokenizer's own record). */
    void note(String key, double value) {
        notes.addProperty(key, value);
    }

    void note(String key, JsonObject section) {
        notes.add(key, section);
    }

    /** What the model file records of the training data (see TrainingData.record). */
    void record(JsonObject data) {
        this.dataRecord = data;
    }

    /**
     * Before step {@code s} (s steps done): true when the run stops here, because patience evaluations found no better
     * validation loss or the minutes are spent; the caller then finishes at s.
     */
    boolean stopEarly(long s) {
        if (monitor == null || s == 0) return false;
        if (monitor.patienceRunOut()) {
            listener.onMessage(String.format(java.util.Locale.ROOT, "stopping early after step %d: %d validations without a lower loss "
                    + "(best %.4f at step %d, kept in %s)", s, options.integer("patience"), monitor.bestLoss(), monitor.bestStep(), monitor.bestFile()));
            return true;
        }
        if (monitor.budgetSpent()) {
            listener.onMessage(String.format(java.util.Locale.ROOT, "stopping after step %d: the %s-minute budget is spent%s", s,
                    options.text("minutes"), monitor.bestStep() >= 0 ? String.format(java.util.Locale.ROOT, " (best validation loss %.4f at step %d, kept in %s)",
                            monitor.bestLoss(), monitor.bestStep(), monitor.bestFile()) : ""));
            return true;
        }
        return false;
    }

    /**
     * The validation figures of step {@code s}: logged and reported; a new best writes NAME.best.zip. Returns true when
     * it wrote (the caller restarts its step clock).
     */
    boolean validated(long s, double loss, double accuracy, double[] perScale) throws IOException {
        lastVal = loss;
        if (!monitor.validated(s, loss, accuracy, perScale)) return false;
        ModelFile.save(monitor.bestFile(), modelWithRecord(s), false);
        return true;
    }

    /** The model as it is now, with training.json: the data, the split and the validation figures. */
    private ModelFile.Loaded modelWithRecord(long done) {
        JsonObject t = monitor == null ? new JsonObject() : monitor.record(done, lastVal);
        notes.entrySet().forEach(e -> t.add(e.getKey(), e.getValue().deepCopy()));
        if (dataRecord != null) t.add("data", dataRecord);
        t.addProperty("phase", phase);
        byte[] json = new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(t).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new ModelFile.Loaded(config, modelParams.toHost(), Map.of(), Map.of(TRAINING_ENTRY, json));
    }

    /** The model file's entry describing how it was trained. */
    static final String TRAINING_ENTRY = org.nextscale.core.model.ModelCard.TRAINING_ENTRY;

    /** The checkpoint named by the resume option, checked to belong to this trainer; null without resume. */
    static Checkpoint readResume(TrainOptions o, String phase) throws IOException {
        Path p = o.path("resume");
        if (p == null) return null;
        Checkpoint c = Checkpoint.read(p);
        if (!c.phase().equals(phase))
            throw new IllegalArgumentException(p + " is a " + c.phase() + " checkpoint; resume it with the "
                    + (c.phase().equals("var") ? "'train'" : "'train-tokenizer'") + " command");
        return c;
    }

    /**
     * The options that decide which data a run sees, written into every checkpoint with their values even when they were
     * defaults, so that a later default cannot change a resumed run's data.
     */
    static final java.util.List<String> DATA_KEYS = java.util.List.of("val", "scale", "range", "foreground", "augment");

    /**
     * The checkpoint's options with the explicitly given ones on top (resume itself dropped). A checkpoint written before
     * the validation split and patches existed (its options lack "val") saw all its data as whole images: it resumes so.
     */
    static TrainOptions resumedOptions(TrainOptions given, Checkpoint c) {
        Map<String, String> old = new LinkedHashMap<>(c.options());
        if (!old.containsKey("val")) {
            old.put("val", "0");
            old.put("scale", "fit");
        }
        TrainOptions stored = TrainOptions.parse(old);
        TrainOptions merged = given.without("resume").over(stored);
        // a run killed while it wrote its model file after the last step: resuming only writes the model file
        if (merged.steps() == c.step() && !loads(merged.path("out"))) return merged;
        if (merged.steps() <= c.step())
            throw new IllegalArgumentException("the checkpoint has already done " + c.step() + " steps: give a larger steps (now " + merged.steps() + ")");
        return merged;
    }

    /** Whether {@code model} is a complete model file. */
    private static boolean loads(Path model) {
        try {
            return model != null && java.nio.file.Files.isRegularFile(model) && ModelFile.readConfig(model) != null && ModelFile.load(model) != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Before step {@code s} (0-based; s steps done): on cancellation save and throw. */
    void checkCancel(long s) throws IOException {
        if (!cancel.isCancelled()) return;
        if (s > 0 && lastCheckpoint != s) checkpoint(s);
        if (monitor != null) monitor.close();
        listener.onMessage("cancelled after step " + s + (s > 0 ? "; to go on later, resume from the checkpoint " + checkpointFile : ""));
        throw new CancelledException();
    }

    boolean checkpointDue(long done) {
        int every = options.checkpointEvery();
        return every > 0 && done % every == 0 && done < options.steps();
    }

    void checkpoint(long done) throws IOException {
        Map<String, HostTensor> opt = new LinkedHashMap<>(adam.state());
        if (extraState != null) opt.putAll(extraState.get());
        Map<String, String> given = new LinkedHashMap<>(options.given());
        given.remove("resume");
        for (String k : DATA_KEYS) given.putIfAbsent(k, options.text(k));
        JsonObject e = extra.deepCopy();
        if (notes.size() > 0) e.add(NOTES, notes.deepCopy());
        if (monitor != null) {
            e.add("monitor", monitor.state());
            monitor.flush();                                  // the log holds every row the checkpoint has done
        }
        new Checkpoint(phase, done, config, params.toHost(), opt, given, e).write(checkpointFile);
        lastCheckpoint = done;
        listener.onMessage("checkpoint: " + checkpointFile + " (step " + done + ")");
    }

    /** Writes the last checkpoint (of {@code done} steps) and the model file; returns the model file. */
    Path finish(long done) throws IOException {
        if (lastCheckpoint != done) checkpoint(done);
        ModelFile.save(out, modelWithRecord(done), false);
        if (monitor != null) monitor.close();
        listener.onMessage("wrote " + out + (monitor != null && monitor.bestStep() >= 0
                ? String.format(java.util.Locale.ROOT, "; the best validation loss, %.4f at step %d, is in %s", monitor.bestLoss(), monitor.bestStep(), monitor.bestFile()) : ""));
        return out;
    }
}
