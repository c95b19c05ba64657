package org.nextscale.core.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nextscale.core.config.ConfigJson;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.io.AtomicWrite;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.io.SafeTensors;
import org.nextscale.core.model.ModelFile;

/**
 * A training checkpoint: a zip laid out like a model file (model.json, weights.safetensors in float32)
 * plus optimizer.safetensors (AdamW moments) and trainer.json (phase, steps done, the run's options and
 * trainer-specific state). Every random choice of a run is a function of (seed, step), so the step count is
 * the generators' whole state. Written to a temporary file in the same folder, then renamed, so a crash
 * or cancellation never leaves a half-written checkpoint under the real name.
 *
 * @param phase   "tokenizer" or "var"
 * @param step    optimizer steps done
 * @param options the run's options as given (re-parsed on resume)
 * @param extra   trainer-specific JSON (e.g. the tokenizer the transformer was trained on)
 */
public record Checkpoint(String phase, long step, ModelConfig config, Map<String, HostTensor> weights,
                         Map<String, HostTensor> optimizer, Map<String, String> options, JsonObject extra) {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    public void write(Path file) throws IOException {
        JsonObject t = new JsonObject();
        t.addProperty("phase", phase);
        t.addProperty("step", step);
        JsonObject o = new JsonObject();
        options.forEach(o::addProperty);
        t.add("options", o);
        t.add("extra", extra == null ? new JsonObject() : extra);
        byte[] json = ConfigJson.toJson(config).getBytes(StandardCharsets.UTF_8);
        byte[] trainer = GSON.toJson(t).getBytes(StandardCharsets.UTF_8);
        // each entry is streamed into the zip: no copy of the (weights + 2 moments) sized file in the heap
        AtomicWrite.write(file, out -> {
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                putEntry(zip, ModelFile.CONFIG_ENTRY, z -> z.write(json));
                putEntry(zip, ModelFile.WEIGHTS_ENTRY, z -> SafeTensors.write(weights, Map.of("format", "pt"), z));
                putEntry(zip, ModelFile.OPTIMIZER_ENTRY, z -> SafeTensors.write(optimizer, Map.of(), z));
                putEntry(zip, ModelFile.TRAINER_ENTRY, z -> z.write(trainer));
            }
        });
    }

    private static void putEntry(ZipOutputStream zip, String name, AtomicWrite.Body body) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        body.writeTo(zip);
        zip.closeEntry();
    }

    public static Checkpoint read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("checkpoint " + file + " does not exist");
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry trainer = zip.getEntry(ModelFile.TRAINER_ENTRY);
            if (trainer == null)
                throw new IOException(file + " is not a training checkpoint (no trainer.json; a finished model file cannot be resumed)");
            JsonObject t = JsonParser.parseString(new String(zip.getInputStream(trainer).readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
            ModelConfig config = ConfigJson.parse(new String(zip.getInputStream(entry(zip, file, ModelFile.CONFIG_ENTRY)).readAllBytes(), StandardCharsets.UTF_8));
            Map<String, HostTensor> weights = SafeTensors.read(zip.getInputStream(entry(zip, file, ModelFile.WEIGHTS_ENTRY)), file + "!" + ModelFile.WEIGHTS_ENTRY);
            Map<String, HostTensor> opt = SafeTensors.read(zip.getInputStream(entry(zip, file, ModelFile.OPTIMIZER_ENTRY)), file + "!" + ModelFile.OPTIMIZER_ENTRY);
            Map<String, String> options = new LinkedHashMap<>();
            t.getAsJsonObject("options").entrySet().forEach(e -> options.put(e.getKey(), e.getValue().getAsString()));
            return new Checkpoint(t.get("phase").getAsString(), t.get("step").getAsLong(), config, weights, opt, options,
                    t.has("extra") ? t.getAsJsonObject("extra") : new JsonObject());
        } catch (java.util.zip.ZipException e) {
            throw new IOException(file + " is not a readable checkpoint (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            throw new IOException(file + " is not a readable checkpoint (" + e.getMessage() + ")");
        }
    }

    private static ZipEntry entry(ZipFile zip, Path file, String name) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) throw new IOException(file + " is not a complete checkpoint: " + name + " is missing");
        return e;
    }
}
