package org.nextscale.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A VAR command never blocks a macro (issue 12): in real ImageJ 1.54p under Xvfb, where any dialog would
 * wait for ever, run("VAR ...", "") (what the recorder writes for a dialog left at its defaults) takes
 * the documented defaults, a few keys take the defaults for the rest, and a command that cannot proceed
 * writes one line to the Log and aborts the macro. Each run is killed after a timeout; a run that had to
 * be killed means a dialog opened.
 */
class UnattendedMacroIT {
    @TempDir
    Path work;

    @Test
    void emptyOptionsTakeTheDefaultsInsteadOfOpeningADialog() throws Exception {
        Path macro = work.resolve("defaults.ijm");
        Files.writeString(macro, String.join("\n",
                "setBatchMode(true);",
                "newImage(\"ramp\", \"8-bit ramp\", 28, 28, 1);",
                "run(\"VAR Tokenize\", \"\");",                          // no options at all: the shipped model
                "print(\"tokenize rows=\" + Table.size(\"Tokens of ramp\") + \" results=\" + nResults);",
                "run(\"VAR Generate\", \"count=1 seed=4\");",              // some keys: the rest are defaults
                "print(\"generate slices=\" + nSlices + \" width=\" + getWidth());",
                "selectImage(\"ramp\");",
                "run(\"VAR Reconstruct\", \"\");",
                "print(\"reconstruct title=\" + getTitle());",
                "print(\"macro finished\");", ""));
        HeadlessImageJ.Run r = HeadlessImageJ.run(macro, "", work, 150);
        assertTrue(r.finished(), "ImageJ had to be killed (a dialog opened?); it printed:\n" + r.log());
        assertTrue(r.log().contains("tokenize rows=130 results=0"), "its own table, the Results table left alone: " + r.log());
        assertTrue(r.log().contains("generate slices=1 width=32"), r.log());
        assertTrue(r.log().contains("reconstruct title=ramp reconstructed"), r.log());
        assertTrue(r.log().contains("macro finished"), r.log());
        assertFalse(r.log().contains("Exception"), r.log());
    }

    @Test
    void aLargeSixteenBitImageIsEditedAtItsOwnScaleFromAMacro() throws Exception {
        Path macro = work.resolve("large.ijm");
        Files.writeString(macro, String.join("\n",
                "setBatchMode(true);",
                "newImage(\"cells\", \"16-bit ramp\", 600, 400, 1);",
                "run(\"Multiply...\", \"value=0.0625\");",                  // 12-bit values, 0-4095
                "resetMinAndMax();",
                "getStatistics(area, mean, lo, inMax);",
                "before = getPixel(10, 10);",
                "makeRectangle(300, 200, 40, 30);",
                "run(\"VAR Inpaint\", \"scale=auto show_scales=no\");",
                "print(\"inpaint bitDepth=\" + bitDepth() + \" width=\" + getWidth() + \" kept=\" + (getPixel(10, 10) == before));",
                "getStatistics(area, mean, lo, hi);",
                "print(\"inpaint in range \" + (hi <= inMax) + \" inMax<=4096 \" + (inMax <= 4096));",
                "run(\"VAR Outpaint\", \"extend=[left=20] show_scales=no\");",
                "print(\"outpaint width=\" + getWidth());",
                "run(\"VAR Reconstruct\", \"scale=fit\");",
                "print(\"reconstruct title=\" + getTitle());",
                "print(\"macro finished\");", ""));
        HeadlessImageJ.Run r = HeadlessImageJ.run(macro, "", work, 240);
        assertTrue(r.finished(), "ImageJ had to be killed (a dialog opened?); it printed:\n" + r.log());
        assertTrue(r.log().contains("inpaint bitDepth=16 width=600 kept=1"), r.log());
        assertTrue(r.log().contains("inpaint in range 1 inMax<=4096 1"), r.log());
        assertTrue(r.log().contains("outpaint width=620"), r.log());
        assertTrue(r.log().contains("reconstruct title="), r.log());
        assertTrue(r.log().contains("macro finished"), r.log());
        assertFalse(r.log().contains("Exception"), r.log());
    }

    @Test
    void aCommandThatCannotProceedLogsOneLineAndAbortsTheMacro() throws Exception {
        Path macro = work.resolve("abort.ijm");
        Files.writeString(macro, String.join("\n",
                "setBatchMode(true);",
                "print(\"before\");",
                "run(\"VAR Tokenize\", \"\");",                           // no image is open
                "print(\"after tokenize\");", ""));
        HeadlessImageJ.Run r = HeadlessImageJ.run(macro, "", work, 150);
        assertTrue(r.finished(), "ImageJ had to be killed (a dialog opened?); it printed:\n" + r.log());
        List<String> lines = r.log().lines().filter(l -> l.startsWith("VAR ")).toList();
        assertEquals(List.of("VAR Tokenize: no image is open: open the image to work on first"), lines, r.log());
        assertTrue(r.log().contains("before"), r.log());
        assertFalse(r.log().contains("after tokenize"), "the macro went on after the failed command:\n" + r.log());
        assertFalse(r.log().contains("Exception") || r.log().contains("\tat "), r.log());
    }
}
