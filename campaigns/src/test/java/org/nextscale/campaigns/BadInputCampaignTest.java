package org.nextscale.campaigns;

import static org.junit.jupiter.api.Assertions.*;

import ij.ImagePlus;
import ij.gui.NewImage;
import ij.gui.Roi;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.imagej.ij1.VarClassEdit;
import org.nextscale.imagej.ij1.VarGenerate;
import org.nextscale.imagej.ij1.VarInpaint;
import org.nextscale.imagej.ij1.VarReconstruct;
import org.nextscale.imagej.ij1.VarTrainTokenizer;

/**
 * Campaign 2 of issue 12: one table of bad inputs over the CLI, the ImageJ macro bridge and the %var
 * magics. Every case must fail visibly (non-zero exit, the bridge's Log line and no result, a magic
 * error), with exactly one line that names the problem, no stack trace anywhere in what was printed, no
 * dialog, and every file that existed before byte-identical after. Borderline inputs that the product
 * accepts on purpose (RGBA, 16-bit, float without NaN) are checked to give a result and are not counted.
 */
class BadInputCampaignTest {
    @TempDir
    static Path work;
    private static BadFiles f;

    /** One bad input: the front end, what was given, a pattern the one line must contain, and the call. */
    record Case(String frontEnd, String input, String expect, Call call) {}

    interface Call {
        FrontEnds.Outcome run() throws Exception;
    }

    @BeforeAll
    static void files() throws Exception {
        f = new BadFiles(work);
        assertTrue(FrontEnds.magic("load " + f.model, null).lines().size() >= 0);
    }

    private static Case cli(String input, String expect, String... args) {
        return new Case("cli", input, expect, () -> FrontEnds.cli(args));
    }

    private static Case macro(String input, String expect, ij.plugin.PlugIn plugin, String label, String options, java.util.function.Supplier<ImagePlus> image) {
        return new Case("macro", input, expect, () -> FrontEnds.macro(plugin, label, options, image == null ? null : image.get()));
    }

    private static Case magic(String input, String expect, String args) {
        return new Case("magic", input, expect, () -> FrontEnds.magic(args, null));
    }

    private static Case cell(String input, String expect, String args, String body) {
        return new Case("magic", input, expect, () -> FrontEnds.magic(args, body));
    }

    private List<Case> cases() {
        String m = f.model.toString(), ok = f.p("ok.png"), out = f.p("out"), img = f.p("out/result.png");
        Path readOnly = readOnlyFolder();
        List<Case> c = new ArrayList<>();
        // ---- CLI: sampling settings
        c.add(cli("--n 0", "--n must be at least 1", "generate", "--model", m, "--n", "0", "--out", out));
        c.add(cli("--n -3", "--n must be at least 1", "generate", "--model", m, "--n", "-3", "--out", out));
        c.add(cli("--cfg -1", "cfg .* must be a number >= 0", "generate", "--model", m, "--n", "1", "--cfg", "-1", "--out", out));
        c.add(cli("--cfg NaN", "cfg .* must be a number >= 0", "generate", "--model", m, "--n", "1", "--cfg", "NaN", "--out", out));
        c.add(cli("--top-k -1", "top-k must be >= 0", "generate", "--model", m, "--n", "1", "--top-k", "-1", "--out", out));
        c.add(cli("--top-p 1.5", "top-p must be between 0 and 1", "generate", "--model", m, "--n", "1", "--top-p", "1.5", "--out", out));
        c.add(cli("--top-p -0.5", "top-p must be between 0 and 1", "generate", "--model", m, "--n", "1", "--top-p", "-0.5", "--out", out));
        c.add(cli("--weights bf16", "--weights is .bf16.: use float32 \\(the default\\) or float16", "generate", "--model", m, "--n", "1", "--weights", "bf16", "--out", out));
        c.add(cli("--class 99", "unknown class '99'", "generate", "--model", m, "--n", "1", "--class", "99", "--out", out));
        c.add(cli("--class Sneakerz", "unknown class 'Sneakerz'", "generate", "--model", m, "--n", "1", "--class", "Sneakerz", "--out", out));
        c.add(cli("--n abc", "'abc' is not an int", "generate", "--model", m, "--n", "abc"));
        // ---- CLI: outputs
        c.add(cli("--n 4 --out x.png", "names one image file, but 4 images", "generate", "--model", m, "--n", "4", "--out", f.p("x.png")));
        c.add(cli("--out <existing model file>", "is an existing file, not a folder", "generate", "--model", m, "--n", "2", "--out", m));
        c.add(cli("--out <read-only folder>", "cannot write .*(permission|not permitted)", "generate", "--model", m, "--n", "1", "--out", readOnly.resolve("s.png").toString()));
        c.add(cli("--out <under a file>", "is a file, not a folder", "generate", "--model", m, "--n", "1", "--out", f.p("ok.png/sub/s.png")));
        c.add(cli("reconstruct --out x.zip", "is not an image file name", "reconstruct", ok, "--model", m, "--out", f.p("x.zip")));
        c.add(cli("tokenize --out x.png", "names one image file, but tokenize", "tokenize", ok, "--model", m, "--out", f.p("x.png")));
        // ---- CLI: model files
        c.add(cli("truncated model", "truncated.zip: not a nextscale model", "generate", "--model", f.p("truncated.zip"), "--out", out));
        c.add(cli("model.json wrong", "wrong-json.zip: model.json", "generate", "--model", f.p("wrong-json.zip"), "--out", out));
        c.add(cli("safetensors header claims more bytes", "forged.zip: weights.safetensors: truncated", "generate", "--model", f.p("forged.zip"), "--out", out));
        c.add(cli("zip entry ../x", "slip.zip: refused: .*outside the archive", "generate", "--model", f.p("slip.zip"), "--out", out));
        c.add(cli("text renamed .zip", "text.zip: not a nextscale model", "generate", "--model", f.p("text.zip"), "--out", out));
        c.add(cli("empty model file", "empty.zip: not a nextscale model", "generate", "--model", f.p("empty.zip"), "--out", out));
        c.add(cli("missing model", "no such file: .*missing.zip", "generate", "--model", f.p("missing.zip"), "--out", out));
        c.add(cli("tokenizer-only model for generate", "tokenizer-only model", "generate", "--model", f.tokenizerOnly.toString(), "--out", out));
        c.add(cli("hostile .pth (os.system)", "hostile.pth: refused: its pickle calls os.system", "import", "--vae", f.p("hostile.pth"), "--config", f.config.toString(), "--out", f.p("imported.zip")));
        c.add(cli("info of a truncated model", "truncated.zip: not a nextscale model", "info", f.p("truncated.zip")));
        // ---- CLI: images
        c.add(cli("missing image", "missing.png: no such image file", "reconstruct", f.p("missing.png"), "--model", m, "--out", img));
        c.add(cli("empty image file", "empty.png: empty file", "reconstruct", f.p("empty.png"), "--model", m, "--out", img));
        c.add(cli("truncated image", "truncated.png: cannot be read as an image: the file is damaged or truncated", "reconstruct", f.p("truncated.png"), "--model", m, "--out", img));
        c.add(cli("text renamed .png", "text.png: not a readable image", "reconstruct", f.p("text.png"), "--model", m, "--out", img));
        c.add(cli("30000x30000 header", "30000x30000 px, too large", "reconstruct", f.p("huge.png"), "--model", m, "--out", img));
        c.add(cli("multi-page TIFF", "stack.tif: holds 3 images", "reconstruct", f.p("stack.tif"), "--model", m, "--out", img));
        c.add(cli("32-bit float with NaN", "nan.tif: has NaN", "reconstruct", f.p("nan.tif"), "--model", m, "--out", img));
        c.add(cli("1x1 image", "1x1 px, too small", "reconstruct", f.p("one.png"), "--model", m, "--out", img));
        // ---- CLI: masks, boxes, classes of edits
        c.add(cli("mask of another size", "mask is 20x20 px but the image is 28x28", "inpaint", ok, "--model", m, "--mask", f.p("mask-small.png"), "--out", img));
        c.add(cli("empty mask", "selection is empty", "inpaint", ok, "--model", m, "--mask", f.p("mask-empty.png"), "--out", img));
        c.add(cli("full mask (inpaint)", "covers the whole image", "inpaint", ok, "--model", m, "--mask", f.p("mask-full.png"), "--out", img));
        c.add(cli("full mask (outpaint)", "covers the whole image, so nothing would be regenerated", "outpaint", ok, "--model", m, "--mask", f.p("mask-full.png"), "--out", img));
        c.add(cli("mask that is text", "text.png: not a readable image", "inpaint", ok, "--model", m, "--mask", f.p("text.png"), "--out", img));
        c.add(cli("box out of order", "box must be", "inpaint", ok, "--model", m, "--box", "0.5,0.5,0.2,0.2", "--out", img));
        c.add(cli("box out of range", "box must be", "inpaint", ok, "--model", m, "--box", "0,0,1.5,1", "--out", img));
        c.add(cli("box not numbers", "box must be four fractions", "inpaint", ok, "--model", m, "--box", "a,b", "--out", img));
        c.add(cli("edit class 42", "unknown class '42'", "edit", ok, "--model", m, "--box", "0,0,0.5,0.5", "--class", "42", "--out", img));
        // ---- CLI: training
        c.add(cli("empty data folder", "no images found", "train-tokenizer", "--data", f.p("data-empty"), "--steps", "2", "--out", f.p("t.zip")));
        c.add(cli("folder of non-images", "cannot read image.*a.png", "train-tokenizer", "--data", f.p("data-text"), "--steps", "2", "--out", f.p("t.zip")));
        c.add(cli("an image smaller than a patch", "tiny.png is 20x20 px at this scale, smaller than the model's 32 px patches", "train-tokenizer", "--data", f.p("data-small"), "--steps", "2", "--out", f.p("t.zip")));
        c.add(cli("a damaged TIFF", "cannot read image .*a.tif", "train-tokenizer", "--data", f.p("data-damaged"), "--steps", "2", "--out", f.p("t.zip")));
        c.add(cli("only background", "no training patch passes the foreground filter", "train-tokenizer", "--data", f.p("data-dark"), "--steps", "2", "--out", f.p("t.zip")));
        c.add(cli("--val 1", "val must be at least 0 and below 1", "train-tokenizer", "--data", "synthetic:32", "--val", "1", "--steps", "2", "--out", f.p("t.zip")));
        c.add(cli("--val leaving no data", "val=0.99 leaves no training data of 32 images", "train-tokenizer", "--data", "synthetic:32", "--val", "0.99", "--steps", "2", "--out", f.p("t.zip")));
        c.add(cli("--steps 0", "steps must be > 0", "train-tokenizer", "--data", "synthetic:8", "--steps", "0", "--out", f.p("t.zip")));
        c.add(cli("--batch 0", "batch must be > 0", "train", "--data", "synthetic:8", "--batch", "0", "--out", f.p("v.zip")));

        // ---- macro bridge
        String mm = "model=[" + m + "] ";
        c.add(macro("count=0", "count must be at least 1", new VarGenerate(), "VAR Generate", mm + "count=0", null));
        c.add(macro("count=-2", "count must be at least 1", new VarGenerate(), "VAR Generate", mm + "count=-2", null));
        c.add(macro("count=many", "count must be a whole number", new VarGenerate(), "VAR Generate", mm + "count=many", null));
        c.add(macro("cfg=-1", "cfg .* must be a number >= 0", new VarGenerate(), "VAR Generate", mm + "count=1 cfg=-1", null));
        c.add(macro("top_k=-1", "top-k must be >= 0", new VarGenerate(), "VAR Generate", mm + "count=1 top_k=-1", null));
        c.add(macro("top_p=2", "top-p must be between 0 and 1", new VarGenerate(), "VAR Generate", mm + "count=1 top_p=2", null));
        c.add(macro("class=99", "unknown class '99'", new VarGenerate(), "VAR Generate", mm + "count=1 class=99", null));
        c.add(macro("class=Nope", "unknown class 'Nope'", new VarGenerate(), "VAR Generate", mm + "count=1 class=Nope", null));
        c.add(macro("unknown key clas=2", "unknown key 'clas'", new VarGenerate(), "VAR Generate", mm + "clas=2", null));
        c.add(macro("truncated model", "truncated.zip: not a nextscale model", new VarGenerate(), "VAR Generate", "model=[" + f.p("truncated.zip") + "]", null));
        c.add(macro("model.json wrong", "wrong-json.zip: model.json", new VarGenerate(), "VAR Generate", "model=[" + f.p("wrong-json.zip") + "]", null));
        c.add(macro("safetensors header claims more bytes", "forged.zip: weights.safetensors: truncated", new VarGenerate(), "VAR Generate", "model=[" + f.p("forged.zip") + "]", null));
        c.add(macro("zip entry ../x", "refused: .*outside the archive", new VarGenerate(), "VAR Generate", "model=[" + f.p("slip.zip") + "]", null));
        c.add(macro("missing model", "model file not found", new VarGenerate(), "VAR Generate", "model=[" + f.p("missing.zip") + "]", null));
        c.add(macro("tokenizer-only model", "tokenizer-only model", new VarGenerate(), "VAR Generate", "model=[" + f.tokenizerOnly + "]", null));
        c.add(macro("1x1 image", "1x1 px, too small", new VarReconstruct(), "VAR Reconstruct", mm, () -> NewImage.createByteImage("one", 1, 1, 1, NewImage.FILL_RAMP)));
        c.add(macro("32-bit float with NaN", "NaN", new VarReconstruct(), "VAR Reconstruct", mm, BadInputCampaignTest::nanImage));
        c.add(macro("no image open", "no image is open", new VarReconstruct(), "VAR Reconstruct", mm, null));
        c.add(macro("mask of another size", "is 20x20 but the image is 28x28", new VarInpaint(), "VAR Inpaint", mm + "mask=[small mask]", () -> withMask(20, false)));
        c.add(macro("empty mask", "selection is empty", new VarInpaint(), "VAR Inpaint", mm + "mask=[empty mask]", () -> withMask(28, false)));
        c.add(macro("full mask", "covers the whole image", new VarInpaint(), "VAR Inpaint", mm + "mask=[full mask]", () -> withMask(28, true)));
        c.add(macro("no selection and no mask", "select the area to edit", new VarInpaint(), "VAR Inpaint", mm, () -> NewImage.createByteImage("img", 28, 28, 1, NewImage.FILL_RAMP)));
        c.add(macro("class edit without a class", "Class Edit needs a class", new VarClassEdit(), "VAR Class Edit", mm + "class=-1", BadInputCampaignTest::withRoi));
        c.add(macro("empty data folder", "no images found", new VarTrainTokenizer(), "VAR Train Tokenizer",
                "data=[" + f.p("data-empty") + "] output=[" + f.p("t.zip") + "] steps=2", null));
        c.add(macro("steps=0", "steps must be > 0", new VarTrainTokenizer(), "VAR Train Tokenizer",
                "data=[synthetic:8] output=[" + f.p("t.zip") + "] steps=0", null));

        // ---- magics (the model tiny.zip is loaded)
        c.add(magic("n=0", "number of images must be at least 1|n must be", "generate class=0 n=0"));
        c.add(magic("n=-1", "number of images must be at least 1|n must be", "generate class=0 n=-1"));
        c.add(magic("cfg=-1", "cfg", "generate class=0 n=1 cfg=-1"));
        c.add(magic("top_k=-1", "top.k", "generate class=0 n=1 top_k=-1"));
        c.add(magic("top_p=1.5", "top.p", "generate class=0 n=1 top_p=1.5"));
        c.add(magic("class=99", "unknown class '99'", "generate class=99 n=1"));
        c.add(magic("class=Nope", "unknown class 'Nope'", "generate class=Nope n=1"));
        c.add(magic("load truncated model", "truncated.zip: not a nextscale model", "load " + f.p("truncated.zip")));
        c.add(magic("load forged safetensors", "forged.zip: weights.safetensors: truncated", "load " + f.p("forged.zip")));
        c.add(magic("load zip with ../x", "slip.zip: refused", "load " + f.p("slip.zip")));
        c.add(magic("load wrong model.json", "wrong-json.zip: model.json", "load " + f.p("wrong-json.zip")));
        c.add(magic("load empty file", "empty.zip: not a nextscale model", "load " + f.p("empty.zip")));
        c.add(magic("tokenize missing image", "missing.png", "tokenize " + f.p("missing.png")));
        c.add(magic("tokenize truncated image", "damaged or truncated", "tokenize " + f.p("truncated.png")));
        c.add(magic("tokenize text renamed .png", "not a readable image", "tokenize " + f.p("text.png")));
        c.add(magic("tokenize 30000x30000 header", "too large", "tokenize " + f.p("huge.png")));
        c.add(magic("tokenize multi-page TIFF", "holds 3 images", "tokenize " + f.p("stack.tif")));
        c.add(magic("reconstruct float with NaN", "NaN", "reconstruct " + f.p("nan.tif")));
        c.add(magic("reconstruct 1x1", "too small", "reconstruct " + f.p("one.png")));
        c.add(magic("inpaint box out of order", "box", "inpaint " + ok + " box=0.5,0.5,0.2,0.2"));
        c.add(magic("inpaint box out of range", "box", "inpaint " + ok + " box=0,0,2,1"));
        c.add(magic("inpaint whole image", "covers the whole image", "inpaint " + ok + " box=0,0,1,1"));
        c.add(cell("train on non-images", "cannot read image", "train tokenizer", "data=" + f.p("data-text") + "\nsteps=2\nout=" + f.p("t.zip")));
        c.add(cell("train steps=-1", "steps must be > 0", "train tokenizer", "data=synthetic:8\nsteps=-1\nout=" + f.p("t.zip")));
        return c;
    }

    @Test
    void everyBadInputIsAnsweredWithOneClearLineAndNoDamage() throws Exception {
        List<Case> cases = cases();
        List<String> problems = new ArrayList<>();
        int answered = 0;
        for (Case k : cases) {
            Map<Path, String> before = snapshot();
            FrontEnds.Outcome o = k.call().run();
            Map<Path, String> after = snapshot();
            String what = k.frontEnd() + " [" + k.input() + "]: ";
            List<String> wrong = new ArrayList<>();
            if (!o.failed()) wrong.add("did not signal failure");
            if (o.lines().size() != 1) wrong.add("said " + o.lines().size() + " lines " + o.lines());
            else if (!Pattern.compile(k.expect(), Pattern.CASE_INSENSITIVE).matcher(o.lines().get(0)).find())
                wrong.add("line does not name the problem (/" + k.expect() + "/): " + o.lines().get(0));
            if (o.everything().contains("Exception") || o.everything().contains("\tat ")) wrong.add("printed a stack trace: " + o.everything());
            if (java.awt.Window.getWindows().length > 0) wrong.add("opened a window");
            for (Map.Entry<Path, String> e : before.entrySet())
                if (!e.getValue().equals(after.get(e.getKey()))) wrong.add("changed or removed " + work.relativize(e.getKey()));
            if (Boolean.getBoolean("campaign.verbose")) System.out.println(what + o.lines());
            if (wrong.isEmpty()) answered++;
            else problems.add(what + String.join("; ", wrong));
        }
        assertFalse(Files.exists(work.resolve("pwned")), "the hostile pickle ran");
        System.out.println(cases.size() + " bad inputs, " + answered + " answered");
        assertTrue(cases.size() >= 50, "the campaign needs at least 50 bad inputs");
        assertEquals(List.of(), problems);
    }

    /** Borderline inputs the product accepts on purpose: each gives a result (not counted as bad inputs). */
    @Test
    void borderlineImagesAreConvertedNotRefused() throws Exception {
        int accepted = 0;
        for (String name : List.of("rgba.png", "gray16.tif", "float.tif")) {
            Path out = work.resolve("accepted-" + name + ".png");
            FrontEnds.Outcome o = FrontEnds.cli("reconstruct", f.p(name), "--model", f.model.toString(), "--out", out.toString());
            assertFalse(o.failed(), name + ": " + o.lines());
            assertTrue(Files.isRegularFile(out), name);
            assertEquals(28, javax.imageio.ImageIO.read(out.toFile()).getWidth(), name);
            accepted++;
        }
        System.out.println(accepted + " borderline inputs (RGBA, 16-bit, 32-bit float) accepted with a result");
    }

    private static ImagePlus nanImage() {
        FloatProcessor fp = new FloatProcessor(28, 28);
        fp.setf(5, 5, Float.NaN);
        return new ImagePlus("nan", fp);
    }

    private static ImagePlus withRoi() {
        ImagePlus imp = NewImage.createByteImage("img", 28, 28, 1, NewImage.FILL_RAMP);
        imp.setRoi(new Roi(4, 4, 10, 10));
        return imp;
    }

    /** A 28x28 image and a shown mask image of side {@code side}, empty or full, titled "small/empty/full mask". */
    private static ImagePlus withMask(int side, boolean full) {
        ByteProcessor mp = new ByteProcessor(side, side);
        if (full) {
            mp.setValue(255);
            mp.fill();
        }
        new ImagePlus(side != 28 ? "small mask" : full ? "full mask" : "empty mask", mp).show();
        return NewImage.createByteImage("img", 28, 28, 1, NewImage.FILL_RAMP);
    }

    /** A folder nobody may write in: chmod 555, or (as root, whom permissions do not stop) a path in read-only /sys. */
    private static Path readOnlyFolder() {
        try {
            Path ro = Files.createDirectories(work.resolve("read-only"));
            ro.toFile().setWritable(false, false);
            return Files.isWritable(ro) && "root".equals(System.getProperty("user.name")) ? Path.of("/sys/nextscale-campaign") : ro;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of every file under the work folder. */
    private static Map<Path, String> snapshot() throws Exception {
        Map<Path, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(work)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                MessageDigest d = MessageDigest.getInstance("SHA-256");
                try (InputStream in = Files.newInputStream(p)) {
                    d.update(in.readAllBytes());
                }
                m.put(p, HexFormat.of().formatHex(d.digest()));
            }
        }
        return m;
    }
}
