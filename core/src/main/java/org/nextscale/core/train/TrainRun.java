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
    private final AdamW adam;
    private final Supplier<Map<String, HostTensor>> extraState;
    private JsonObject extra = new JsonObject();
    private long lastCheckpoint = -1;

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

    void setExtra(JsonObject extra) {
        this.extra = extra;
    }

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

    /** The checkpoint's options with the explicitly given ones on top (resume itself dropped). */
    static TrainOptions resumedOptions(TrainOptions given, Checkpoint c) {
        TrainOptions stored = TrainOptions.parse(c.options());
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
        listener.onMessage("cancelled after step " + s + (s > 0 ? "; continue with resume=" + checkpointFile : ""));
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
        new Checkpoint(phase, done, config, params.toHost(), opt, given, extra).write(checkpointFile);
        lastCheckpoint = done;
        listener.onMessage("checkpoint: " + checkpointFile + " (step " + done + ")");
    }

    /** Writes the last checkpoint and the model file; returns the model file. */
    Path finish(long steps) throws IOException {
        if (lastCheckpoint != steps) checkpoint(steps);
        ModelFile.save(out, config, params.toHost(), false);
        listener.onMessage("wrote " + out);
        return out;
    }
}
