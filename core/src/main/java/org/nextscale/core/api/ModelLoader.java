package org.nextscale.core.api;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What turns a model file into a {@link VarModel}. The api package only names this interface; the
 * implementation (model.LoadedModel.Loader) is found with the ServiceLoader
 * (META-INF/services/org.nextscale.core.api.ModelLoader), so api depends on nothing above it.
 */
public interface ModelLoader {
    /** Loads {@code file} on {@code device}, holding the weights {@code precision} names in float16. */
    VarModel load(Path file, Device device, ProgressListener progress, WeightPrecision precision) throws IOException;
}
