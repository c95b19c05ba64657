package org.nextscale.core.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.Devices;
import org.nextscale.core.api.PixelScale;
import org.nextscale.core.api.TrainListener;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.config.VqVaeConfig;
import org.nextscale.core.api.Image;
import org.nextscale.core.data.BatchLoader;
import org.nextscale.core.data.Datasets;
import org.nextscale.core.data.SourceImages;
import org.nextscale.core.data.TrainingData;
import org.nextscale.core.nn.NoGrad;
import org.nextscale.core.render.Render;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.model.ModelFile;
import org.nextscale.core.nn.Params;
import org.nextscale.core.tokenizer.VqVae;

/**
 * Trains the VQ-VAE tokenizer with the multi-scale quantizer: loss = L1 + L2 reconstruction + the
 * quantizer's VQ/commitment loss, AdamW, warm-up then cosine (default) or linear decay, global gradient-norm
 * clipping. At step 0 the codebook is drawn from encoder features; every log_every steps the codebook usage
 * per scale is reported and (reinit_dead) entries unused over that window are re-drawn from the current
 * batch's quantizer inputs, since the small scales collapse easily. With micro_batch the step's forward and
 * backward passes run in parts of the batch ({@link TokenizerStep}), one update per step.
 */
final class TokenizerTrainer {
    static final String PHASE = "tokenizer";

    private TokenizerTrainer() {}

    static ModelConfig config(TrainOptions o, List<String> classNames, int channels) {
        VqVaeConfig vq = new VqVaeConfig(o.integer("vocab"), o.integer("z"), o.integer("ch"), o.ints("ch_mult"), o.integer("res_blocks"),
                channels, true, true, o.real("beta"), 0.5, 4, 3);
        List<Integer> pn = o.patchNums();
        return new ModelConfig(ModelConfig.FORMAT_VERSION, pn.get(pn.size() - 1) * vq.downsample(), pn, vq, null, classNames, "var").validate();
    }

    /** The channels of a new tokenizer: the option, else the data's natural ones (colour if any image is). */
    private static int channels(TrainOptions o) throws IOException {
        if (!o.text("channels").isEmpty()) return o.integer("channels");
        int natural = Datasets.naturalChannels(o.data());
        return natural > 0 ? natural : Datasets.folderChannels(o.data());
    }

    /**
     * The side a fresh tokenizer takes from its data when neither image_size nor patch_nums is given: the images' own
     * when every image of a folder or list is one square page of 16, 64 or 128 px and the pixel scale is auto (1) or fit,
     * so the model generates whole images as the data set has them rather than patches of them (32 px is the
     * default anyway); 0 otherwise (the default side: smaller images fitted, larger ones in patches).
     */
    static int dataSide(TrainOptions o) throws IOException {
        String spec = o.data().trim().toLowerCase(Locale.ROOT);
        if (o.isGiven("image_size") || o.isGiven("patch_nums") || spec.isEmpty() || spec.startsWith("fashion-mnist") || spec.startsWith("synthetic"))
            return 0;
        PixelScale scale = PixelScale.parse(o.text("scale"));
        if (!scale.fit() && !scale.equals(PixelScale.AUTO)) return 0;
        int side = 0;
        for (Path file : SourceImages.list(o.data()).files()) {          // header by header: the first other size ends it
            SourceImages.Header h = SourceImages.headers(List.of(file)).get(0);
            if (side == 0) side = h.width();
            if (h.pages() != 1 || h.width() != side || h.height() != side || (side != 16 && side != 64 && side != 128)) return 0;
        }
        return side;
    }

    static Path run(TrainOptions given, TrainListener listener, CancelToken cancel) throws IOException {
        Checkpoint resume = TrainRun.readResume(given, PHASE);
        TrainOptions o = resume == null ? given : TrainRun.resumedOptions(given, resume);
        Device device = Devices.parse(o.device());
        Path out = o.path("out") != null ? o.path("out") : Path.of("tokenizer.zip");
        ModelFile.Loaded init = resume == null && o.path("init") != null ? initModel(o.path("init")) : null;
        int side = resume == null && init == null ? dataSide(o) : 0;
        if (side > 0) {
            o = o.with("image_size", String.valueOf(side));
            listener.onMessage(String.format(Locale.ROOT, "model side %d px, the images' own (every image is %dx%d): they train whole; "
                    + "give image_size (--image-size) for another side", side, side, side));
        }
        ModelConfig probe = init != null ? init.config() : resume != null ? resume.config() : config(o, List.of("images"), channels(o));
        TrainingData data = TrainingData.open(o.dataOptions(probe.imageSize(), probe.channels()), cancel);
        ModelConfig cfg = resume != null ? resume.config() : init != null ? init.config() : config(o, data.classNames(), probe.channels());
        int steps = o.steps(), batch = o.batch();
        double lr = o.lr(5e-4), wd = o.weightDecay(0.0), clip = o.clip();
        LrSchedule schedule = new LrSchedule(lr, o.warmup(), steps, o.schedule("cos"));
        int window = o.integer("log_every");
        boolean decoderOnly = o.trainPart().equals("decoder");
        boolean reinit = o.flag("reinit_dead") && !decoderOnly;             // re-drawing codes would change every token
        double discWeight = o.real("disc_weight");
        int discStart = o.integer("disc_start"), discLayers = o.integer("disc_layers");
        if (discWeight > 0 && Discriminator.logitSide(cfg.imageSize(), discLayers) < 1)
            throw new IllegalArgumentException("training option disc_layers " + discLayers + " is too deep for " + cfg.imageSize()
                    + " px images (each layer halves the side): use at most " + maxDiscLayers(cfg.imageSize()));
        listener.onMessage(String.format(Locale.ROOT, "tokenizer: %s; %d steps of %d%s, lr %.2g, device %s%s%s",
                data.describe(), steps, batch, o.microBatch() < batch ? " in micro-batches of " + o.microBatch() : "", lr, device,
                decoderOnly ? "; training post_quant_conv and the decoder only" : "",
                discWeight > 0 ? String.format(Locale.ROOT, "; PatchGAN (%d layers, %d channels) weight %.3g from step %d",
                        discLayers, o.integer("disc_ch"), discWeight, discStart) : ""));

        try (NDManager root = NDManager.newBaseManager(device)) {
            Map<String, HostTensor> weights = resume != null ? resume.weights() : init != null ? init.weights() : WeightInit.init(cfg, o.seed(), "vae.");
            Params params = Params.fromHost(weights, root);
            VqVae vae = new VqVae(cfg, params);
            Set<String> trainable = new HashSet<>();
            for (String n : vae.parameterNames()) if (!decoderOnly || VqVae.isDecoderWeight(n)) trainable.add(n);
            DataSize.warn(data, trainable.stream().mapToLong(n -> params.get(n).size()).sum(), listener);
            AdamW adam = new AdamW(params, trainable, 0.9, 0.95, 1e-8);
            Discriminator disc = null;
            AdamW discAdam = null;
            if (discWeight > 0) {
                Map<String, HostTensor> dw = resume != null && resume.optimizer().containsKey("disc.conv0.weight")
                        ? discWeights(resume.optimizer())
                        : Discriminator.init(cfg.channels(), o.integer("disc_ch"), discLayers, o.seed());
                Params dp = Params.fromHost(dw, root.newSubManager());
                disc = new Discriminator(dp, discLayers);
                discAdam = new AdamW(dp, dp.names(), 0.5, 0.9, 1e-8);
            }
            long start = 0;
            CodebookUsage usage = new CodebookUsage(cfg.numScales(), cfg.vqvae().vocabSize());
            if (resume != null) {
                adam.load(resume.optimizer(), resume.step());
                usage.load(resume.optimizer());
                if (discAdam != null && resume.optimizer().containsKey("m.disc.conv0.weight"))
                    discAdam.load(resume.optimizer(), Math.max(0, resume.step() - discStart));
                start = resume.step();
                listener.onMessage("resumed at step " + start + " of " + steps);
            }
            Discriminator d = disc;
            AdamW da = discAdam;
            TrainRun run = new TrainRun(PHASE, o, cfg, out, listener, cancel, params, adam, () -> {
                Map<String, HostTensor> state = new LinkedHashMap<>(usage.state());
                if (d != null) {                                             // checkpoint only, never the model file
                    state.putAll(d.params().toHost());
                    state.putAll(da.state());
                }
                return state;
            });
            RunMonitor monitor = run.monitor(List.of(), resume);
            TrainingData.Batch val = data.validation(VALIDATION_SAMPLES);
            int c = cfg.channels(), size = cfg.imageSize();
            Progress progress = new Progress(PHASE, steps, batch, listener);
            GradientGuard guard = new GradientGuard();
            TokenizerStep step = new TokenizerStep(vae);
            int micro = o.microBatch();
            double discLr = o.text("disc_lr").isEmpty() ? lr : o.real("disc_lr");
            long s = start;
            try (BatchLoader<TrainingData.Batch> loader = new BatchLoader<>(start, steps, 3, k -> data.batch(k, batch))) {
                for (; s < steps; s++) {
                    run.checkCancel(s);
                    if (run.stopEarly(s)) break;
                    float[] px = loader.next().pixels();
                    double loss;
                    try (NDManager sm = root.newSubManager()) {
                        // the batch as images (B, C, H, W) in [-1, 1], uploaded only when a codebook draw needs it
                        java.util.function.Supplier<NDArray> images = () -> sm.create(px, new Shape(batch, c, size, size));
                        if (s == 0 && resume == null && init == null) CodebookUsage.redraw(vae, params, images.get(), null, o.seed(), s);
                        boolean adversarial = disc != null && s >= discStart;
                        TokenizerStep.Result r = null;
                        double norm = Double.NaN;
                        for (int attempt = 1; attempt <= GradientGuard.MAX_ATTEMPTS; attempt++) {
                            try (NDManager figures = sm.newSubManager()) {              // gradients of the whole batch; one read
                                TokenizerStep.Read read = step.run(sm, figures, px, batch, micro, adversarial ? disc : null, discWeight)
                                        .read(adam.gradientNorm(figures));
                                r = read.result();
                                norm = read.extra();
                            }
                            if (guard.accept(norm)) break;
                            adam.zeroGradients();
                            if (adversarial) discAdam.zeroGradients();
                            listener.onMessage("step " + (s + 1) + ": discarded a corrupt gradient (norm " + norm + "), recomputing");
                        }
                        adam.update(schedule.at(s), wd, clip, norm);
                        if (adversarial) discAdam.update(discLr, 0, 0, Double.NaN);
                        loss = r.loss();
                        usage.add(r.usage());
                        if ((s + 1) % window == 0 || s + 1 == steps) {
                            listener.onMessage(String.format(Locale.ROOT, "step %d: loss %.4f, codebook usage per scale %s", s + 1, loss, usage.describe()));
                            if (adversarial)
                                listener.onMessage(String.format(Locale.ROOT, "step %d: discriminator hinge loss %.4f, generator loss %.4f, adaptive weight %.4g",
                                        s + 1, r.discLoss(), r.genLoss(), r.lambda()));
                            if (reinit && s + 1 < steps) {
                                boolean[] dead = usage.dead();
                                int n = CodebookUsage.count(dead);
                                if (n > 0) {
                                    CodebookUsage.redraw(vae, params, images.get(), dead, o.seed(), s);
                                    listener.onMessage("re-initialised " + n + " unused codebook entries");
                                }
                            }
                            usage.reset();
                        }
                    }
                    if (!Double.isFinite(loss)) throw new IllegalStateException("the loss became " + loss + " at step " + (s + 1) + ": lower --lr");
                    progress.step(s + 1, loss, Double.NaN);
                    boolean evaluate = val.size() > 0 && monitor.evalDue(s + 1);
                    monitor.step(s + 1, loss, schedule.at(s), evaluate);
                    if (evaluate) {
                        double[] v = step.evaluate(root, val.pixels(), val.size(), micro);        // loss, PSNR (dB)
                        run.note("val_psnr_db", v[1]);
                        if (run.validated(s + 1, v[0], Double.NaN, null)) progress.resetClock();
                    }
                    if (monitor.previewDue(s + 1)) {
                        monitor.preview(s + 1, val.size() > 0 ? reconstructions(vae, root, val, c, size) : null);
                        progress.resetClock();
                    }
                    if (run.checkpointDue(s + 1)) { run.checkpoint(s + 1); progress.resetClock(); }
                }
            }
            run.record(data.record());
            return run.finish(s);
        }
    }

    /** Validation images the runs judge by: at most this many, always the same ones. */
    static final int VALIDATION_SAMPLES = 512;

    /** The preview: up to 8 validation images (top row) above their reconstructions (bottom row). */
    private static Image reconstructions(VqVae vae, NDManager root, TrainingData.Batch val, int c, int size) {
        int n = Math.min(8, val.size()), len = c * size * size;
        List<Image> cells = new ArrayList<>();
        float[] recon;
        try (NDManager m = root.newSubManager(); NoGrad ng = new NoGrad()) {
            NDArray img = m.create(Arrays.copyOf(val.pixels(), n * len), new Shape(n, c, size, size));
            recon = vae.idxToImg(vae.imgToIdx(img)).toFloatArray();                          // (n, C, H, W) in [-1, 1]
        }
        for (float[] src : List.of(Arrays.copyOf(val.pixels(), n * len), recon))
            for (int i = 0; i < n; i++) {
                float[] d = new float[len];
                for (int j = 0; j < len; j++) d[j] = Math.max(0f, Math.min(1f, (src[i * len + j] + 1f) / 2f));
                cells.add(Render.enlarge(new Image(c, size, size, d), Math.max(1, 96 / size)));
            }
        return Render.grid(cells, n, 2);
    }

    /** The model a run starts from (init=...); its transformer, if any, is carried along unchanged. */
    private static ModelFile.Loaded initModel(Path file) throws IOException {
        return ModelFile.load(file);
    }

    private static Map<String, HostTensor> discWeights(Map<String, HostTensor> state) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        state.forEach((k, v) -> { if (k.startsWith("disc.")) out.put(k, v); });
        return out;
    }

    private static int maxDiscLayers(int size) {
        int l = 1;
        while (Discriminator.logitSide(size, l + 1) >= 1) l++;
        return l;
    }

    static void save(Path out, ModelConfig cfg, Params params) throws IOException {
        ModelFile.save(out, cfg, params.toHost(), false);
    }
}
