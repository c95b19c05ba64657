package org.nextscale.core.api;

import java.util.List;

/**
 * The state of a next-scale run after one scale: the accumulated feature map f_hat of scales 1..k, which
 * {@link #decode()} turns into images (one decoder pass over the batch; cheap at 32 px, about 2 s at 256 px
 * on a 2-core CPU), so a listener decodes only the scales it shows. Valid only during
 * {@link ScaleListener#onScale}.
 */
public interface ScaleFrame {
    /** 0-based scale just completed. */
    int scale();

    int numScales();

    /** Token-map side of this scale (1, 2, 3, ... as in the model's patch_nums). */
    int side();

    /** Index, among all images the call makes, of this batch's first image. */
    int firstImage();

    /** Images in this batch. */
    int count();

    /**
     * The batch's images as they stand after scales 1..scale+1: f_hat decoded at the final size, in [0, 1];
     * at the model's size when generating, at the input's size when editing. After the last scale these are
     * the images the call returns (before an edit restores its kept pixels).
     */
    List<Image> decode();
}
