package org.nextscale.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.EditMask;
import org.nextscale.core.api.EditMode;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.ImageAdapter;
import org.nextscale.core.api.ModelLoader;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.api.ScaleFrame;
import org.nextscale.core.api.ScaleListener;
import org.nextscale.core.api.SeamMode;
import org.nextscale.core.api.TokenPyramid;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.api.WeightPrecision;
import org.nextscale.core.config.ClassNames;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.nn.NoGrad;
import org.nextscale.core.nn.Params;
import org.nextscale.core.tiling.Seams;
import org.nextscale.core.tokenizer.RasterCodes;
import org.nextscale.core.tokenizer.VqVae;
import org.nextscale.core.transformer.Editor;
import org.nextscale.core.transformer.Flops;
import org.nextscale.core.transformer.RasterSampler;
import org.nextscale.core.transformer.Sampler;
import org.nextscale.core.transformer.TokenLayout;
import org.nextscale.core.transformer.VarTransformer;

/**
 * {@link VarModel} over a model file: weights live in one manager on the chosen device; every call
 * opens a sub-manager and frees what it made, and runs without gradient recording whatever the calling
 * thread's mode (the engine's is per thread), so it takes the same inference path, and gives the same
 * bits, on every thread. Images are converted by {@link ImageAdapter} on the way
 * in and out, and sampling runs in batches of {@link SampleOptions#DEFAULT_BATCH} with progress per batch.
 */
public final class LoadedModel implements VarModel {
    private final ModelConfig config;
    private final String summary;
    private final NDManager manager;
    private final VqVae vae;
    private final VarTransformer transformer;   // null for a tokenizer-only model

    private LoadedModel(ModelConfig config, String summary, NDManager manager, Params params) {
        this.config = config;
        this.summary = summary;
        this.manager = manager;
        try {
            this.vae = new VqVae(config, params);
            this.transformer = config.hasTransformer()
                    ? new VarTransformer(config.var(), TokenLayout.of(config), config.vqvae().vocabSize(), config.vqvae().zChannels(), params)
                    : null;
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Loads a model file tensor by tensor into engine memory on {@code device}, the transformer's matrices in
     * {@code precision}; progress counts bytes ("load").
     */
    public static LoadedModel load(Path file, Device device, ProgressListener progress, WeightPrecision precision) throws IOException {
        NDManager manager = NDManager.newBaseManager(device);
        try {
            // the encoder only turns images into tokens (tokenize, reconstruct, edit): generating never reads it
            ModelFile.Streamed s = ModelFile.loadInto(file, manager, progress, precision, VqVae::isEncoderWeight);
            String held = precision == WeightPrecision.FLOAT32 ? "float32" : "the transformer's matrices float16, computing in float32";
            String summary = ModelSummary.describe(s.config(), null) + String.format(Locale.ROOT,
                    "weights:     %d tensors, %s parameters in total, %.1f MB in memory (%s; the file holds %s)%s%n", s.tensors(),
                    ModelSummary.count(WeightSpec.parameterCount(s.config(), "")), s.memoryBytes() / 1e6, held, String.join("/", s.fileDtypes()),
                    s.deferredBytes() == 0 ? "" : String.format(Locale.ROOT, ", + %.1f MB for the encoder, read on first use (tokenize, "
                            + "reconstruct, edit)", s.deferredBytes() / 1e6));
            return new LoadedModel(s.config(), summary, manager, s.params());
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public static LoadedModel load(Path file, Device device) throws IOException {
        return load(file, device, ProgressListener.NONE, WeightPrecision.configured());
    }

    /** A model already in memory (e.g. just trained or converted). */
    public static LoadedModel of(ModelFile.Loaded loaded, Device device) {
        NDManager manager = NDManager.newBaseManager(device);
        return new LoadedModel(loaded.config(), ModelSummary.describe(loaded.config(), loaded.weights()), manager,
                Params.fromHost(loaded.weights(), manager));
    }

    /** The {@link org.nextscale.core.api.VarModel#load} implementation, found through the ServiceLoader. */
    public static final class Loader implements ModelLoader {
        @Override
        public VarModel load(Path file, Device device, ProgressListener progress, WeightPrecision precision) throws IOException {
            return LoadedModel.load(file, device, progress, precision);
        }
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public String summary() {
        return summary;
    }

    public VqVae tokenizer() {
        return vae;
    }

    public VarTransformer transformer() {
        return transformer;
    }

    public NDManager manager() {
        return manager;
    }

    @Override
    public int classIndex(String spec) {
        requireTransformer("sampling");
        return ClassNames.resolve(config.classNames(), spec);
    }

    @Override
    public List<Image> generate(SampleOptions o, ProgressListener progress, CancelToken cancel, ScaleListener scales) {
        requireTransformer("generate");
        if (o.count() < 1) throw new IllegalArgumentException("number of images must be at least 1, got " + o.count());
        if (o.classId() >= config.var().numClasses() || o.classId() < SampleOptions.UNCONDITIONAL)
            throw new IllegalArgumentException("class " + o.classId() + " does not exist: this model has classes 0.."
                    + (config.var().numClasses() - 1) + " (or -1 for unconditional)");
        List<Image> out = new ArrayList<>();
        int perImage = config.order().equals("raster") ? 1 : config.numScales();
        long total = (long) o.count() * perImage;                  // progress counts image-scales, so one batch moves the bar too
        progress.progress("generate", 0, total);
        int per = o.batch() > 0 ? o.batch() : SampleOptions.DEFAULT_BATCH;   // images per model call: memory stays flat for large counts
        for (int start = 0; start < o.count(); start += per) {
            cancel.check();
            int n = Math.min(per, o.count() - start);
            long before = (long) start * perImage;
            // each batch gets its own seed stream (seed + 1,000,003 x its number): its images do not depend on how many
            // images the other batches drew, but do depend on the batch size
            SampleOptions batch = o.withCount(n).withSeed(o.seed() + 1_000_003L * (start / per));
            ProgressListener perScale = (stage, done, all) ->
                    progress.progress("generate", before + (long) Math.floor((double) n * perImage * Math.min(done, all) / Math.max(1, all)), total);
            try (NDManager m = manager.newSubManager(); NoGrad noGrad = new NoGrad()) {
                out.addAll(toImages(sampleBatch(m, batch, perScale, cancel, scales, start)));
            }
            progress.progress("generate", (long) (start + n) * perImage, total);
        }
        return out;
    }

    private NDArray sampleBatch(NDManager m, SampleOptions o, ProgressListener perScale, CancelToken cancel, ScaleListener scales, int first) {
        if (!config.order().equals("raster"))
            return sampler(scales, first, o.count(), atModel -> atModel).generate(m, o, perScale, cancel);
        long[] labels = new long[o.count()];
        java.util.Arrays.fill(labels, o.classId() < 0 ? config.var().numClasses() : o.classId());
        NDArray tokens = new RasterSampler(transformer, vae.quantizer()).sample(m.create(labels), o, ProgressListener.NONE, cancel);
        return RasterCodes.decode(vae, tokens).add(1f).div(2f);      // (B, C, H, W) in [0, 1]
    }

    /** A sampler that shows {@code scales} each scale's f_hat, decoded on demand and converted by {@code toOutput}. */
    private Sampler sampler(ScaleListener scales, int first, int count, UnaryOperator<List<Image>> toOutput) {
        Sampler sampler = new Sampler(transformer, vae);
        if (scales == null || scales == ScaleListener.NONE) return sampler;
        int numScales = config.numScales();
        return sampler.onScale((si, fhat) -> scales.onScale(new ScaleFrame() {
            @Override public int scale() { return si; }
            @Override public int numScales() { return numScales; }
            @Override public int side() { return config.patchNums().get(si); }
            @Override public int firstImage() { return first; }
            @Override public int count() { return count; }

            @Override
            public List<Image> decode() {
                try (NDManager d = fhat.getManager().newSubManager(); NoGrad noGrad = new NoGrad()) {
                    fhat.tempAttach(d);                                     // the decoder's arrays go to d, fhat comes back
                    return toOutput.apply(toImages(vae.fhatToImg(fhat).add(1f).mul(0.5f)));   // as the sampler's last step
                }
            }
        }));
    }

    @Override
    public List<Image> coarseToFine(Image image) {
        try (NDManager m = manager.newSubManager(); NoGrad noGrad = new NoGrad()) {
            List<Image> out = new ArrayList<>();
            for (NDArray fhat : vae.quantizer().idxToFhats(vae.imgToIdx(toTensor(m, List.of(image)))))
                out.add(ImageAdapter.fromModel(toImages(vae.fhatToImg(fhat).add(1f).div(2f)).get(0), image));   // as reconstruct
            return out;
        }
    }

    @Override
    public double scaleViewCost() {
        return scaleViewFlops() / Flops.sample(config, 1);
    }

    @Override
    public double scaleViewFlops() {
        if (transformer == null || config.order().equals("raster")) return 0;
        return (config.numScales() - 1) * Flops.decoder(config);
    }

    @Override
    public TokenPyramid tokenize(Image image) {
        return tokenize(List.of(image)).get(0);
    }

    /** One batched pass through encoder and quantizer. */
    @Override
    public List<TokenPyramid> tokenize(List<Image> images) {
        try (NDManager m = manager.newSubManager(); NoGrad noGrad = new NoGrad()) {
            List<NDArray> idx = vae.imgToIdx(toTensor(m, images));                 // per scale (B, pn^2)
            List<long[]> flat = new ArrayList<>();
            for (NDArray a : idx) flat.add(a.toLongArray());
            List<TokenPyramid> out = new ArrayList<>(images.size());
            for (int b = 0; b < images.size(); b++) {
                List<int[]> tokens = new ArrayList<>();
                for (int k = 0; k < flat.size(); k++) {
                    int len = config.patchNums().get(k) * config.patchNums().get(k);
                    int[] t = new int[len];
                    for (int i = 0; i < len; i++) t[i] = (int) flat.get(k)[b * len + i];
                    tokens.add(t);
                }
                out.add(new TokenPyramid(List.copyOf(config.patchNums()), tokens));
            }
            return out;
        }
    }

    @Override
    public Image reconstruct(Image image) {
        return reconstruct(List.of(image)).get(0);
    }

    /** One batched round trip through the tokenizer. */
    @Override
    public List<Image> reconstruct(List<Image> images) {
        try (NDManager m = manager.newSubManager(); NoGrad noGrad = new NoGrad()) {
            NDArray img = vae.idxToImg(vae.imgToIdx(toTensor(m, images))).add(1f).div(2f);    // (B, C, S, S) in [0, 1]
            List<Image> atModel = toImages(img), out = new ArrayList<>(images.size());
            for (int i = 0; i < images.size(); i++) out.add(ImageAdapter.fromModel(atModel.get(i), images.get(i)));
            return out;
        }
    }

    @Override
    public Image edit(Image image, EditMask mask, EditMode mode, SampleOptions o, ProgressListener progress, CancelToken cancel,
                      ScaleListener scales) {
        return edit(image, mask, mode, o, SeamMode.BLEND, progress, cancel, scales);
    }

    @Override
    public Image edit(Image image, EditMask mask, EditMode mode, SampleOptions o, SeamMode seams, ProgressListener progress,
                      CancelToken cancel, ScaleListener scales) {
        requireTransformer("edit");
        if (config.order().equals("raster")) throw new IllegalArgumentException("editing needs a next-scale (VAR) model, not a raster-order baseline");
        if (mask.height() != image.height() || mask.width() != image.width())
            throw new IllegalArgumentException(String.format(Locale.ROOT, "mask is %dx%d but the image is %dx%d",
                    mask.width(), mask.height(), image.width(), image.height()));
        mask.requireEditable(mode);
        EditMask modelMask = ImageAdapter.resize(mask, config.imageSize(), config.imageSize());
        if (modelMask.count() == 0 || (mode == EditMode.OUTPAINT && modelMask.count() == modelMask.height() * modelMask.width()))
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the selection is smaller than one of the model's pixels once the "
                    + "%dx%d px image is fitted to the model's %d px: use scale auto (the image's own resolution) or select more",
                    image.width(), image.height(), config.imageSize()));
        try (NDManager m = manager.newSubManager(); NoGrad noGrad = new NoGrad()) {
            NDArray in01 = toTensor(m, List.of(image)).add(1f).div(2f);
            boolean[] regenerated = regenerated(mask, mode);
            // every frame as the result is made: kept pixels the input's own, the fill composed with the seam mode
            UnaryOperator<List<Image>> compose = atModel -> List.of(Seams.compose(image, ImageAdapter.fromModel(atModel.get(0), image), regenerated, seams));
            NDArray result = new Editor(sampler(scales, 0, 1, compose)).edit(in01, modelMask, mode, o, progress, cancel, null);
            return compose.apply(toImages(result)).get(0);
        }
    }

    /** The pixels an edit regenerates: the selection, or (out-painting) everything else. */
    private static boolean[] regenerated(EditMask mask, EditMode mode) {
        boolean[] r = mask.selected().clone();
        if (mode == EditMode.OUTPAINT) for (int i = 0; i < r.length; i++) r[i] = !r[i];
        return r;
    }

    /** Images at any size -> (B, C, S, S) in [-1, 1] at the model's geometry. */
    private NDArray toTensor(NDManager m, List<Image> images) {
        int s = config.imageSize(), c = config.channels();
        float[] data = new float[images.size() * c * s * s];
        for (int i = 0; i < images.size(); i++) {
            float[] px = ImageAdapter.toModel(images.get(i), s, c).data();
            for (int j = 0; j < px.length; j++) data[i * px.length + j] = px[j] * 2f - 1f;
        }
        return m.create(data, new Shape(images.size(), c, s, s));
    }

    /** (B, C, S, S) in [0, 1] -> images at the model's size. */
    private List<Image> toImages(NDArray batch01) {
        Shape sh = batch01.getShape();
        int b = (int) sh.get(0), c = (int) sh.get(1), h = (int) sh.get(2), w = (int) sh.get(3);
        float[] all = batch01.clip(0f, 1f).toFloatArray();
        List<Image> out = new ArrayList<>(b);
        int n = c * h * w;
        for (int i = 0; i < b; i++) out.add(new Image(c, h, w, java.util.Arrays.copyOfRange(all, i * n, (i + 1) * n)));
        return out;
    }

    private void requireTransformer(String what) {
        if (transformer == null)
            throw new IllegalArgumentException("this is a tokenizer-only model: " + what
                    + " needs a model trained with 'nextscale train' (tokenizer + transformer)");
    }

    @Override
    public void close() {
        manager.close();
    }
}
