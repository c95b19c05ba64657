package org.nextscale.imagej;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nextscale.core.api.ShippedModel;
import org.nextscale.core.model.ModelCard;

/**
 * What a dialog offers for a model file, read once and without loading its weights: one line saying what it is
 * and its classes by name (none when the file cannot be read; the command reports its problem when it runs). Both
 * the SciJava dialogs and the ImageJ 1.x ones use it.
 *
 * @param line       "the shipped model, fashion-mnist.zip (32x32 gray, 10 classes), trained on ...", or what is wrong
 * @param classNames the model's class names
 */
public record ModelChoices(String line, List<String> classNames) {

    /** The choice that generates without a class. */
    public static final String UNCONDITIONAL = "unconditional";

    /** The pixel scales a dialog offers (a script may give any number). */
    public static final String[] SCALES = {"auto", "1", "2", "4", "8", "fit"};

    /** {@code model}'s choices, or the shipped model's when it is null or empty. */
    public static ModelChoices of(File model) {
        try {
            return of(model == null || model.getPath().isBlank() ? ShippedModel.path() : model.toPath());
        } catch (IOException e) {
            return unreadable(e);
        }
    }

    public static ModelChoices of(Path model) {
        try {
            ModelCard card = ModelCard.read(model);
            return new ModelChoices((isShipped(model) ? "the shipped model, " : "") + card.line(), card.classes());
        } catch (IOException | RuntimeException e) {
            return unreadable(e);
        }
    }

    private static ModelChoices unreadable(Exception e) {
        return new ModelChoices("cannot be read (" + e.getMessage() + "): choose a model file below", List.of());
    }

    private static boolean isShipped(Path model) {
        try {
            return model.equals(ShippedModel.path());
        } catch (IOException e) {
            return false;
        }
    }

    /** The class choices: "unconditional" first unless a class is {@code required} (a class edit); "0" when there are none. */
    public List<String> classes(boolean required) {
        List<String> names = new ArrayList<>();
        if (!required) names.add(UNCONDITIONAL);
        names.addAll(classNames);
        if (names.isEmpty()) names.add("0");
        return names;
    }
}
