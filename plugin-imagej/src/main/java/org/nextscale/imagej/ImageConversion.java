package org.nextscale.imagej;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Roi;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import java.util.List;
import org.nextscale.core.api.EditMask;
import org.nextscale.core.api.Image;

/**
 * ImageJ 1.x images to and from the core's {@link Image} (float planes in [0, 1]). The rule, the same
 * for every command:
 * <ul>
 *   <li>The current plane is used: the current slice and frame of a stack, with all channels of a
 *       multi-channel (composite) image.</li>
 *   <li>8-bit values are divided by 255, RGB channels by 255; 16-bit and 32-bit values are mapped from the
 *       image's display range (Image > Adjust > Brightness/Contrast: min..max) to [0, 1], as the user sees
 *       them, so 12-bit camera data in a 16-bit image use their own range; values outside the display range
 *       pass on unclamped, so kept pixels of an edit come back exactly; an 8-bit indexed-colour image
 *       (type COLOR_256) is read as the RGB colours it shows.</li>
 *   <li>Size and channel count are converted by the core (see the core's ImageAdapter); results come
 *       back at the input's size with the input's type: 8-bit, 16-bit and 32-bit (the inverse mapping,
 *       same display range), RGB, or multi-channel; an 8-bit image with a colour table comes back RGB.</li>
 * </ul>
 */
public final class ImageConversion {
    private ImageConversion() {}

    /** The current plane of {@code imp} as an {@link Image}. */
    public static Image toImage(ImagePlus imp) {
        int w = imp.getWidth(), h = imp.getHeight(), n = imp.getNChannels();
        if (n > 1) {
            float[] data = new float[n * w * h];
            for (int c = 0; c < n; c++) {
                ImageProcessor ip = imp.getStack().getProcessor(imp.getStackIndex(c + 1, imp.getSlice(), imp.getFrame()));
                copyGray(ip, data, c * w * h);
            }
            return new Image(n, h, w, data);
        }
        ImageProcessor ip = imp.getProcessor();
        if (ip instanceof ColorProcessor || imp.getType() == ImagePlus.COLOR_256)
            return rgb(ip instanceof ColorProcessor cp ? cp : (ColorProcessor) ip.convertToRGB());
        float[] data = new float[w * h];
        copyGray(ip, data, 0);
        return new Image(1, h, w, data);
    }

    /**
     * {@code img} (at {@code like}'s size, or larger for a grown canvas) as a new single-plane image of
     * {@code like}'s type, calibration and display range.
     */
    public static ImagePlus like(Image img, ImagePlus like, String title) {
        int n = like.getNChannels();
        ImagePlus out;
        if (n > 1) {
            ImageStack stack = new ImageStack(img.width(), img.height());
            for (int c = 0; c < n; c++) {
                ImageProcessor src = like.getStack().getProcessor(like.getStackIndex(c + 1, like.getSlice(), like.getFrame()));
                stack.addSlice(like.getStack().getSliceLabel(like.getStackIndex(c + 1, like.getSlice(), like.getFrame())),
                        grayLike(img, Math.min(c, img.channels() - 1), src));
            }
            out = new ImagePlus(title, stack);
            out.setDimensions(n, 1, 1);
            if (like.isComposite()) out = new ij.CompositeImage(out, ((ij.CompositeImage) like).getMode());
        } else if (like.getType() == ImagePlus.COLOR_RGB || like.getType() == ImagePlus.COLOR_256) {
            out = new ImagePlus(title, toRgb(img));
        } else {
            out = new ImagePlus(title, grayLike(img, 0, like.getProcessor()));
        }
        out.setCalibration(like.getCalibration().copy());
        return out;
    }

    /** Images at the model's size as an 8-bit (gray) or RGB stack, one slice per image. */
    public static ImagePlus stack(List<Image> images, String title, List<String> sliceLabels) {
        if (images.isEmpty()) throw new IllegalArgumentException("no images to show");
        Image first = images.get(0);
        ImageStack stack = new ImageStack(first.width(), first.height());
        for (int i = 0; i < images.size(); i++) {
            Image img = images.get(i);
            stack.addSlice(sliceLabels == null ? null : sliceLabels.get(i), img.channels() == 1 ? toGray8(img, 0) : toRgb(img));
        }
        return new ImagePlus(title, stack);
    }

    /**
     * The pixels selected by the image's area ROI, or by the non-zero pixels of {@code maskImage} (its
     * current plane, first channel) when one is given.
     */
    public static EditMask mask(ImagePlus imp, ImagePlus maskImage) {
        int w = imp.getWidth(), h = imp.getHeight();
        boolean[] sel = new boolean[w * h];
        if (maskImage != null) {
            if (maskImage.getWidth() != w || maskImage.getHeight() != h)
                throw new IllegalArgumentException("the mask image '" + maskImage.getTitle() + "' is " + maskImage.getWidth() + "x"
                        + maskImage.getHeight() + " but the image is " + w + "x" + h + "; give a mask of the same size");
            ImageProcessor mp = maskImage.getProcessor();
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) sel[y * w + x] = mp.getf(x, y) != 0f;
        } else {
            Roi roi = imp.getRoi();
            if (roi == null || !roi.isArea())
                throw new IllegalArgumentException("select the area to edit: draw an area selection (rectangle, oval, freehand) on "
                        + imp.getTitle() + ", or choose a Mask image of its size (mask=[title])");
            ByteProcessor filled = new ByteProcessor(w, h);
            filled.setColor(255);
            filled.fill(roi);
            byte[] px = (byte[]) filled.getPixels();
            for (int i = 0; i < px.length; i++) sel[i] = px[i] != 0;
        }
        EditMask mask = new EditMask(h, w, sel);
        if (mask.count() == 0)
            throw new IllegalArgumentException("the selection is empty: select some pixels of the image (or give a mask with non-zero pixels)");
        return mask;
    }

    private static void copyGray(ImageProcessor ip, float[] out, int offset) {
        int w = ip.getWidth(), h = ip.getHeight();
        if (ip instanceof FloatProcessor || ip instanceof ShortProcessor) {
            double[] range = displayRange(ip);
            double min = range[0], span = range[1] - range[0];
            for (int i = 0; i < w * h; i++) out[offset + i] = (float) ((ip.getf(i) - min) / span);
        } else if (ip instanceof ColorProcessor) {
            // one channel of an RGB plane inside a multi-channel image: use its brightness
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) out[offset + y * w + x] = ip.getPixelValue(x, y) / 255f;
        } else {
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) out[offset + y * w + x] = ip.get(x, y) / 255f;
        }
    }

    /** The display range of a 16- or 32-bit plane, {min, max} with max > min (the data's own range when the display's is empty). */
    static double[] displayRange(ImageProcessor ip) {
        double min = ip.getMin(), max = ip.getMax();
        if (!(max > min)) {
            ImageProcessor copy = ip.duplicate();
            copy.resetMinAndMax();
            min = copy.getMin();
            max = copy.getMax();
        }
        return max > min ? new double[] {min, max} : new double[] {min, min + 1};
    }

    private static Image rgb(ColorProcessor cp) {
        int w = cp.getWidth(), h = cp.getHeight(), hw = w * h;
        int[] px = (int[]) cp.getPixels();
        float[] d = new float[3 * hw];
        for (int i = 0; i < hw; i++) {
            d[i] = ((px[i] >> 16) & 255) / 255f;
            d[hw + i] = ((px[i] >> 8) & 255) / 255f;
            d[2 * hw + i] = (px[i] & 255) / 255f;
        }
        return new Image(3, h, w, d);
    }

    /** Channel {@code c} of {@code img} as a processor of {@code type}'s kind, with its display range. */
    private static ImageProcessor grayLike(Image img, int c, ImageProcessor type) {
        int w = img.width(), h = img.height(), off = c * w * h;
        float[] d = img.data();
        if (type instanceof FloatProcessor) {
            double[] range = displayRange(type);
            float[] px = new float[w * h];
            for (int i = 0; i < px.length; i++) px[i] = (float) (range[0] + d[off + i] * (range[1] - range[0]));
            FloatProcessor fp = new FloatProcessor(w, h, px);
            fp.setMinAndMax(type.getMin(), type.getMax());
            return fp;
        }
        if (type instanceof ShortProcessor) {
            double[] range = displayRange(type);
            short[] px = new short[w * h];
            for (int i = 0; i < px.length; i++)
                px[i] = (short) Math.round(Math.max(0, Math.min(65535, range[0] + d[off + i] * (range[1] - range[0]))));
            ShortProcessor sp = new ShortProcessor(w, h, px, type.getColorModel());
            sp.setMinAndMax(type.getMin(), type.getMax());
            return sp;
        }
        if (type instanceof ColorProcessor) return toRgb(new Image(1, h, w, java.util.Arrays.copyOfRange(d, off, off + w * h)));
        ByteProcessor bp = toGray8(img, c);
        bp.setColorModel(type.getColorModel());
        bp.setMinAndMax(type.getMin(), type.getMax());
        return bp;
    }

    private static ByteProcessor toGray8(Image img, int c) {
        int w = img.width(), h = img.height(), off = c * w * h;
        byte[] px = new byte[w * h];
        for (int i = 0; i < px.length; i++) px[i] = (byte) Math.round(clamp(img.data()[off + i]) * 255f);
        return new ByteProcessor(w, h, px);
    }

    private static ColorProcessor toRgb(Image img) {
        int w = img.width(), h = img.height(), hw = w * h;
        int[] px = new int[hw];
        float[] d = img.data();
        for (int i = 0; i < hw; i++) {
            int r = to8(d[i]);
            int g = to8(d[Math.min(1, img.channels() - 1) * hw + i]);
            int b = to8(d[Math.min(2, img.channels() - 1) * hw + i]);
            px[i] = 0xff000000 | (r << 16) | (g << 8) | b;
        }
        return new ColorProcessor(w, h, px);
    }

    private static int to8(float v) {
        return Math.round(clamp(v) * 255f);
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
