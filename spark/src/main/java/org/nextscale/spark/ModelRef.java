package org.nextscale.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.model.ModelFile;
import org.nextscale.core.api.ShippedModel;
import org.nextscale.core.train.TokenFile;

/**
 * A model file as the driver sees it: read once (any Hadoop path), checked by core's loader before any
 * work starts, and identified by the SHA-256 of its bytes (the executors' cache key) and by its
 * tokenizer id (what a token table records). The bytes themselves travel as a broadcast.
 */
record ModelRef(String name, String sha256, String tokenizerId, String device, List<String> classNames, List<Integer> patchNums,
                boolean hasTransformer, int imageSize) implements Serializable {

    record Loaded(ModelRef ref, byte[] bytes, ModelConfig config) {}

    static Loaded open(String model, String device, Configuration hadoop) throws IOException {
        String name = model == null || model.isBlank() ? ShippedModel.path().toString() : model;
        byte[] bytes;
        try {
            Path p = new Path(name);
            FileSystem fs = p.getFileSystem(hadoop);
            if (!fs.exists(p)) throw new IOException("model " + name + ": no such file (give --model MODEL.zip)");
            try (InputStream in = fs.open(p)) {
                bytes = in.readAllBytes();
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("model " + name + ": not a usable path (" + e.getMessage() + ")");
        }
        java.nio.file.Path tmp = Files.createTempFile("nextscale-model-", ".zip");
        ModelFile.Loaded m;
        try {
            Files.write(tmp, bytes);
            m = ModelFile.load(tmp);
        } catch (IOException | RuntimeException e) {
            throw new IOException("model " + name + " is not a nextscale model file: " + e.getMessage().replace(tmp.toString(), name));
        } finally {
            Files.deleteIfExists(tmp);
        }
        ModelConfig c = m.config();
        String sha = HexFormat.of().formatHex(sha256(bytes));
        ModelRef ref = new ModelRef(name, sha, TokenFile.tokenizerId(c, m.weights()), device, c.hasTransformer() ? c.classNames() : List.of(),
                c.patchNums(), c.hasTransformer(), c.imageSize());
        return new Loaded(ref, bytes, c);
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Resolves a class given as number or name against the model's classes. */
    int classIndex(String spec) {
        String s = spec.trim();
        try {
            int c = Integer.parseInt(s);
            if (c >= 0 && c < classNames.size()) return c;
        } catch (NumberFormatException ignored) {
            for (int i = 0; i < classNames.size(); i++) if (classNames.get(i).equalsIgnoreCase(s)) return i;
        }
        throw new IllegalArgumentException("class '" + s + "' does not exist: the model's classes are 0.." + (classNames.size() - 1)
                + " (" + String.join(", ", classNames) + ")");
    }

    void requireTransformer(String job) {
        if (!hasTransformer)
            throw new IllegalArgumentException("model " + name + " is tokenizer-only: " + job + " needs a model trained with 'nextscale train'");
    }
}
