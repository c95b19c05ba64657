package org.nextscale.core.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.nextscale.core.config.ModelConfig;

/**
 * What a model file says about itself to a person choosing it: its name, image size, channels and classes, what it
 * was trained on, and how well its tokenizer reconstructed its own validation data (from the training.json a trainer
 * writes into the file; the shipped model carries one too). Read without loading the weights.
 *
 * @param trainedOn        the training data in a few words, or "" when the file does not say
 * @param validationPsnrDb the tokenizer's PSNR on its validation data, NaN when the file does not say
 */
public record ModelCard(String name, int side, int channels, List<String> classes, boolean hasTransformer, String trainedOn,
                        double validationPsnrDb) {

    /** The file's training.json entry. */
    public static final String TRAINING_ENTRY = "training.json";

    public static ModelCard read(Path file) throws IOException {
        ModelConfig c = ModelFile.readConfig(file);
        String trainedOn = "";
        double psnr = Double.NaN;
        byte[] t = ModelFile.readEntry(file, TRAINING_ENTRY);
        if (t != null) {
            try {
                JsonObject j = JsonParser.parseString(new String(t, StandardCharsets.UTF_8)).getAsJsonObject();
                trainedOn = text(j.getAsJsonObject("data"), "summary");
                if (trainedOn.isEmpty()) trainedOn = text(j.getAsJsonObject("data"), "data");
                psnr = number(j, "val_psnr_db");
                if (Double.isNaN(psnr) && j.has("tokenizer") && j.get("tokenizer").isJsonObject()) psnr = number(j.getAsJsonObject("tokenizer"), "val_psnr_db");
            } catch (RuntimeException e) {
                // a training.json this version cannot read: the card says nothing about the data
            }
        }
        return new ModelCard(String.valueOf(file.getFileName()), c.imageSize(), c.channels(), c.classNames(), c.hasTransformer(), trainedOn, psnr);
    }

    private static String text(JsonObject o, String key) {
        if (o == null || !o.has(key)) return "";
        JsonElement e = o.get(key);
        return e.isJsonPrimitive() ? e.getAsString() : "";
    }

    private static double number(JsonObject o, String key) {
        return o != null && o.has(key) && o.get(key).isJsonPrimitive() ? o.get(key).getAsDouble() : Double.NaN;
    }

    /** "fashion-mnist.zip (32x32 gray, 10 classes), trained on Fashion-MNIST clothing". */
    public String line() {
        String kind = String.format(Locale.ROOT, "%dx%d %s", side, side, channels == 1 ? "gray" : "colour");
        String cls = !hasTransformer ? "a tokenizer only" : classes.size() == 1 ? "1 class" : classes.size() + " classes";
        return name + " (" + kind + ", " + cls + ")" + (trainedOn.isEmpty() ? "" : ", trained on " + trainedOn);
    }
}
