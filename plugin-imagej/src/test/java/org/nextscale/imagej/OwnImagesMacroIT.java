package org.nextscale.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.data.Micrographs;
import org.nextscale.core.model.ModelFile;

/**
 * Training on a scientist's own images from an ImageJ macro, as the recorder writes it (real ImageJ 1.54p under Xvfb, batch
 * mode): VAR Train Tokenizer and VAR Train on a folder of 16-bit TIFFs of different sizes and a 3-page stack, with
 * validation; the log, the best model, the loss plot and the preview land beside each model, the validation lines in
 * ImageJ's Log, and no window opens.
 */
class OwnImagesMacroIT {
    @TempDir
    Path work;

    @Test
    void bothTrainersRunOnLargeSixteenBitImagesFromAMacro() throws Exception {
        Path data = Micrographs.write(work.resolve("micrographs"), 7), out = Files.createDirectories(work.resolve("out"));
        Path macro = work.resolve("own.ijm");
        Files.writeString(macro, String.join("\n",
                "setBatchMode(true);",
                "run(\"VAR Train Tokenizer\", \"data=[" + data + "] output=[" + out.resolve("tok.zip") + "] steps=30 batch=8 lr=2e-3 "
                        + "options=[scale=2 eval_every=10 preview_every=30 vocab=64 z=8 ch=32 ch_mult=1,1 patch_nums=1,2,4,8]\");",
                "run(\"VAR Train\", \"data=[" + data + "] output=[" + out.resolve("var.zip") + "] steps=30 batch=8 lr=2e-3 tokenizer=["
                        + out.resolve("tok.zip") + "] options=[scale=2 eval_every=10 preview_every=30 depth=1 width=32 heads=2]\");",
                "print(\"windows=\" + nImages);",
                "print(\"macro finished\");", ""));
        HeadlessImageJ.Run r = HeadlessImageJ.run(macro, "", work, 300);
        assertTrue(r.finished(), "ImageJ had to be killed; it printed:\n" + r.log());
        assertTrue(r.log().contains("macro finished"), r.log());
        assertTrue(r.log().contains("windows=0"), "a macro run opens no window:\n" + r.log());
        assertTrue(r.log().contains("patches of 16 px"), r.log());
        assertTrue(r.log().contains("step 30: val_loss"), r.log());
        for (String name : List.of("tok", "var")) {
            List<String> log = Files.readAllLines(out.resolve(name + ".log.csv"));
            assertEquals(31, log.size(), name + ".log.csv: a header and 30 steps");
            assertEquals(3, log.stream().skip(1).filter(l -> !l.split(",", -1)[3].isEmpty()).count(), name + ": 3 validations");
            for (String f : List.of(".zip", ".best.zip", ".loss.png", ".preview.png"))
                assertTrue(Files.isRegularFile(out.resolve(name + f)), name + f + " missing; ImageJ printed:\n" + r.log());
        }
        assertTrue(ModelFile.load(out.resolve("var.best.zip")).config().hasTransformer());
    }
}
