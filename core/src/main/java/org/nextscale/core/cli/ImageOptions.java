package org.nextscale.core.cli;

import org.nextscale.core.api.PixelScale;
import picocli.CommandLine.Option;

/** How an image meets the model, shared by tokenize, reconstruct and the edits: pixel scale and value range. */
final class ImageOptions {
    @Option(names = "--scale", defaultValue = "auto", paramLabel = "auto|fit|S", description = "image pixels per model pixel: auto (default: "
            + "images larger than the model are worked on at their own resolution, in model-sized tiles or windows), a number S (2 = at "
            + "half resolution, for selections larger than a window), or fit (the whole image fitted to the model, as before)")
    String scale;

    @Option(names = "--range", defaultValue = "auto", paramLabel = "auto|full|LOW,HIGH", description = "raw values that map to the "
            + "model's black and white: auto (default: 8-bit 0..255; 16- and 32-bit the data's own 0.1-99.9 percentile range, so 12-bit "
            + "data are not divided by 65535), full (0..65535 for 16-bit), or LOW,HIGH. Results are written back in the same range and bit depth")
    String range;

    PixelScale pixelScale() {
        return PixelScale.parse(scale);
    }
}
