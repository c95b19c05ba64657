package org.nextscale.imagej;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nextscale.core.api.ShippedModel;
import org.nextscale.core.model.ModelCard;

/**
 * What a dialog offers for a model file, read without loading its weights: its classes by name and one line
 * saying what it is. Both the SciJava dialogs and the ImageJ 1.x ones use it.
 */
public final class ModelChoices {
    private ModelChoices() {}

    /** The choice that generates without a class. */
    public static final String UNCONDITIONAL = "unconditional";

    /** The pixel scales a dialog offers (a script may give any number). */
    public static final String[] SCALES = {"auto", "1", "2", "4", "8", "fit"};

    /** {@code model}, or the shipped model when it is null or empty. */
    public static Path path(File model) throws IOException {
        return model == null || model.getPath().isBlank() ? ShippedModel.path() : model.toPath();
    }

    /**
     * The model's class names, after "unconditional" unless a class is {@code required} (a class edit). A file that
     * cannot be read offers no names (just "0" when a class is required): the command reports its problem when it runs.
     */
    public static List<String> classes(Path model, boolean required) {
        List<String> names = new ArrayList<>();
        if (!required) names.add(UNCONDITIONAL);
        try {
            if (model != null && Files.isRegularFile(model)) names.addAll(ModelCard.read(model).classes());
        } catch (IOException | RuntimeException e) {
            // no classes to offer
        }
        if (names.isEmpty()) names.add("0");
        return names;
    }

    private static boolean isShipped(Path model) {
        try {
            return model.equals(ShippedModel.path());
        } catch (IOException e) {
            return false;
        }
    }

    /** "the shipped model, fashion-mnist.zip (32x32 gray, 10 classes), trained on ...", or what is wrong with it. */
    public static String describe(Path model) {
        try {
            return (isShipped(model) ? "the shipped model, " : "") + ModelCard.read(model).line();
        } catch (IOException | RuntimeException e) {
            return "cannot be read (" + e.getMessage() + "): choose a model file below";
        }
    }
}
