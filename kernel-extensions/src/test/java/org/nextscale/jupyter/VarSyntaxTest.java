package org.nextscale.jupyter;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nextscale.core.api.EditMode;
import org.nextscale.core.api.SampleOptions;

class VarSyntaxTest {

    private static final Map<String, Object> VARS = Map.of("n", 16, "steps", "40", "file", "shirt.png");
    private static final Function<String, Object> LOOKUP = VARS::get;

    private static VarCommand line(String args) {
        return VarSyntax.parseLine(args.isBlank() ? List.of() : Arrays.asList(args.trim().split("\\s+")), LOOKUP);
    }

    private static VarCommand cell(String args, String body) {
        return VarSyntax.parseCell(Arrays.asList(args.trim().split("\\s+")), body, LOOKUP);
    }

    /** The error of a bad line magic: one line that names the problem and ends with the command's syntax. */
    private static String lineError(String args, String command, String problem) {
        VarMagicError e = assertThrows(VarMagicError.class, () -> line(args), args);
        assertOneLineWith(e.getMessage(), problem);
        assertTrue(e.getMessage().startsWith("%var " + command + ": "), e.getMessage());
        assertTrue(e.getMessage().endsWith("(usage: " + VarSyntax.USAGE.get(command) + ")"), e.getMessage());
        return e.getMessage();
    }

    private static String cellError(String args, String body, String problem) {
        VarMagicError e = assertThrows(VarMagicError.class, () -> cell(args, body), args + " / " + body);
        assertOneLineWith(e.getMessage(), problem);
        assertTrue(e.getMessage().endsWith("(usage: " + VarSyntax.USAGE.get("train") + ")"), e.getMessage());
        return e.getMessage();
    }

    private static void assertOneLineWith(String message, String problem) {
        assertFalse(message.contains("\n"), "not one line: " + message);
        assertTrue(message.contains(problem), "'" + message + "' does not say '" + problem + "'");
    }

    // ---------------------------------------------------------------- help and unknown commands

    @Test
    void helpWithAndWithoutTheWord() {
        assertInstanceOf(VarCommand.Help.class, line(""));
        assertInstanceOf(VarCommand.Help.class, line("help"));
        lineError("help me", "help", "unexpected argument 'me'");
        String h = VarSyntax.help();
        for (String u : VarSyntax.USAGE.values()) assertTrue(h.contains(u), "help lacks " + u);
        assertTrue(h.contains("VarSession"));
        assertTrue(h.contains("checkpoint_every") && h.contains("tokenizer model file"), "help lists the training options");
    }

    @Test
    void unknownCommandListsTheCommands() {
        VarMagicError e = assertThrows(VarMagicError.class, () -> line("sample class=1"));
        assertEquals("%var: unknown command 'sample'; commands: load, generate, tokenize, reconstruct, inpaint, outpaint, edit, train, help"
                + " (see %var help)", e.getMessage());
    }

    // ---------------------------------------------------------------- load

    @Test
    void loadWithAndWithoutPath() {
        assertEquals(new VarCommand.Load(null, "auto"), line("load"));
        assertEquals(new VarCommand.Load(Path.of("models/m.zip"), "auto"), line("load models/m.zip"));
        assertEquals(new VarCommand.Load(Path.of("m.zip"), "gpu:1"), line("load m.zip device=gpu:1"));
        lineError("load a.zip b.zip", "load", "too many arguments: a.zip b.zip");
        lineError("load a.zip n=3", "load", "unknown option n=; options are device");
        lineError("load device=", "load", "device= needs a value");
    }

    // ---------------------------------------------------------------- generate

    @Test
    void generateWithDefaultsAndEveryOption() {
        SampleOptions d = SampleOptions.defaults();
        assertEquals(new VarCommand.Generate("3", 8, d.cfg(), d.topK(), d.topP(), d.seed(), false, 32), line("generate class=3 n=8"));
        assertEquals(new VarCommand.Generate("3", 8, d.cfg(), d.topK(), d.topP(), d.seed(), true, 32), line("generate class=3 n=8 scales=true"));
        assertEquals(new VarCommand.Generate("Dress", 4, 1.5, 600, 0.8, 42, false, 32),
                line("generate class=Dress n=4 cfg=1.5 top_k=600 top_p=0.8 seed=42"));
        assertEquals(new VarCommand.Generate("uncond", 16, d.cfg(), d.topK(), d.topP(), d.seed(), false, 32), line("generate n=$n class=uncond"));
        assertEquals(new VarCommand.Generate("1", 16, d.cfg(), d.topK(), d.topP(), d.seed(), false, 32), line("generate class=1 n=${n}"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            generate n=4 | generate | missing class=
            generate class=1 | generate | missing n=
            generate class=1 n=0 | generate | n must be a whole number >= 1, got '0'
            generate class=1 n=many | generate | n must be a whole number >= 1, got 'many'
            generate class=1 n=2 cfg=-1 | generate | cfg must be a number >= 0.0, got '-1'
            generate class=1 n=2 top_k=-3 | generate | top_k must be a whole number >= 0, got '-3'
            generate class=1 n=2 top_p=1.5 | generate | top_p must be a number in [0.0, 1.0], got '1.5'
            generate class=1 n=2 seed=abc | generate | seed must be a whole number, got 'abc'
            generate class=1 n=2 temperature=2 | generate | unknown option temperature=; options are batch, cfg, class, n, scales, seed, top_k, top_p
            generate class=1 n=2 n=3 | generate | n= is given twice
            generate 5 class=1 n=2 | generate | unexpected argument '5'
            generate class=1 n=$count | generate | unknown variable $count; set it first in Java with VarSession.let("count", value)
            """)
    void generateErrors(String args, String command, String problem) {
        lineError(args, command, problem);
    }

    // ---------------------------------------------------------------- tokenize, reconstruct

    @Test
    void tokenizeAndReconstructTakeOnePath() {
        assertEquals(new VarCommand.Tokenize(Path.of("shirt.png"), "auto", "auto", 64), line("tokenize shirt.png"));
        assertEquals(new VarCommand.Reconstruct(Path.of("shirt.png"), "auto", "auto", 64), line("reconstruct $file"));
        lineError("tokenize", "tokenize", "missing PATH");
        lineError("reconstruct", "reconstruct", "missing PATH");
        lineError("tokenize a.png b.png", "tokenize", "too many arguments");
        lineError("reconstruct a.png size=2", "reconstruct", "unknown option size=");
        lineError("reconstruct a.png scale=0", "reconstruct", "scale must be auto, fit, or");
        assertEquals(new VarCommand.Reconstruct(Path.of("a.png"), "2", "0,4095", 64), line("reconstruct a.png scale=2 range=0,4095"));
        assertEquals(new VarCommand.Reconstruct(Path.of("a.png"), "auto", "auto", 8), line("reconstruct a.png batch=8"), "tiles per model call");
    }

    // ---------------------------------------------------------------- edits

    @Test
    void inpaintOutpaintEdit() {
        assertEquals(new VarCommand.Edit(EditMode.INPAINT, Path.of("a.png"), "0.25,0.25,0.75,0.75", null, 0, null, null, "auto", "auto"),
                line("inpaint a.png box=0.25,0.25,0.75,0.75"));
        assertEquals(new VarCommand.Edit(EditMode.OUTPAINT, Path.of("a.png"), "0,0,0.5,1", "2", 7, null, null, "auto", "auto"),
                line("outpaint a.png box=0,0,0.5,1 class=2 seed=7"));
        assertEquals(new VarCommand.Edit(EditMode.CLASS_EDIT, Path.of("a.png"), "0.5,0,1,1", "Sneaker", 0, null, null, "auto", "auto"),
                line("edit a.png box=0.5,0,1,1 class=Sneaker"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            inpaint box=0,0,1,1 | inpaint | missing PATH
            inpaint a.png | inpaint | give exactly one of box=y0,x0,y1,x1 (fractions), rect=x,y,w,h (pixels)
            outpaint a.png | outpaint | or extend=left=64
            inpaint a.png box=0,0,1,1 rect=1,1,2,2 | inpaint | give exactly one of
            edit a.png box=0,0,1,1 | edit | missing class=
            inpaint a.png box=0.1,0.2,0.3 | inpaint | box must be four fractions y0,x0,y1,x1 (e.g. 0.25,0.25,0.75,0.75), got '0.1,0.2,0.3'
            outpaint a.png box=a,b,c,d | outpaint | box must be four fractions
            edit a.png box=0.5,0,0.4,1 class=1 | edit | box must be y0,x0,y1,x1 as fractions with 0 <= y0 < y1 <= 1
            inpaint a.png box=0,0,1,2 | inpaint | x1 <= 1
            edit a.png box=0,0,1,1 class=1 cfg=2 | edit | unknown option cfg=; options are box, class, range, rect, scale, seed
            inpaint a.png box=0,0,1,1 seed=x | inpaint | seed must be a whole number, got 'x'
            """)
    void editErrors(String args, String command, String problem) {
        lineError(args, command, problem);
    }

    // ---------------------------------------------------------------- train

    @Test
    void trainReadsKeyValueLines() {
        String body = "# a small run\n"
                + "data=/usr/share/datasets/fashion-mnist\n"
                + "\n"
                + "  steps = $steps   # quick or full\n"
                + "batch=32\n"
                + "out=tok.zip\n";
        VarCommand.Train t = (VarCommand.Train) cell("train tokenizer", body);
        assertEquals("tokenizer", t.phase());
        assertEquals(Map.of("data", "/usr/share/datasets/fashion-mnist", "steps", "40", "batch", "32", "out", "tok.zip"), t.options());
        assertEquals(List.of("data", "steps", "batch", "out"), List.copyOf(t.options().keySet()));

        VarCommand.Train v = (VarCommand.Train) cell("train", "tokenizer=tok.zip\r\nsteps=5");
        assertEquals("var", v.phase());
        assertEquals(Map.of("tokenizer", "tok.zip", "steps", "5"), v.options());
        assertEquals(Map.of("steps", "5", "seed", "3"), ((VarCommand.Train) cell("train var seed=3", "steps=5")).options());
    }

    @Test
    void trainErrors() {
        cellError("train raster", "steps=1", "what to train must be tokenizer or var, got 'raster'");
        cellError("train", "steps=10\nbatch 32", "line 2 of the cell, 'batch 32', is not key=value");
        cellError("train", "=3", "line 1 of the cell, '=3', is not key=value");
        cellError("train", "steps=1\nsteps=2", "steps= is given twice");
        cellError("train steps=1", "steps=2", "steps= is given twice");
        cellError("train", "steps=$nope", "unknown variable $nope");
        cellError("train tokenizer var", "steps=1", "too many arguments: tokenizer var");

        VarMagicError asLine = assertThrows(VarMagicError.class, () -> line("train steps=3"));
        assertOneLineWith(asLine.getMessage(), "%var train is a cell magic: put %%var train on the first line");
        VarMagicError other = assertThrows(VarMagicError.class, () -> cell("generate", "class=1"));
        assertOneLineWith(other.getMessage(), "%%var only runs train; write %var generate ... as a line magic");
        VarMagicError none = assertThrows(VarMagicError.class, () -> VarSyntax.parseCell(List.of(), "x=1", LOOKUP));
        assertOneLineWith(none.getMessage(), "%%var only runs train (usage: ");
    }
}
