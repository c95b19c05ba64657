package org.nextscale.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.config.ConfigJson;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.config.VarConfig;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.io.SafeTensors;
import org.nextscale.core.nn.Params;
import org.nextscale.core.tokenizer.MultiScaleQuantizer;
import org.nextscale.core.tokenizer.TrainOutput;
import org.nextscale.core.tokenizer.VqVae;
import org.nextscale.core.transformer.EditMasks;
import org.nextscale.core.transformer.Editor;
import org.nextscale.core.transformer.SampleTrace;
import org.nextscale.core.transformer.Sampler;
import org.nextscale.core.transformer.TokenLayout;
import org.nextscale.core.transformer.VarTransformer;

/**
 * Recomputes a parity folder (parity/README.md): DIR/config.json, DIR/weights.safetensors (or the
 * weights of a model file) and DIR/cases.safetensors. Every tensor of cases.safetensors is recomputed from
 * the reference's inputs (img, labels, inpaint_labels, and the reference tokens where a step consumes
 * tokens) and compared: token (integer) tensors must be equal, float tensors within
 * 1e-4 * max(1, max|reference|). A tensor nextscale has no computation for counts as failed, so a pass
 * always means "recomputed and equal".
 *
 * <p>Groups, each run only when one of its tensors is present: tokenizer (f, idx_s*, fhat_last, recon,
 * var_input, vq_loss, vae_out), transformer (logits, ce_loss), generation (gen_*: sampling with the
 * config's cfg, top_k, top_p, seed), in-painting (edit_mask, inpaint_*).
 */
public final class ParityCheck {
    private ParityCheck() {}

    /** Tensors that are inputs of the reference run, not results. */
    public static final Set<String> INPUTS = Set.of("img", "labels", "inpaint_labels");

    /** One compared tensor. detail: token difference count or tolerance, or the error that prevented computing it. */
    public record Line(String tensor, boolean passed, double maxAbsError, String detail) {
        public String format() {
            String err = Double.isNaN(maxAbsError) ? "-" : String.format(Locale.ROOT, "%.3e", maxAbsError);
            return String.format(Locale.ROOT, "%s  %-24s max abs error %-10s %s", passed ? "PASS" : "FAIL", tensor, err, detail);
        }
    }

    public record Result(List<Line> lines, int passed, int failed) {
        public boolean ok() {
            return failed == 0;
        }

        /** The closing line: "N passed, M failed". */
        public String summary() {
            return passed + " passed, " + failed + " failed";
        }
    }

    /**
     * Runs the check. {@code model} may be null (use DIR/weights.safetensors). Each line is handed to
     * {@code out} as soon as it is known; inputs are not listed.
     */
    public static Result run(Path dir, Path model, Device device, Consumer<Line> out) throws IOException {
        Path configFile = dir.resolve("config.json"), casesFile = dir.resolve("cases.safetensors");
        for (Path p : List.of(configFile, casesFile))
            if (!Files.isRegularFile(p)) throw new NoSuchFileException(p.toString());
        String json = Files.readString(configFile);
        ModelConfig config;
        try {
            config = ConfigJson.parse(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(configFile + ": " + e.getMessage());
        }
        JsonObject sampling = JsonParser.parseString(json).getAsJsonObject().getAsJsonObject("sampling");
        Map<String, HostTensor> weights = model != null ? modelWeights(model, config) : folderWeights(dir, config);
        Map<String, HostTensor> cases = SafeTensors.read(casesFile);

        Map<String, HostTensor> actual = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        try (NDManager base = NDManager.newBaseManager(device)) {
            Params params = Params.fromHost(weights, base);
            Ctx ctx = new Ctx(config, sampling, cases, params, actual, errors);
            ctx.group(Ctx::isTokenizer, ctx::tokenizer);
            ctx.group(Ctx::isTransformer, ctx::transformer);
            ctx.group(n -> n.startsWith("gen_"), ctx::generation);
            ctx.group(n -> n.equals("edit_mask") || (n.startsWith("inpaint_") && !INPUTS.contains(n)), ctx::inpainting);
        }

        List<Line> lines = new ArrayList<>();
        int passed = 0;
        for (Map.Entry<String, HostTensor> e : new TreeMap<>(cases).entrySet()) {
            String name = e.getKey();
            if (INPUTS.contains(name)) continue;
            Line line = actual.containsKey(name) ? compare(name, e.getValue(), actual.get(name))
                    : new Line(name, false, Double.NaN, errors.getOrDefault(name, "not recomputed: nextscale has no computation for this tensor"));
            if (line.passed()) passed++;
            lines.add(line);
            out.accept(line);
        }
        return new Result(lines, passed, lines.size() - passed);
    }

    private static Map<String, HostTensor> folderWeights(Path dir, ModelConfig config) throws IOException {
        Map<String, HostTensor> w = SafeTensors.read(dir.resolve("weights.safetensors"));
        WeightSpec.Fit fit = WeightSpec.fit(WeightSpec.of(config), w);
        if (!fit.ok()) throw new IllegalArgumentException(dir.resolve("weights.safetensors") + " does not fit config.json: " + fit.describe(3));
        return w;
    }

    /** Weights of a model file whose hyperparameters must equal the folder's config (class names and dropout aside). */
    private static Map<String, HostTensor> modelWeights(Path model, ModelConfig config) throws IOException {
        ModelFile.Loaded m = ModelFile.load(model);
        ModelConfig c = m.config();
        List<String> diff = new ArrayList<>();
        if (c.imageSize() != config.imageSize()) diff.add("image size " + c.imageSize() + " vs " + config.imageSize());
        if (!c.patchNums().equals(config.patchNums())) diff.add("patch_nums " + c.patchNums() + " vs " + config.patchNums());
        if (!c.vqvae().equals(config.vqvae())) diff.add("the tokenizer (vqvae) hyperparameters differ");
        if (!sameArchitecture(c.var(), config.var())) diff.add("the transformer (var) hyperparameters differ");
        if (!c.order().equals(config.order())) diff.add("order " + c.order() + " vs " + config.order());
        if (!diff.isEmpty())
            throw new IllegalArgumentException(model.getFileName() + " does not match config.json: " + String.join("; ", diff));
        return m.weights();
    }

    private static boolean sameArchitecture(VarConfig a, VarConfig b) {
        if (a == null || b == null) return a == b;
        return a.numClasses() == b.numClasses() && a.depth() == b.depth() && a.embedDim() == b.embedDim()
                && a.numHeads() == b.numHeads() && a.mlpRatio() == b.mlpRatio() && a.normEps() == b.normEps()
                && a.sharedAln() == b.sharedAln() && a.attnL2Norm() == b.attnL2Norm();
    }

    /** Token tensors: equal; float tensors: max |a - ref| <= 1e-4 max(1, max|ref|) (NaN fails). */
    static Line compare(String name, HostTensor ref, HostTensor actual) {
        if (!Arrays.equals(ref.shape(), actual.shape()))
            return new Line(name, false, Double.NaN, "shape " + Arrays.toString(actual.shape()) + " but the reference has " + Arrays.toString(ref.shape()));
        if (!ref.isFloating()) {
            long[] r = ref.toLongs(), a = actual.toLongs();
            int differ = 0;
            double max = 0;
            for (int i = 0; i < r.length; i++)
                if (r[i] != a[i]) {
                    differ++;
                    max = Math.max(max, Math.abs((double) r[i] - a[i]));
                }
            return new Line(name, differ == 0, max, "tokens: " + differ + " of " + r.length + " differ");
        }
        float[] r = ref.toFloats(), a = actual.toFloats();
        double maxErr = 0, maxRef = 0;
        for (int i = 0; i < r.length; i++) {
            maxRef = Math.max(maxRef, Math.abs(r[i]));
            maxErr = Math.max(maxErr, Math.abs((double) a[i] - r[i]));
        }
        double tol = 1e-4 * Math.max(1, maxRef);
        return new Line(name, maxErr <= tol, maxErr, String.format(Locale.ROOT, "(tolerance %.1e, max|ref| %.3g)", tol, maxRef));
    }

    // ---------------------------------------------------------------- the computations

    /** State shared by the groups; every group works in its own sub-manager and leaves host copies in {@code actual}. */
    private record Ctx(ModelConfig config, JsonObject sampling, Map<String, HostTensor> cases, Params params,
                       Map<String, HostTensor> actual, Map<String, String> errors) {

        interface Group {
            void run(NDManager m);
        }

        static boolean isTokenizer(String n) {
            return Set.of("f", "fhat_last", "recon", "var_input", "vq_loss", "vae_out").contains(n) || n.matches("idx_s\\d+");
        }

        static boolean isTransformer(String n) {
            return n.equals("logits") || n.equals("ce_loss");
        }

        /** Runs a group when any of its tensors is present; a failure is recorded for each of them. */
        void group(Predicate<String> mine, Group g) {
            List<String> names = cases.keySet().stream().filter(mine).toList();
            if (names.isEmpty()) return;
            try (NDManager m = params.manager().newSubManager()) {
                g.run(m);
            } catch (RuntimeException e) {
                String msg = "error: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                for (String n : names) if (!actual.containsKey(n)) errors.put(n, msg);
            }
        }

        HostTensor in(String name) {
            HostTensor t = cases.get(name);
            if (t == null) throw new IllegalArgumentException("needs the input tensor '" + name + "', which cases.safetensors lacks");
            return t;
        }

        void put(String name, NDArray a) {
            if (cases.containsKey(name)) actual.put(name, HostTensor.fromNDArray(a));
        }

        void put(String name, HostTensor t) {
            if (cases.containsKey(name)) actual.put(name, t);
        }

        /** The reference tokens of every scale, (B, pn*pn) int64 each. */
        List<NDArray> referenceTokens(NDManager m) {
            List<NDArray> idx = new ArrayList<>();
            for (int k = 0; k < config.numScales(); k++) idx.add(in("idx_s" + k).toNDArray(m));
            return idx;
        }

        VqVae vae() {
            return new VqVae(config, params);
        }

        VarTransformer transformer() {
            if (config.var() == null) throw new IllegalArgumentException("the model has no transformer");
            int side = config.patchNums().get(config.numScales() - 1);
            TokenLayout layout = WeightSpec.isRaster(config) ? TokenLayout.raster(side) : TokenLayout.nextScale(config.patchNums());
            return new VarTransformer(config.var(), layout, config.vqvae().vocabSize(), config.vqvae().zChannels(), params);
        }

        SampleOptions options(int count) {
            if (sampling == null) throw new IllegalArgumentException("config.json has no \"sampling\" section");
            return new SampleOptions(0, count, sampling.get("cfg").getAsDouble(), sampling.get("top_k").getAsInt(),
                    sampling.get("top_p").getAsDouble(), sampling.get("g_seed").getAsLong(),
                    sampling.has("more_smooth") && sampling.get("more_smooth").getAsBoolean());
        }

        void tokenizer(NDManager m) {
            VqVae vae = vae();
            MultiScaleQuantizer q = vae.quantizer();
            NDArray img = in("img").toNDArray(m);
            NDArray f = vae.encode(img);                                           // (B, Cvae, h, w)
            put("f", f);
            List<NDArray> idx = q.fToIdx(f);                                      // per scale (B, pn*pn)
            for (int k = 0; k < idx.size(); k++) put("idx_s" + k, idx.get(k));
            if (cases.containsKey("fhat_last") || cases.containsKey("recon") || cases.containsKey("var_input")) {
                List<NDArray> ref = referenceTokens(m);
                put("fhat_last", q.idxToFhat(ref));
                put("recon", vae.idxToImg(ref));                                   // clamped to [-1, 1]
                put("var_input", q.idxToVarInput(ref));                            // (B, L - first_l, Cvae)
            }
            if (cases.containsKey("vq_loss") || cases.containsKey("vae_out")) {
                TrainOutput t = vae.forwardTrain(img);
                put("vq_loss", t.vqLoss().reshape(1));
                put("vae_out", t.out());
            }
        }

        void transformer(NDManager m) {
            VarTransformer var = transformer();
            NDArray logits = var.forward(in("labels").toNDArray(m), in("var_input").toNDArray(m)); // (B, L, V)
            put("logits", logits);
            if (cases.containsKey("ce_loss")) {
                List<NDArray> ref = referenceTokens(m);
                NDArray all = NDArrays.concat(new NDList(ref.toArray(new NDArray[0])), 1); // (B, L)
                put("ce_loss", VarTransformer.crossEntropy(logits, all).reshape(1));
            }
        }

        void generation(NDManager m) {
            NDArray labels = in("labels").toNDArray(m);
            Sampler sampler = new Sampler(transformer(), vae());
            SampleTrace trace = new SampleTrace();
            NDArray img = sampler.sample(labels, options((int) labels.size()), null, ProgressListener.NONE, CancelToken.none(), trace);
            for (int k = 0; k < trace.logits.size(); k++) {
                put("gen_logits_s" + k, trace.logits.get(k));
                put("gen_idx_s" + k, trace.sampled.get(k));
            }
            put("gen_fhat", trace.fhat);
            put("gen_img", img);
        }

        void inpainting(NDManager m) {
            if (sampling == null || !sampling.has("edit")) throw new IllegalArgumentException("config.json has no sampling.edit box");
            JsonObject e = sampling.getAsJsonObject("edit");
            int side = config.patchNums().get(config.numScales() - 1);
            float[] mask = EditMasks.box(side, e.get("y0").getAsDouble(), e.get("x0").getAsDouble(), e.get("y1").getAsDouble(),
                    e.get("x1").getAsDouble(), !e.has("inpainting") || e.get("inpainting").getAsBoolean());
            put("edit_mask", HostTensor.ofFloats(mask, side, side));
            if (cases.keySet().stream().noneMatch(n -> n.startsWith("inpaint_") && !INPUTS.contains(n))) return;
            NDArray labels = in("inpaint_labels").toNDArray(m);
            Editor editor = new Editor(new Sampler(transformer(), vae()));
            SampleTrace trace = new SampleTrace();
            NDArray img = editor.edit(labels, referenceTokens(m), mask, options((int) labels.size()), ProgressListener.NONE,
                    CancelToken.none(), trace);
            for (int k = 0; k < trace.logits.size(); k++) {
                put("inpaint_keep_s" + k, trace.keep.get(k));
                put("inpaint_logits_s" + k, trace.logits.get(k));
                put("inpaint_sampled_idx_s" + k, trace.sampled.get(k));
                put("inpaint_idx_s" + k, trace.tokens.get(k));
            }
            put("inpaint_fhat", trace.fhat);
            put("inpaint_img", img);
        }
    }
}
