package org.nextscale.core.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Options of both trainers as key=value pairs, parsed in one place so that the CLI, the Fiji commands
 * and the notebook magics accept the same keys (lower_snake_case), defaults and messages. Unknown keys and
 * bad values fail with one line that says what is accepted. Keys given explicitly are remembered
 * ({@link #given()}) so that a resumed run can take the rest from its checkpoint.
 */
public final class TrainOptions {

    private enum Kind { TEXT, INT, FLOAT, BOOL, INTS, PATH }

    /** The two trainers: each reads the run's keys and its own, never the other's (help texts, {@link #requireFor}). */
    public enum Phase { TOKENIZER, VAR }

    /** A key's type, default and help, and the one trainer that reads it (null: both). */
    private record Key(Kind kind, String dflt, String help, Phase only) {}

    private static final Map<String, Key> KEYS = new LinkedHashMap<>();

    private static void run(String name, Kind kind, String dflt, String help) {
        KEYS.put(name, new Key(kind, dflt, help, null));
    }

    private static void tokenizer(String name, Kind kind, String dflt, String help) {
        KEYS.put(name, new Key(kind, dflt, help, Phase.TOKENIZER));
    }

    private static void transformer(String name, Kind kind, String dflt, String help) {
        KEYS.put(name, new Key(kind, dflt, help, Phase.VAR));
    }

    static {
        run("data", Kind.TEXT, "fashion-mnist", "a folder of images (one sub-folder per class), 'fashion-mnist[:folder]' or 'synthetic[:N]'");
        run("steps", Kind.INT, "2000", "optimizer steps");
        run("batch", Kind.INT, "64", "images per step");
        run("micro_batch", Kind.INT, "0", "run each step's batch in parts of N images (forward + backward each, one update; "
                + "the same gradient in less memory); must divide batch, 0 = whole batch");
        run("lr", Kind.FLOAT, "", "peak learning rate (default 5e-4 tokenizer, 1e-3 transformer)");
        run("seed", Kind.INT, "0", "seed of initialisation, data order, flips and label dropout");
        run("device", Kind.TEXT, org.nextscale.core.api.Devices.DEFAULT, "auto, cpu, gpu or gpu:N");
        run("out", Kind.PATH, "", "model file to write (default tokenizer.zip / var.zip)");
        run("resume", Kind.PATH, "", "checkpoint to continue from");
        run("checkpoint_every", Kind.INT, "500", "write a checkpoint every N steps (0: only at the end)");
        run("limit", Kind.INT, "0", "use at most N images (0: all; for images of any size, the first N files)");
        run("flip", Kind.BOOL, "false", "random left-right flips of whole images (patches: see augment)");
        run("scale", Kind.TEXT, "auto", "image pixels per model pixel: auto (images larger than the model train as random patches at their own "
                + "resolution, smaller ones whole), a number (patches at 1/scale resolution), or fit (every image fitted whole, as before)");
        run("range", Kind.TEXT, "auto", "raw values mapped to 0..1: auto (8-bit 0..255, 16/32-bit each image's 0.1-99.9 percentiles), full, or LOW,HIGH");
        run("val", Kind.FLOAT, "0.1", "fraction held out for validation (whole images, or parts of large images that no patch straddles); 0 = none");
        run("eval_every", Kind.INT, "100", "validate every N steps (and at the end), keeping the best model as NAME.best.zip; 0 = never");
        run("patience", Kind.INT, "0", "stop when N validations in a row found no lower validation loss; 0 = never");
        run("minutes", Kind.FLOAT, "0", "stop after this many minutes of training (the best model and a checkpoint kept); 0 = no limit");
        run("preview_every", Kind.INT, "500", "write NAME.loss.png and NAME.preview.png every N steps (and at the end); 0 = never");
        run("foreground", Kind.FLOAT, "0.4", "patches only where the image, max-filtered over half a patch, exceeds this fraction of its "
                + "99.9th percentile (CSBDeep's background filter); 0 = off");
        run("augment", Kind.TEXT, "auto", "none, flip, dihedral (flips and 90-degree rotations) or auto (patches: dihedral, for data of any "
                + "orientation such as microscopy; whole images: flip when flip=true)");
        run("warmup", Kind.INT, "", "warm-up steps (default 2% of steps, at least 1)");
        run("schedule", Kind.TEXT, "", "decay after warm-up: cos or lin (default cos tokenizer, lin transformer)");
        run("weight_decay", Kind.FLOAT, "", "AdamW decoupled weight decay (default 0.0 tokenizer, 0.05 transformer)");
        run("clip", Kind.FLOAT, "", "global gradient-norm clip, 0 = off (default 2.0)");
        run("log_every", Kind.INT, "50", "report codebook usage / per-scale accuracy every N steps");
        run("init", Kind.PATH, "", "model file whose weights training starts from: train-tokenizer takes its tokenizer (a transformer in it is "
                + "kept in the output), train its transformer (fresh optimizer and schedule; tokenizer defaults to the model's own)");
        tokenizer("vocab", Kind.INT, "512", "codebook size");
        tokenizer("z", Kind.INT, "32", "codebook vector length (z_channels)");
        tokenizer("ch", Kind.INT, "32", "base channels of encoder and decoder");
        tokenizer("ch_mult", Kind.INTS, "1,2,2", "channel multiplier per level; downsampling is 2^(levels-1)");
        tokenizer("res_blocks", Kind.INT, "1", "residual blocks per level");
        tokenizer("patch_nums", Kind.INTS, "1,2,3,4,6,8", "token-map side per scale; the last times the downsampling is the image size");
        tokenizer("image_size", Kind.INT, "", "model side in pixels (the patch side for large images): 16, 32, 64 or 128 picks patch_nums "
                + "for it (default: the images' own side when all are one square size of 16, 64 or 128 px, else last patch_num x downsampling, 32)");
        tokenizer("channels", Kind.INT, "", "image channels: 1 gray, 3 RGB (default: the data's)");
        tokenizer("beta", Kind.FLOAT, "0.25", "commitment weight of the VQ loss");
        tokenizer("reinit_dead", Kind.BOOL, "true", "re-initialise unused codebook entries from encoder features");
        tokenizer("train_part", Kind.TEXT, "all", "all, or decoder: train only post_quant_conv and the decoder (needs init; tokens stay unchanged)");
        tokenizer("disc_weight", Kind.FLOAT, "0", "weight of the adversarial (PatchGAN, hinge) loss on the decoder, times the adaptive weight; 0 = off");
        tokenizer("disc_start", Kind.INT, "0", "step from which the discriminator trains and its loss counts");
        tokenizer("disc_layers", Kind.INT, "2", "strided layers of the PatchGAN discriminator");
        tokenizer("disc_ch", Kind.INT, "64", "base channels of the discriminator");
        tokenizer("disc_lr", Kind.FLOAT, "", "discriminator learning rate, constant, AdamW (0.5, 0.9) (default: lr)");
        transformer("tokenizer", Kind.PATH, "", "tokenizer model file (VAR training)");
        transformer("tokens", Kind.PATH, "", "token table written by 'nextscale spark tokenize' with this tokenizer (VAR training reads it instead of tokenizing data)");
        transformer("order", Kind.TEXT, "var", "var (next-scale) or raster (next-token baseline over the last scale)");
        transformer("depth", Kind.INT, "4", "transformer blocks");
        transformer("width", Kind.INT, "128", "transformer width (embed_dim)");
        transformer("heads", Kind.INT, "4", "attention heads");
        transformer("cond_drop", Kind.FLOAT, "0.1", "class-label dropout (needed for guidance)");
        transformer("label_smooth", Kind.FLOAT, "0.0", "label smoothing of the cross-entropy");
        transformer("ema", Kind.FLOAT, "0", "keep an exponential moving average of the transformer's weights with this decay (e.g. 0.999: "
                + "about the last 1,000 steps) and write it as the model (validation and previews use it too); 0 = off");
    }

    private static boolean readBy(String key, Phase phase) {
        Phase only = KEYS.get(key).only();
        return only == null || only == phase;
    }

    private final Map<String, String> given;

    private TrainOptions(Map<String, String> given) {
        this.given = given;
    }

    /** Validates every key and value; throws IllegalArgumentException with one clear line. */
    public static TrainOptions parse(Map<String, String> keyValues) {
        Map<String, String> g = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : keyValues.entrySet()) {
            String k = e.getKey().trim().toLowerCase(Locale.ROOT).replace('-', '_');
            while (k.startsWith("_")) k = k.substring(1);
            Key spec = KEYS.get(k);
            if (spec == null)
                throw new IllegalArgumentException("unknown training option '" + e.getKey() + "'; valid keys: " + String.join(", ", KEYS.keySet()));
            String v = e.getValue() == null ? "" : e.getValue().trim();
            check(k, spec, v);
            if (!v.isEmpty()) g.put(k, v);
        }
        TrainOptions o = new TrainOptions(g);
        o.validate();
        return o;
    }

    /** Parses "key=value" tokens (notebooks, macros). */
    public static TrainOptions parseArgs(List<String> tokens) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String t : tokens) {
            int eq = t.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("training options are key=value, got '" + t + "'; valid keys: " + String.join(", ", KEYS.keySet()));
            m.put(t.substring(0, eq), t.substring(eq + 1));
        }
        return parse(m);
    }

    /** These options on top of {@code base} (explicit keys here win); used to resume with a checkpoint's options. */
    public TrainOptions over(TrainOptions base) {
        Map<String, String> m = new LinkedHashMap<>(base.given);
        m.putAll(given);
        return parse(m);
    }

    public TrainOptions with(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(given);
        m.put(key, value);
        return parse(m);
    }

    public TrainOptions without(String key) {
        Map<String, String> m = new LinkedHashMap<>(given);
        m.remove(key);
        return parse(m);
    }

    /** Keys the user gave explicitly, as given. */
    public Map<String, String> given() {
        return Collections.unmodifiableMap(given);
    }

    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        KEYS.forEach((k, spec) -> m.put(k, given.getOrDefault(k, spec.dflt())));
        return m;
    }

    public boolean isGiven(String key) {
        return given.containsKey(key);
    }

    /** One line per key with its default and meaning, for help texts. */
    public static String help() {
        return help(KEYS.keySet());
    }

    /** As {@link #help()}, for the keys {@code phase}'s trainer reads. */
    public static String help(Phase phase) {
        return help(keys(phase));
    }

    private static String help(java.util.Collection<String> keys) {
        StringBuilder b = new StringBuilder();
        for (String k : keys) {
            Key s = KEYS.get(k);
            b.append(String.format("  %-17s %s%s%n", k, s.help(), s.dflt().isEmpty() ? "" : " [" + s.dflt() + "]"));
        }
        return b.toString();
    }

    public static List<String> keys() {
        return new ArrayList<>(KEYS.keySet());
    }

    /** The keys {@code phase}'s trainer reads, in table order. */
    public static List<String> keys(Phase phase) {
        return KEYS.keySet().stream().filter(k -> readBy(k, phase)).toList();
    }

    /**
     * Refuses, in one line, a key given for the other trainer (a tokenizer's vocab for transformer training, a
     * transformer's depth for tokenizer training), which that trainer would otherwise silently ignore.
     */
    public void requireFor(Phase phase) {
        for (String k : given.keySet()) {
            if (readBy(k, phase)) continue;
            throw new IllegalArgumentException(phase == Phase.VAR
                    ? "'" + k + "' is a tokenizer option (train-tokenizer); transformer training takes the tokenizer as it is in its file (tokenizer=...)"
                    : "'" + k + "' is a transformer option (train); tokenizer training does not use it");
        }
    }

    public String text(String key) {
        if (!KEYS.containsKey(key)) throw new IllegalArgumentException("no training option " + key);
        return given.getOrDefault(key, KEYS.get(key).dflt());
    }

    public int integer(String key) {
        return Integer.parseInt(text(key));
    }

    public double real(String key) {
        return Double.parseDouble(text(key));
    }

    public boolean flag(String key) {
        return Boolean.parseBoolean(text(key).toLowerCase(Locale.ROOT)) || text(key).equals("1") || text(key).equalsIgnoreCase("yes");
    }

    public List<Integer> ints(String key) {
        List<Integer> r = new ArrayList<>();
        for (String s : text(key).split("[,\\s]+")) if (!s.isEmpty()) r.add(Integer.parseInt(s));
        return r;
    }

    /** A path option, or null when empty. */
    public Path path(String key) {
        String v = text(key);
        return v.isEmpty() ? null : Path.of(v);
    }

    // ---- typed accessors of the common keys -------------------------------------------------------

    public String data() { return text("data"); }

    /** patch_nums as given, else the preset for image_size (16, 32, 64, 128), else the default. */
    public List<Integer> patchNums() {
        if (isGiven("patch_nums") || text("image_size").isEmpty()) return ints("patch_nums");
        int down = 1 << (ints("ch_mult").size() - 1);
        List<Integer> preset = switch (integer("image_size") / down) {
            case 4 -> List.of(1, 2, 3, 4);
            case 8 -> List.of(1, 2, 3, 4, 6, 8);
            case 16 -> List.of(1, 2, 3, 4, 5, 6, 8, 10, 13, 16);
            case 32 -> List.of(1, 2, 3, 4, 5, 6, 8, 10, 13, 16, 20, 24, 32);
            default -> null;
        };
        if (preset == null || integer("image_size") % down != 0)
            throw new IllegalArgumentException("training option image_size " + text("image_size") + " has no preset scales: use 16, 32, 64 or 128 "
                    + "(with ch_mult 1,2,2), or give patch_nums whose last times the downsampling " + down + " is the size");
        return preset;
    }

    /** The data options of {@link org.nextscale.core.data.TrainingData} for a model of {@code side} px and {@code channels}. */
    public org.nextscale.core.data.TrainingData.Options dataOptions(int side, int channels) {
        return new org.nextscale.core.data.TrainingData.Options(data(), limit(), side, channels, text("scale"), text("range"), real("val"),
                isGiven("val"), real("foreground"), text("augment"), flip(), seed());
    }
    public int steps() { return integer("steps"); }
    public int batch() { return integer("batch"); }
    /** Images per forward/backward pass: micro_batch, or the whole batch when it is 0. */
    public int microBatch() { return integer("micro_batch") == 0 ? batch() : integer("micro_batch"); }
    public long seed() { return Long.parseLong(text("seed")); }
    public String device() { return text("device"); }
    public int checkpointEvery() { return integer("checkpoint_every"); }
    public int limit() { return integer("limit"); }
    public boolean flip() { return flag("flip"); }
    public String order() { return text("order").toLowerCase(Locale.ROOT); }
    public String trainPart() { return text("train_part").toLowerCase(Locale.ROOT); }

    public double lr(double dflt) { return text("lr").isEmpty() ? dflt : real("lr"); }
    public double weightDecay(double dflt) { return text("weight_decay").isEmpty() ? dflt : real("weight_decay"); }
    public double clip() { return text("clip").isEmpty() ? 2.0 : real("clip"); }
    public String schedule(String dflt) { return text("schedule").isEmpty() ? dflt : text("schedule").toLowerCase(Locale.ROOT); }

    public int warmup() {
        if (!text("warmup").isEmpty()) return integer("warmup");
        return Math.max(1, (int) Math.round(steps() * 0.02));
    }

    // ---- validation ------------------------------------------------------------------------------

    private static void check(String k, Key spec, String v) {
        if (v.isEmpty()) return;
        try {
            switch (spec.kind()) {
                case INT -> Long.parseLong(v);
                case FLOAT -> {
                    double d = Double.parseDouble(v);
                    if (Double.isNaN(d) || Double.isInfinite(d)) throw new NumberFormatException();
                }
                case BOOL -> {
                    if (!List.of("true", "false", "1", "0", "yes", "no").contains(v.toLowerCase(Locale.ROOT))) throw new NumberFormatException();
                }
                case INTS -> { for (String s : v.split("[,\\s]+")) if (!s.isEmpty()) Integer.parseInt(s); }
                default -> { }
            }
        } catch (NumberFormatException e) {
            String want = switch (spec.kind()) {
                case INT -> "a whole number";
                case FLOAT -> "a number";
                case BOOL -> "true or false";
                case INTS -> "comma-separated whole numbers, e.g. 1,2,3,4";
                default -> "text";
            };
            throw new IllegalArgumentException("training option " + k + " must be " + want + ", got '" + v + "'");
        }
    }

    private void validate() {
        positive("steps");
        positive("batch");
        nonNegative("checkpoint_every");
        nonNegative("micro_batch");
        int micro = integer("micro_batch");
        if (micro > 0 && batch() % micro != 0)
            throw new IllegalArgumentException("training option micro_batch (" + micro + ") must divide batch (" + batch()
                    + ") into equal parts, e.g. " + divisorBelow(batch(), micro) + "; 0 = whole batch");
        nonNegative("limit");
        positive("vocab");
        positive("z");
        positive("ch");
        positive("res_blocks");
        positive("depth");
        positive("width");
        positive("heads");
        positive("log_every");
        if (!text("lr").isEmpty() && !(real("lr") > 0)) throw new IllegalArgumentException("training option lr must be > 0, got " + text("lr"));
        if (!text("warmup").isEmpty() && integer("warmup") < 0) throw new IllegalArgumentException("training option warmup must be >= 0");
        if (!text("clip").isEmpty() && real("clip") < 0) throw new IllegalArgumentException("training option clip must be >= 0 (0 = off)");
        if (!text("weight_decay").isEmpty() && real("weight_decay") < 0) throw new IllegalArgumentException("training option weight_decay must be >= 0");
        double cd = real("cond_drop"), ls = real("label_smooth");
        if (cd < 0 || cd >= 1) throw new IllegalArgumentException("training option cond_drop must be in [0, 1), got " + cd);
        if (ls < 0 || ls >= 1) throw new IllegalArgumentException("training option label_smooth must be in [0, 1), got " + ls);
        if (real("disc_weight") < 0) throw new IllegalArgumentException("training option disc_weight must be >= 0 (0 = no discriminator), got " + text("disc_weight"));
        nonNegative("disc_start");
        positive("disc_layers");
        positive("disc_ch");
        if (!text("disc_lr").isEmpty() && !(real("disc_lr") > 0)) throw new IllegalArgumentException("training option disc_lr must be > 0, got " + text("disc_lr"));
        if (!List.of("all", "decoder").contains(trainPart()))
            throw new IllegalArgumentException("training option train_part must be all or decoder, got '" + text("train_part") + "'");
        if (trainPart().equals("decoder") && path("init") == null && path("resume") == null)
            throw new IllegalArgumentException("training option train_part=decoder fine-tunes an existing tokenizer: give init=MODEL.zip");
        if (!List.of("var", "raster").contains(order())) throw new IllegalArgumentException("training option order must be var or raster, got '" + text("order") + "'");
        String sch = text("schedule").toLowerCase(Locale.ROOT);
        if (!sch.isEmpty() && !List.of("cos", "lin").contains(sch)) throw new IllegalArgumentException("training option schedule must be cos or lin, got '" + sch + "'");
        int c = text("channels").isEmpty() ? 1 : integer("channels");
        if (c != 1 && c != 3) throw new IllegalArgumentException("training option channels must be 1 (gray) or 3 (RGB), got " + c);
        if (integer("width") % integer("heads") != 0)
            throw new IllegalArgumentException("training option width (" + integer("width") + ") must be divisible by heads (" + integer("heads") + ")");
        List<Integer> pn = patchNums();
        if (pn.isEmpty()) throw new IllegalArgumentException("training option patch_nums is empty");
        for (int i = 0; i < pn.size(); i++)
            if (pn.get(i) <= 0 || (i > 0 && pn.get(i) <= pn.get(i - 1)))
                throw new IllegalArgumentException("training option patch_nums must be increasing positive numbers, got " + text("patch_nums"));
        for (int m : ints("ch_mult")) if (m <= 0) throw new IllegalArgumentException("training option ch_mult must be positive numbers, got " + text("ch_mult"));
        if (ints("ch_mult").isEmpty()) throw new IllegalArgumentException("training option ch_mult is empty");
        for (int m : ints("ch_mult"))
            if (integer("ch") * m % 32 != 0)
                throw new IllegalArgumentException("training option ch (" + integer("ch") + ") times every ch_mult must be a multiple of 32 (group norm uses 32 groups)");
        int down = 1 << (ints("ch_mult").size() - 1);
        int size = pn.get(pn.size() - 1) * down;
        double v = real("val");
        if (!(v >= 0 && v < 1)) throw new IllegalArgumentException("training option val must be at least 0 and below 1 (the held-out fraction), got " + text("val"));
        nonNegative("eval_every");
        nonNegative("patience");
        nonNegative("preview_every");
        if (!(real("ema") >= 0 && real("ema") < 1)) throw new IllegalArgumentException("training option ema must be >= 0 and < 1 (0 = off), got " + text("ema"));
        if (real("minutes") < 0) throw new IllegalArgumentException("training option minutes must be >= 0 (0 = no limit), got " + text("minutes"));
        if (real("foreground") < 0) throw new IllegalArgumentException("training option foreground must be >= 0 (0 = off), got " + text("foreground"));
        if (!List.of("auto", "none", "flip", "dihedral").contains(text("augment").toLowerCase(Locale.ROOT)))
            throw new IllegalArgumentException("training option augment must be auto, none, flip or dihedral, got '" + text("augment") + "'");
        org.nextscale.core.api.PixelScale.parse(text("scale"));
        org.nextscale.core.api.ValueRange.resolve(text("range"), new float[] {0, 1}, 16);
        if (!text("image_size").isEmpty() && integer("image_size") != size)
            throw new IllegalArgumentException("training option image_size " + text("image_size") + " does not match the last patch_num " + pn.get(pn.size() - 1)
                    + " x downsampling " + down + " = " + size + "; change patch_nums or ch_mult");
    }

    /** The largest divisor of n that is at most limit (for the micro_batch message). */
    private static int divisorBelow(int n, int limit) {
        for (int d = Math.min(n, limit); d > 1; d--) if (n % d == 0) return d;
        return 1;
    }

    private void positive(String k) {
        if (integer(k) <= 0) throw new IllegalArgumentException("training option " + k + " must be > 0, got " + text(k));
    }

    private void nonNegative(String k) {
        if (integer(k) < 0) throw new IllegalArgumentException("training option " + k + " must be >= 0, got " + text(k));
    }

    @Override
    public String toString() {
        return given.toString();
    }
}
