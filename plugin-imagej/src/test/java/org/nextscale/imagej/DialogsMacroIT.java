package org.nextscale.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VAR dialogs as a biologist meets them, in real ImageJ 1.54p under Xvfb ({@link DialogsCheck} drives it from the
 * menu, no macro): classes by name, choices for scales and masks of the image's size only, a line on what the command does
 * and which model, a Help button, remembered values for the person but never for a recorded macro, results zoomed to be
 * seen, placed apart, with safe unique titles and their settings in Info, a missing selection said before any dialog, the
 * PSNR in the reconstruction's title and a warning for an image unlike the model's data, token ids as pixel values and a
 * table that leaves the user's Results alone, and a training dialog with folder and save choosers. Screenshots of the
 * dialogs land in target/dialogs.
 */
class DialogsMacroIT {
    @TempDir
    Path work;

    @Test
    void theDialogsAndResultsAsAPersonMeetsThem() throws Exception {
        HeadlessImageJ.ensureXvfb();
        Path shots = Path.of("target/dialogs").toAbsolutePath();
        Files.createDirectories(shots);
        Path log = work.resolve("dialogs.log");
        // ImageJ finds the plugin as a user's ImageJ does, in the packaged folder's plugins/ (plugins.config, plugins/jars);
        // the class path holds only ImageJ and this check
        String cp = HeadlessImageJ.ijJar() + java.io.File.pathSeparator + Path.of(DialogsCheck.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> cmd = List.of("timeout", "-s", "KILL", "400", "xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", "java", "-Duser.home=" + work,
                "-Dai.djl.offline=true", "-Dplugins.dir=" + HeadlessImageJ.imagejDir(), "-Dnextscale.model=" + TestModels.repo().resolve("models/fashion-mnist.zip"),
                "-cp", cp, DialogsCheck.class.getName(), shots.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        String cache = System.getProperty("nextscale.djl.cache");
        if (cache != null) pb.environment().put("DJL_CACHE_DIR", cache);
        Process p = pb.start();
        assertTrue(p.waitFor(430, TimeUnit.SECONDS), "the check did not end");
        String out = Files.readString(log);
        Map<String, String> f = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).matches("[a-z_]+\\.[a-z_]+")) f.put(line.substring(0, eq), line.substring(eq + 1));
        }
        assertTrue(f.containsKey("macro.same_image"), "the check did not finish:\n" + out);
        assertTrue(f.get("generate.class_choices").startsWith("unconditional;T-shirt/top;Trouser;Pullover;Dress"), f.get("generate.class_choices"));
        assertEquals("auto;yes;no", f.get("generate.scales_choices"));
        assertTrue(f.get("generate.text").contains("Model: the shipped model, fashion-mnist.zip (32x32 gray, 10 classes), trained on Fashion-MNIST clothing"),
                f.get("generate.text"));
        assertTrue(f.get("generate.text").contains("Guidance: how closely"), "jargon explained: " + f.get("generate.text"));
        assertEquals("true", f.get("generate.help"));
        assertEquals("VAR Dress (seed 0)", f.get("generate.title"));
        assertEquals("8.0", f.get("generate.zoom"), "a 32 px result is shown at 800%");
        assertTrue(f.get("generate.info").startsWith("VAR Generate|model: shipped") && f.get("generate.info").contains("class: Dress|count: 2"), f.get("generate.info"));
        assertEquals("Dress", f.get("generate.prop_class"));
        assertEquals("Dress,2", f.get("generate.remembered"), "the dialog remembers the last values");
        assertEquals("VAR Dress (seed 0)-1", f.get("generate.second_title"), "a second run gets a title of its own");
        assertEquals("true", f.get("generate.apart"), "results are placed apart");
        assertTrue(f.get("inpaint.no_selection").startsWith("VAR Inpaint: ") && f.get("inpaint.no_selection").contains("select the area to work on first"),
                f.get("inpaint.no_selection"));
        assertTrue(f.get("inpaint.text").contains("Edits ramp."), f.get("inpaint.text"));
        assertEquals("none;mask", f.get("inpaint.masks"), "masks only of the image's size, not the image itself");
        assertEquals("ramp inpainted", f.get("inpaint.title"));
        assertEquals("T-shirt/top", f.get("classedit.class"), "Class Edit starts at a class");
        assertTrue(f.get("reconstruct.title").matches("ramp reconstructed \\(PSNR \\d+\\.\\d dB\\)"), f.get("reconstruct.title"));
        assertFalse(f.get("reconstruct.log").contains("PSNR ="), "no PSNR pop-up in the Log");
        assertTrue(f.get("reconstruct.log").contains("this image is unlike what fashion-mnist.zip was trained on"), "a ramp is no clothing: " + f.get("reconstruct.log"));
        assertTrue(f.get("tokenize.type").startsWith("16 value="), "token ids of a 512-entry codebook as 16-bit pixel values: " + f.get("tokenize.type"));
        assertEquals("true", f.get("tokenize.table"));
        assertEquals("1", f.get("tokenize.results_rows"), "the user's Results table is left alone");
        assertTrue(f.get("train.text").contains("Learning rate; empty = the default, 5e-4"), f.get("train.text"));
        assertFalse(f.get("train.text").contains("nextscale spark") || f.get("train.text").contains("Token table"), "no command-line tools: " + f.get("train.text"));
        assertTrue(f.get("train.buttons").contains("Browse"), f.get("train.buttons"));
        assertEquals("true", f.get("macro.same_image"), "a recorded macro ignores what the dialogs remembered");
        for (String png : List.of("generate.png", "inpaint.png", "train-tokenizer.png")) assertTrue(Files.size(shots.resolve(png)) > 5000, png);
    }
}
