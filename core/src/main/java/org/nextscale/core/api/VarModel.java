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
        return org.nextscale.core.model.LoadedModel.load(file, device);
    }

    /**
     * Loads the model shipped with nextscale (models/fashion-mnist.zip): looked up through the system
     * property nextscale.model, the environment variable NEXTSCALE_MODEL, then nextscale.home/models.
     */
    static VarModel loadShipped(Device device) throws IOException {
        return load(org.nextscale.core.model.ShippedModel.path(), device);
    }

    ModelConfig config();

    /** A few lines describing the model: sizes, parameters, classes, scales. */
    String summary();

    /** Resolves a class given as number or name ("3", "Dress"); -1 / "uncond" means unconditional. */
    int classIndex(String classNumberOrName);

    /** Class-conditional sampling; images at the model's size. */
    List<Image> generate(SampleOptions options, ProgressListener progress, CancelToken cancel);

    /** The token maps of an image, one per scale. */
    TokenPyramid tokenize(Image image);

    /** Encode, quantize, decode: the tokenizer's reconstruction at the input's size. */
    Image reconstruct(Image image);

    /** {@link #reconstruct(Image)} of several images, each back at its own size (a model may batch them). */
    default List<Image> reconstruct(List<Image> images) {
        List<Image> out = new java.util.ArrayList<>(images.size());
        for (Image image : images) out.add(reconstruct(image));
        return out;
    }

    /** Zero-shot edit; see {@link EditMode} and {@link EditMask}. Result at the input's size. */
    Image edit(Image image, EditMask mask, EditMode mode, SampleOptions options, ProgressListener progress, CancelToken cancel);

    @Override
    void close();
}
