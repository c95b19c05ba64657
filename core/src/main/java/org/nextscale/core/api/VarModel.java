package org.nextscale.core.api;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.nextscale.core.config.ModelConfig;

/**
 * The one object every front end uses: a loaded model file (tokenizer + transformer) on a device, and
 * the operations users ask for. Images come in and go out as {@link Image} at any size; they are
 * converted to the model's size and channels by {@link ImageAdapter} and returned at the input's size.
 * Calls from several threads on one instance are safe and give the same images as the same calls made one
 * after another (each call has its own scoped NDManager and turns gradient recording off for its thread;
 * ConcurrentCallsTest checks it). Only {@link #close()} must wait until no call is running.
 */
public interface VarModel extends AutoCloseable {

    /** Loads a model file (.zip with model.json + weights.safetensors). */
    static VarModel load(Path file, Device device) throws IOException {
        return load(file, device, ProgressListener.NONE);
    }

    /**
     * Loads a model file tensor by tensor into engine memory, reporting bytes read ("load"); a model whose
     * weights cannot fit in the free memory is refused before anything is read. The weights' precision in memory
     * is {@link WeightPrecision#configured()} (float32 unless the property or environment variable says otherwise).
     * The tokenizer's encoder, which generating never uses, stays in the file until the first call that turns
     * images into tokens (tokenize, reconstruct, edit) reads it: keep the file in place while the model is open
     * (a file replaced or removed by then makes that call fail with a message to load the model again).
     */
    static VarModel load(Path file, Device device, ProgressListener progress) throws IOException {
        return load(file, device, progress, WeightPrecision.configured());
    }

    /** As {@link #load(Path, Device, ProgressListener)}, with the transformer's matrices held in {@code precision}. */
    static VarModel load(Path file, Device device, ProgressListener progress, WeightPrecision precision) throws IOException {
        return Loaders.FIRST.load(file, device, progress, precision);
    }

    /**
     * Loads the model shipped with nextscale (models/fashion-mnist.zip): looked up through the system
     * property nextscale.model, the environment variable NEXTSCALE_MODEL, then nextscale.home/models.
     */
    static VarModel loadShipped(Device device) throws IOException {
        return load(ShippedModel.path(), device);
    }

    ModelConfig config();

    /** The side of the model's square images, in pixels: the tile and window size of large-image work. */
    default int imageSize() {
        return config().imageSize();
    }

    /** A few lines describing the model: sizes, parameters, classes, scales. */
    String summary();

    /** Resolves a class given as number or name ("3", "Dress"); -1 / "uncond" means unconditional. */
    int classIndex(String classNumberOrName);

    /** Class-conditional sampling; images at the model's size. */
    default List<Image> generate(SampleOptions options, ProgressListener progress, CancelToken cancel) {
        return generate(options, progress, cancel, ScaleListener.NONE);
    }

    /** {@link #generate(SampleOptions, ProgressListener, CancelToken)}, showing {@code scales} each scale as it is made. */
    List<Image> generate(SampleOptions options, ProgressListener progress, CancelToken cancel, ScaleListener scales);

    /** The token maps of an image, one per scale. */
    TokenPyramid tokenize(Image image);

    /** {@link #tokenize(Image)} of several images (a model may batch them). */
    default List<TokenPyramid> tokenize(List<Image> images) {
        List<TokenPyramid> out = new java.util.ArrayList<>(images.size());
        for (Image image : images) out.add(tokenize(image));
        return out;
    }

    /**
     * Coarse to fine: the image's tokens decoded after scales 1..k, for every k (what the quantizer's f_hat
     * holds after k scales), at the input's size; the last one is {@link #reconstruct(Image)}'s output,
     * pixel for pixel. Costs one decoder pass per scale.
     */
    List<Image> coarseToFine(Image image);

    /**
     * What showing every scale adds to a one-image generate call, as a fraction of that call's work: the
     * decoder passes for the scales before the last over the call's own FLOPs (0 without scales). At 32 px
     * the decoder dominates the FLOPs of a tiny model yet costs milliseconds; see {@link #showScalesByDefault}.
     */
    double scaleViewCost();

    /**
     * Whether front ends show the scales unless told otherwise: when the added decoder passes cost little in
     * absolute terms (under 5 GFLOP per image, some tens of milliseconds on a laptop CPU) or under 10% of the
     * call. Off for the official 256 px models (about 9 x 390 GFLOP, ~20 s on 2 cores).
     */
    default boolean showScalesByDefault() {
        return scaleViewCost() > 0 && (scaleViewCost() <= 0.10 || scaleViewFlops() < 5e9);
    }

    /** The FLOPs that showing every scale adds to one image (decoder passes for the scales before the last). */
    double scaleViewFlops();

    /** Encode, quantize, decode: the tokenizer's reconstruction at the input's size. */
    Image reconstruct(Image image);

    /** {@link #reconstruct(Image)} of several images, each back at its own size (a model may batch them). */
    default List<Image> reconstruct(List<Image> images) {
        List<Image> out = new java.util.ArrayList<>(images.size());
        for (Image image : images) out.add(reconstruct(image));
        return out;
    }

    /** Zero-shot edit; see {@link EditMode} and {@link EditMask}. Result at the input's size. */
    default Image edit(Image image, EditMask mask, EditMode mode, SampleOptions options, ProgressListener progress, CancelToken cancel) {
        return edit(image, mask, mode, options, progress, cancel, ScaleListener.NONE);
    }

    /** {@link #edit(Image, EditMask, EditMode, SampleOptions, ProgressListener, CancelToken)}, showing {@code scales} each scale. */
    Image edit(Image image, EditMask mask, EditMode mode, SampleOptions options, ProgressListener progress, CancelToken cancel,
               ScaleListener scales);

    /**
     * The edit with the given {@link SeamMode} (the other forms use {@link SeamMode#BLEND}). The image is fitted to the
     * model whole; org.nextscale.core.tiling.EditWindows edits large images in windows at their own resolution.
     */
    default Image edit(Image image, EditMask mask, EditMode mode, SampleOptions options, SeamMode seams, ProgressListener progress,
                       CancelToken cancel, ScaleListener scales) {
        return edit(image, mask, mode, options, progress, cancel, scales);
    }

    @Override
    void close();

    /** The ModelLoader on the class path (core's own), looked up once. */
    final class Loaders {
        private Loaders() {}

        static final ModelLoader FIRST = java.util.ServiceLoader.load(ModelLoader.class, VarModel.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no model loader on the class path: the nextscale core jar is incomplete"));
    }
}
