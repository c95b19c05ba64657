package org.nextscale.imagej.ij1;

/** The Help pages of the dialogs (the Help button): short HTML, the words the dialogs use. */
final class Help {
    private Help() {}

    static final String SCALE = "<p><b>Scale</b> (pixel scale): how many image pixels one model pixel covers. <i>auto</i> works on an image "
            + "larger than the model at its own resolution, in model-sized tiles or windows; <i>2</i> works at half resolution (for areas larger "
            + "than one window); <i>fit</i> fits the whole image to the model's square (fast, loses detail).</p>";
    static final String CLASS = "<p><b>Class</b>: what to make, from the model's classes; <i>unconditional</i> lets the model choose.</p>";
    static final String CFG = "<p><b>Cfg</b> (classifier-free guidance): how closely the images follow the class. 0 = not at all, 1.5 "
            + "(the default) = balanced, higher = more typical but less varied images.</p><p><b>Seed</b>: the same seed gives the same images.</p>"
            + "<p><b>Show_scales</b>: also show the images forming, one slice per scale, coarse to fine.</p>";
    static final String EDIT = "<p>The area is the selection on the image (draw one first), or the non-zero pixels of a <b>Mask</b> image of "
            + "the same size. On a stack, the current slice is edited. The result is a new image; the original stays as it is.</p>";

    static final String TRAIN = "<p><b>Data</b>: a folder of your images as they are: any size, 8, 16 or 32 bit, TIFF stacks (each page an "
            + "image), one sub-folder per class or all in one. Images larger than the model train as random 32 px patches at their own "
            + "resolution, empty background skipped, flipped and rotated at random. 10% is held out for validation.</p>"
            + "<p>While it trains, a window plots the training and validation loss and another shows a preview; <b>Cancel</b> in the "
            + "progress window (or Esc) stops after the current step and keeps a checkpoint. Beside the model: NAME.best.zip (the lowest "
            + "validation loss), NAME.log.csv, NAME.loss.png, NAME.preview.png.</p>"
            + "<p><b>Options</b>, for example: <i>val=0.2</i> (hold out 20%), <i>scale=2</i> (patches at half resolution), <i>patience=5</i> "
            + "(stop after 5 validations without improvement), <i>minutes=30</i> (stop after 30 minutes), <i>eval_every=100</i>, "
            + "<i>seed=1</i>, <i>resume=[checkpoint]</i> (go on from a stopped run). All options: docs/training.md.</p>";

    /** A page: the command, what it says, and where to read more. */
    static String page(String command, String body) {
        return "<html><h2>VAR " + command + "</h2>" + body + "<p>Every field is also a macro key: the Macro Recorder writes them. More: the "
                + "nextscale documentation, docs/fiji.md (Plugins &gt; VAR &gt; Help).</p></html>";
    }
}
