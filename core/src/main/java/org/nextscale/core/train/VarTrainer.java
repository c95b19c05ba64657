package org.nextscale.core.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.Devices;
import org.nextscale.core.api.TrainListener;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.config.VarConfig;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.data.BatchLoader;
import org.nextscale.core.data.DataOrder;
import org.nextscale.core.data.SeededRandom;
import org.nextscale.core.data.TrainingData;
import org.nextscale.core.render.Render;
import org.nextscale.core.transformer.Sampler;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.model.ModelFile;
import org.nextscale.core.nn.Params;
import org.nextscale.core.tokenizer.VqVae;
import org.nextscale.core.transformer.TokenLayout;
import org.nextscale.core.transformer.VarTransformer;

/**
 * Trains the transformer on a frozen tokenizer, as the reference trains VAR: cross-entropy over all tokens
 * of all scales with uniform weights, class-label dropout (labels replaced by the unconditional class, so
 * classifier-free guidance works), optional label smoothing, AdamW (0.9, 0.95, weight decay 0.05 off
 * biases/norms/embeddings), warm-up then linear decay, global gradient-norm clipping, init_weights. The
 * data set is tokenized once up front ({@link TokenTable}). With order "raster" the same transformer learns
 * next-token prediction over the last scale's token map (the baseline). With micro_batch the step's forward
 * and backward passes run in parts of the batch ({@link VarStep}), one update per step. Writes tokenizer +
 * transformer in one model file.
 */
final class VarTrainer {
    static final String PHASE = "var";
    private static final long DROP_STREAM = 0xD209L;

    private VarTrainer() {}

    /** One step's inputs prepared on the loader thread: tokens (whole images, token tables) or patch pixels to tokenize. */
    record Batch(long[] tokens, float[] pixels, long[] labels) {}

    /** The training set: images or patches ({@link TrainingData}), or a token table read from a file, split here. */
    private record Data(TrainingData images, TokenFile.Contents tokens, TokenFile.Contents valTokens) {
        int size() { return images != null ? (int) Math.min(Integer.MAX_VALUE, images.size()) : tokens.size(); }
        int numClasses() { return classNames().size(); }
        List<String> classNames() { return images != null ? images.classNames() : tokens.classNames(); }
        String describe(Path file) {
            return images != null ? images.describe() : String.format(Locale.ROOT, "the token table %s: %d images, %d held out for validation", file,
                    tokens.size() + (valTokens == null ? 0 : valTokens.size()), valTokens == null ? 0 : valTokens.size());
        }
    }

    private static Data open(TrainOptions o, ModelConfig tc, TokenFile.Contents tokens, CancelToken cancel) throws IOException {
        if (tokens == null) return new Data(TrainingData.open(o.dataOptions(tc.imageSize(), tc.channels()), cancel), null, null);
        boolean[] held = TrainingData.heldOut(tokens.size(), !o.isGiven("val") && tokens.size() < TrainingData.MIN_SPLIT ? 0 : o.real("val"));
        if (held == null) return new Data(null, tokens, null);
        return new Data(null, rows(tokens, held, false), rows(tokens, held, true));
    }

    private static TokenFile.Contents rows(TokenFile.Contents c, boolean[] held, boolean want) {
        java.util.List<Integer> idx = new java.util.ArrayList<>();
        for (int i = 0; i < held.length; i++) if (held[i] == want) idx.add(i);
        int[] labels = new int[idx.size()];
        short[][] tok = new short[idx.size()][];
        for (int i = 0; i < idx.size(); i++) { labels[i] = c.labels()[idx.get(i)]; tok[i] = c.tokens()[idx.get(i)]; }
        return new TokenFile.Contents(c.tokenizerId(), c.patchNums(), c.classNames(), labels, tok);
    }

    /** The token table of option tokens, checked against the tokenizer before any work; null without the option. */
    private static TokenFile.Contents tokens(TrainOptions o, ModelConfig tc, String order, String tokenizerId) throws IOException {
        Path p = o.path("tokens");
        if (p == null) return null;
        if (o.flip()) throw new IllegalArgumentException("flip needs the images: a token table holds the tokens of the unflipped images only; leave flip off with tokens");
        if (o.isGiven("limit")) throw new IllegalArgumentException("limit selects images to tokenize; with tokens the whole table is used (tokenize fewer images instead)");
        if (order.equals("raster")) throw new IllegalArgumentException("a token table holds next-scale tokens; the raster baseline (order raster) tokenizes the images itself");
        TokenFile.Contents c = TokenFile.read(p);
        if (!c.tokenizerId().equals(tokenizerId) || !c.patchNums().equals(tc.patchNums()))
            throw new IllegalArgumentException("the token table " + p + " was made with another tokenizer (id " + c.tokenizerId().substring(0, 12)
                    + ", this one " + tokenizerId.substring(0, 12) + "): tokenize the data again with this tokenizer's model");
        return c;
    }

    /**
     * The transformer of init=MODEL.zip as the run's starting point (fresh optimizer and schedule): it must be of
     * the run's order, size and classes, and the run's tokenizer must give the tokens it was trained on. A
     * tokenizer whose decoder alone was fine-tuned (train_part=decoder) gives the same tokens, so a transformer
     * can go on training on a sharpened model. Returns its configuration with this run's label dropout.
     */
    private static VarConfig startingTransformer(TrainOptions o, Path initPath, ModelFile.Loaded init, Path tokPath, ModelFile.Loaded tok,
                                                 List<String> classNames) {
        ModelConfig ic = init.config();
        VarConfig v = ic.var();
        if (v == null)
            throw new IllegalArgumentException("init=" + initPath + " holds no transformer (a tokenizer-only model): give a model written by train, "
                    + "or leave init out and give tokenizer=" + initPath + " to start a new transformer");
        if (!ic.order().equals(o.order()))
            throw new IllegalArgumentException("init=" + initPath + " holds a " + ic.order() + "-order transformer, but this run trains order=" + o.order());
        if (differs(o, "depth", v.depth()) || differs(o, "width", v.embedDim()) || differs(o, "heads", v.numHeads()))
            throw new IllegalArgumentException(String.format(Locale.ROOT, "init=%s has a transformer of depth %d, width %d, heads %d; leave depth, width and heads out "
                    + "(they come from init) or match them", initPath, v.depth(), v.embedDim(), v.numHeads()));
        if (!ic.classNames().equals(classNames))
            throw new IllegalArgumentException("init=" + initPath + " was trained on the classes " + ic.classNames() + ", but the data has " + classNames
                    + ": train on data with the same classes, or start a new transformer without init");
        if (tokPath != null) {
            ModelConfig tc = tok.config();
            boolean same = tc.patchNums().equals(ic.patchNums()) && tc.vqvae().vocabSize() == ic.vqvae().vocabSize()
                    && init.weights().entrySet().stream()
                            .filter(e -> e.getKey().startsWith("vae.") && !VqVae.isDecoderWeight(e.getKey()))   // what makes the tokens
                            .allMatch(e -> e.getValue().equals(tok.weights().get(e.getKey())));
            if (!same)
                throw new IllegalArgumentException("tokenizer=" + tokPath + " gives other tokens than the tokenizer init=" + initPath + " was trained on "
                        + "(its encoder, quant_conv, codebook or phi differ): give that tokenizer, or one made from it by train-tokenizer train_part=decoder");
        }
        return new VarConfig(v.numClasses(), v.depth(), v.embedDim(), v.numHeads(), v.mlpRatio(), v.normEps(), v.sharedAln(), v.attnL2Norm(), o.real("cond_drop"));
    }

    /** Whether the option was given with a value other than the model's. */
    private static boolean differs(TrainOptions o, String key, int model) {
        return o.isGiven(key) && o.integer(key) != model;
    }

    static Path run(TrainOptions given, TrainListener listener, CancelToken cancel) throws IOException {
        Checkpoint resume = TrainRun.readResume(given, PHASE);
        TrainOptions o = resume == null ? given : TrainRun.resumedOptions(given, resume);
        Device device = Devices.parse(o.device());
        Path out = o.path("out") != null ? o.path("out") : Path.of(o.order().equals("raster") ? "raster.zip" : "var.zip");
        ModelConfig cfg;
        Map<String, HostTensor> weights;
        Data data;
        if (resume != null) {
            cfg = resume.config();
            weights = resume.weights();
            data = open(o, cfg, tokens(o, cfg, cfg.order(), TokenFile.tokenizerId(cfg, weights)), cancel);
            if (data.numClasses() != cfg.var().numClasses())
                throw new IllegalArgumentException("the data set has " + data.numClasses() + " classes but the checkpoint was trained on " + cfg.var().numClasses());
        } else {
            Path tokPath = o.path("tokenizer"), initPath = o.path("init");
            if (tokPath == null && initPath == null)
                throw new IllegalArgumentException("VAR training needs a tokenizer: give tokenizer=TOK.zip (a model file written by train-tokenizer), "
                        + "or init=MODEL.zip to go on training the transformer of a model");
            ModelFile.Loaded init = initPath == null ? null : ModelFile.load(initPath);
            ModelFile.Loaded tok = tokPath == null ? init : ModelFile.load(tokPath);
            ModelConfig tc = tok.config();
            data = open(o, tc, tokens(o, tc, o.order(), TokenFile.tokenizerId(tc, tok.weights())), cancel);
            VarConfig vc = init == null
                    ? new VarConfig(data.numClasses(), o.integer("depth"), o.integer("width"), o.integer("heads"), 4.0, 1e-6, false, true, o.real("cond_drop"))
                    : startingTransformer(o, initPath, init, tokPath, tok, data.classNames());
            cfg = tc.withVar(vc, data.classNames(), o.order()).validate();
            weights = new LinkedHashMap<>();
            for (Map.Entry<String, HostTensor> e : tok.weights().entrySet()) if (e.getKey().startsWith("vae.")) weights.put(e.getKey(), e.getValue());
            if (init == null) weights.putAll(WeightInit.init(cfg, o.seed(), "var."));
            else init.weights().forEach((k, v) -> { if (k.startsWith("var.")) weights.put(k, v); });
        }
        boolean raster = cfg.order().equals("raster");
        int steps = o.steps(), batch = o.batch();
        double lr = o.lr(1e-3), wd = o.weightDecay(0.05), clip = o.clip(), smooth = o.real("label_smooth");
        double condDrop = cfg.var().condDropRate();
        int numClasses = cfg.var().numClasses();
        LrSchedule schedule = new LrSchedule(lr, o.warmup(), steps, o.schedule("lin"));
        int window = o.integer("log_every");

        try (NDManager root = NDManager.newBaseManager(device)) {
            Params params = Params.fromHost(weights, root);
            VqVae vae = new VqVae(cfg, params);
            int last = cfg.patchNums().get(cfg.numScales() - 1);
            TokenLayout layout = raster ? TokenLayout.raster(last) : TokenLayout.nextScale(cfg.patchNums());
            VarTransformer var = new VarTransformer(cfg.var(), layout, cfg.vqvae().vocabSize(), cfg.vqvae().zChannels(), params);
            long paramCount = 0;
            for (String n : var.weightNames()) paramCount += params.get(n).size();
            listener.onMessage(String.format(Locale.ROOT, "%s: %s; %d classes, %d tokens per image, transformer depth %d width %d (%.2fM parameters); %d steps of %d%s, lr %.2g, device %s",
                    raster ? "raster" : "var", data.describe(o.path("tokens")), numClasses, layout.length(), cfg.var().depth(), cfg.var().embedDim(),
                    paramCount / 1e6, steps, batch, o.microBatch() < batch ? " in micro-batches of " + o.microBatch() : "", lr, device));
            if (data.images() != null) DataSize.warn(data.images(), paramCount, listener);

            boolean patches = data.images() != null && data.images().isPatches();
            TokenTable table = data.tokens() != null ? TokenTable.of(cfg.patchNums(), data.tokens().tokens())
                    : patches ? TokenTable.of(raster ? List.of(last) : cfg.patchNums(), new short[0][])
                    : TokenTable.build(vae, data.images().trainImages(), raster, data.images().flips(), batch, root, listener, cancel);
            if (data.tokens() != null) listener.onMessage("read the tokens of " + data.size() + " images from " + o.path("tokens"));
            long[] valTokens, valLabels;                                      // (n * L) and (n): the held-out data, tokenized once
            if (data.images() != null) {
                TrainingData.Batch v = data.images().validation(TokenizerTrainer.VALIDATION_SAMPLES);
                valTokens = TokenTable.tokens(vae, root, v.pixels(), v.size(), raster);
                valLabels = v.labels();
            } else {
                TokenFile.Contents v = data.valTokens();
                int n = v == null ? 0 : Math.min(TokenizerTrainer.VALIDATION_SAMPLES, v.size());
                valTokens = TokenTable.of(cfg.patchNums(), v == null ? new short[0][] : java.util.Arrays.copyOf(v.tokens(), n)).gather(
                        java.util.stream.IntStream.range(0, n).toArray(), new boolean[n]);
                valLabels = new long[n];
                for (int i = 0; i < n; i++) valLabels[i] = v.labels()[i];
            }
            AdamW adam = new AdamW(params, new HashSet<>(var.weightNames()), 0.9, 0.95, 1e-8);
            ScaleStats stats = new ScaleStats(raster ? java.util.List.of(last) : cfg.patchNums(), raster);
            long start = 0;
            if (resume != null) {
                adam.load(resume.optimizer(), resume.step());
                stats.load(resume.optimizer());
                start = resume.step();
                listener.onMessage("resumed at step " + start + " of " + steps);
            }
            WeightAverage ema = o.real("ema") > 0 ? new WeightAverage(params, var.weightNames(), o.real("ema")) : null;
            if (ema != null && resume != null) ema.load(resume.optimizer());
            TrainRun run = new TrainRun(PHASE, o, cfg, out, listener, cancel, params, adam, () -> {
                Map<String, HostTensor> state = new LinkedHashMap<>(stats.state());
                if (ema != null) state.putAll(ema.state());
                return state;
            });
            // with an average, validation, previews and the model files use it; the checkpoint keeps both
            VarTransformer shown = ema == null ? var : new VarTransformer(cfg.var(), layout, cfg.vqvae().vocabSize(), cfg.vqvae().zChannels(), ema.params());
            if (ema != null) {
                run.writeModelsFrom(ema.params());
                run.note("ema_decay", o.real("ema"));
                listener.onMessage(String.format(Locale.ROOT, "the model is the moving average of the weights (decay %s), as are validation and previews", o.text("ema")));
            }
            JsonObject extra = new JsonObject();
            if (o.path("tokenizer") != null) extra.addProperty("tokenizer", o.path("tokenizer").toString());
            if (resume == null && o.path("init") != null) {
                extra.addProperty("init", o.path("init").toString());
                listener.onMessage("the transformer starts from the one in " + o.path("init") + " (fresh optimizer and learning-rate schedule)");
            }
            run.setExtra(extra);
            Path tokFile = resume == null ? (o.path("tokenizer") != null ? o.path("tokenizer") : o.path("init")) : null;
            JsonObject tokRecord = tokFile == null ? null : tokenizerRecord(tokFile);
            if (tokRecord != null) run.note("tokenizer", tokRecord);
            RunMonitor monitor = run.monitor(stats.names(), resume);
            int len = table.length();
            long seed = o.seed();
            DataOrder order = data.images() == null ? new DataOrder(data.size(), batch, seed, false) : patches ? null : data.images().order(batch);
            int[] dataLabels = data.images() == null ? data.tokens().labels() : patches ? null : data.images().trainImages().labels();
            Progress progress = new Progress(raster ? "raster" : PHASE, steps, batch, listener);
            GradientGuard guard = new GradientGuard();
            VarStep step = new VarStep(var, vae, table, raster, smooth);
            VarStep shownStep = ema == null ? step : new VarStep(shown, vae, table, raster, smooth);
            int micro = o.microBatch();
            long s = start;
            try (BatchLoader<Batch> loader = new BatchLoader<>(start, steps, 3, k -> {
                SeededRandom r = SeededRandom.of(seed, DROP_STREAM, k);
                long[] labels;
                Batch b;
                if (patches) {
                    TrainingData.Batch p = data.images().batch(k, batch);
                    labels = p.labels();
                    b = new Batch(null, p.pixels(), labels);
                } else {
                    int[] idx = order.indices(k);
                    labels = new long[idx.length];
                    for (int i = 0; i < idx.length; i++) labels[i] = dataLabels[idx[i]];
                    b = new Batch(table.gather(idx, order.flips(k)), null, labels);
                }
                for (int i = 0; i < labels.length; i++) if (r.nextFloat() < condDrop) labels[i] = numClasses;
                return b;
            })) {
                for (; s < steps; s++) {
                    run.checkCancel(s);
                    if (run.stopEarly(s)) break;
                    Batch b = loader.next();
                    long[] tokens = b.tokens() != null ? b.tokens() : TokenTable.tokens(vae, root, b.pixels(), batch, raster);
                    VarStep.Result r = null;
                    double norm = Double.NaN;
                    for (int attempt = 1; attempt <= GradientGuard.MAX_ATTEMPTS; attempt++) {
                        try (NDManager figures = root.newSubManager()) {
                            VarStep.Pending pending = step.run(root, figures, tokens, b.labels(), micro);   // gradients of the whole batch
                            VarStep.Read read = pending.read(adam.gradientNorm(figures));       // the step's one read: figures and norm
                            r = read.result();
                            norm = read.extra();
                        }
                        if (guard.accept(norm)) break;
                        adam.zeroGradients();
                        listener.onMessage("step " + (s + 1) + ": discarded a corrupt gradient (norm " + norm + "), recomputing");
                    }
                    adam.update(schedule.at(s), wd, clip, norm);
                    if (ema != null) ema.update(s + 1);
                    double loss = r.loss(), acc = stats.add(r.perPosition(), len);
                    if (!Double.isFinite(loss)) throw new IllegalStateException("the loss became " + loss + " at step " + (s + 1) + ": lower --lr");
                    progress.step(s + 1, loss, acc);
                    if ((s + 1) % window == 0 || s + 1 == steps) {
                        listener.onMessage("step " + (s + 1) + ": " + stats.describe());
                        stats.reset();
                    }
                    boolean evaluate = valLabels.length > 0 && monitor.evalDue(s + 1);
                    monitor.step(s + 1, loss, schedule.at(s), evaluate);
                    if (evaluate) {
                        VarStep.Result v = shownStep.evaluate(root, valTokens, valLabels, micro);
                        if (run.validated(s + 1, v.loss(), ScaleStats.accuracy(v.perPosition(), len), stats.lossPerScale(v.perPosition())))
                            progress.resetClock();
                    }
                    if (monitor.previewDue(s + 1)) {
                        monitor.preview(s + 1, raster ? null : samples(shown, vae, root, numClasses, cfg.imageSize(), cfg.channels()));
                        progress.resetClock();
                    }
                    if (run.checkpointDue(s + 1)) { run.checkpoint(s + 1); progress.resetClock(); }
                }
            }
            if (data.images() != null) run.record(data.images().record());
            return run.finish(s);
        }
    }

    /** The tokenizer file's own training.json (its data and validation PSNR), or its "tokenizer" section when it is a full model. */
    private static JsonObject tokenizerRecord(Path file) {
        try {
            byte[] b = org.nextscale.core.model.ModelFile.readEntry(file, TrainRun.TRAINING_ENTRY);
            if (b == null) return null;
            JsonObject j = com.google.gson.JsonParser.parseString(new String(b, java.nio.charset.StandardCharsets.UTF_8)).getAsJsonObject();
            return j.has("tokenizer") && j.get("tokenizer").isJsonObject() ? j.getAsJsonObject("tokenizer") : j;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The preview: a row of 4 samples per class (at most 10 classes), the default sampling settings, seed 0. */
    private static Image samples(VarTransformer var, VqVae vae, NDManager root, int numClasses, int size, int channels) {
        int classes = Math.min(10, numClasses), per = 4, len = channels * size * size;
        long[] labels = new long[classes * per];
        for (int i = 0; i < labels.length; i++) labels[i] = i / per;
        float[] px;
        try (NDManager m = root.newSubManager()) {
            px = new Sampler(var, vae).sample(m.create(labels), SampleOptions.defaults().withSeed(0), null,
                    org.nextscale.core.api.ProgressListener.NONE, org.nextscale.core.api.CancelToken.none(), null).toFloatArray();
        }
        List<Image> cells = new java.util.ArrayList<>();
        for (int i = 0; i < labels.length; i++)
            cells.add(Render.enlarge(new Image(channels, size, size, java.util.Arrays.copyOfRange(px, i * len, (i + 1) * len)), Math.max(1, 96 / size)));
        return Render.grid(cells, per, 2);
    }
}
