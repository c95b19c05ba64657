package org.nextscale.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.gui.NewImage;
import ij.macro.Interpreter;
import ij.plugin.PlugIn;
import ij.plugin.filter.Analyzer;
import ij.process.ByteProcessor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nextscale.imagej.ij1.VarGenerate;
import org.nextscale.imagej.ij1.VarInpaint;
import org.nextscale.imagej.ij1.VarReconstruct;
import org.nextscale.imagej.ij1.VarTokenize;

/**
 * The ImageJ 1.x plugins as a macro's run("VAR ...", options) calls them, headless: macro options on
 * the thread, batch mode images, results as the new current image. (The real ImageJ run under Xvfb is
 * BatchMacrosMacroIT.)
 */
class MacroBridgeTest {
    private static Path model;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream stdout;

    @BeforeAll
    static void fixture() throws Exception {
        model = TestModels.tinyA();
    }

    @BeforeEach
    void batchMode() {
        Interpreter.batchMode = true;
        stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8)); // IJ.log prints here when headless
    }

    @AfterEach
    void restore() {
        System.setOut(stdout);
        WindowManager.setTempCurrentImage(null);
        for (int id : Interpreter.getBatchModeImageIDs()) Interpreter.removeBatchModeImage(WindowManager.getImage(id));
        Interpreter.batchMode = false;
    }

    /**
     * Runs the plugin the way IJ.run does for run(label, options) in a macro: on the macro's thread,
     * renamed "Run$_..." (ImageJ hands macro options only to such threads), holding the options.
     */
    private String run(PlugIn plugin, String options) {
        Thread t = Thread.currentThread();
        String name = t.getName();
        t.setName("Run$_" + name);
        Macro.setOptions(t, options + " ");
        try {
            plugin.run("");
        } finally {
            Macro.setOptions(t, null);
            t.setName(name);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void generateShowsTheNewStackWithTheOptionsApplied() {
        run(new VarGenerate(), "model=[" + model + "] class=2 count=2 seed=3 cfg=1.5 top_k=10 top_p=0.9 smooth");
        ImagePlus imp = WindowManager.getCurrentImage();
        assertTrue(imp != null && imp.getTitle().equals("VAR 2 (seed 3)"), "current image: " + imp + "; log: " + out);
        assertEquals(2, imp.getStackSize());
        assertEquals("2 #1 seed 3", imp.getStack().getSliceLabel(1));
    }

    @Test
    void reconstructMakesTheActiveImageItsReconstructionWithThePsnrInTitleAndInfo() {
        ImagePlus in = NewImage.createByteImage("cells", 28, 28, 1, NewImage.FILL_RAMP);
        WindowManager.setTempCurrentImage(in);
        String log = run(new VarReconstruct(), "model=[" + model + "]");
        ImagePlus result = WindowManager.getCurrentImage();
        assertNotSame(in, result, "log: " + log);
        assertTrue(result.getTitle().matches("cells reconstructed \\(PSNR [0-9.]+ dB\\)"), result.getTitle());
        assertEquals(ImagePlus.GRAY8, result.getType());
        assertTrue(Double.parseDouble(result.getProp("psnr_db")) > 0, "a macro reads it: Property.get(\"psnr_db\")");
        assertFalse(log.contains("PSNR ="), "no PSNR line in the Log: " + log);
    }

    @Test
    void tokenizeFillsATableOfItsOwnAndLeavesResultsAlone() {
        Analyzer.getResultsTable().reset();
        Analyzer.getResultsTable().addValue("Area", 7);
        WindowManager.setTempCurrentImage(NewImage.createRGBImage("rgb", 32, 32, 1, NewImage.FILL_RAMP));
        String log = run(new VarTokenize(), "model=[" + model + "]");
        assertEquals(1, Analyzer.getResultsTable().size(), "the user's Results table is untouched: " + log);
        assertEquals(7, Analyzer.getResultsTable().getValue("Area", 0), 0);
        assertEquals(6, WindowManager.getCurrentImage().getStackSize());
        // the table "Tokens of rgb" itself is a window, checked in real ImageJ (UnattendedMacroIT, DialogsMacroIT)
    }

    @Test
    void inpaintFindsTheMaskImageByTitle() {
        ByteProcessor m = new ByteProcessor(32, 32);
        m.setRoi(4, 4, 10, 10);
        m.setValue(255);
        m.fill();
        new ImagePlus("the mask", m).show(); // a batch-mode image, found by title
        ImagePlus in = NewImage.createByteImage("img", 32, 32, 1, NewImage.FILL_RAMP);
        WindowManager.setTempCurrentImage(in);
        String log = run(new VarInpaint(), "model=[" + model + "] seed=1 mask=[the mask]");
        assertEquals("img inpainted", WindowManager.getCurrentImage().getTitle(), log);
    }

    @Test
    void mistakesAreOneLineInTheLog() {
        assertTrue(run(new VarGenerate(), "model=[" + model + "] clas=2").contains("VAR Generate: unknown key 'clas'; the keys are: model, class"), out.toString());
        assertTrue(run(new VarGenerate(), "model=[" + model + "] count=many").contains("VAR Generate: Count must be a whole number, got 'many' (count=)"), out.toString());
        WindowManager.setTempCurrentImage(null);
        assertTrue(run(new VarReconstruct(), "model=[" + model + "]").contains("VAR Reconstruct: no image is open"), out.toString());
        WindowManager.setTempCurrentImage(NewImage.createByteImage("img", 32, 32, 1, NewImage.FILL_RAMP));
        assertTrue(run(new VarInpaint(), "model=[" + model + "] mask=[nope]").contains("VAR Inpaint: no open image is called 'nope'"), out.toString());
        assertTrue(run(new VarGenerate(), "model=[/no/such.zip]").contains("VAR Generate: model file not found: /no/such.zip"), out.toString());
    }
}
