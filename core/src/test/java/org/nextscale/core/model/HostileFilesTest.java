package org.nextscale.core.model;

import static org.junit.jupiter.api.Assertions.*;
import static org.nextscale.core.model.ForgedFiles.forgedSafetensors;
import static org.nextscale.core.model.ForgedFiles.rewrite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.TestPaths;
import org.nextscale.core.io.SafeTensors;

/**
 * Campaign 3 (issue 12): hostile files are refused with one line and nothing run, written or allocated
 * on their word. A pickle may only name tensor-rebuild globals; a zip entry may not point outside the
 * archive; a tensor's declared size is checked against the bytes really in the file before memory is taken
 * for it (the forged sizes here are 1.6 GB, so an allocation before the check would end in OutOfMemoryError).
 */
class HostileFilesTest {
    @TempDir
    Path dir;

    private static int refused;

    private IOException pthError(TorchSaveWriter w, String name) throws IOException {
        Path file = dir.resolve(name);
        w.write(file, "archive");
        IOException e = assertThrows(IOException.class, () -> PthReader.readStateDict(file, List.of()));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        refused++;
        return e;
    }

    @Test
    void picklesCallingOtherGlobalsAreRefusedAndNothingRuns() throws IOException {
        Path marker = dir.resolve("pwned");
        // {'w': os.system('touch pwned')} through GLOBAL + REDUCE
        TorchSaveWriter reduce = new TorchSaveWriter();
        reduce.op('}').op('(').str("w").global("os", "system").str("touch " + marker).op('\u0085').op('R').op('u');
        IOException e = pthError(reduce, "reduce.pth");
        assertEquals("reduce.pth: refused: its pickle calls os.system, which is not a tensor-rebuild function; nothing was run."
                + " A checkpoint should hold only tensors: save one with torch.save(model.state_dict(), path)", e.getMessage());

        // builtins.eval through STACK_GLOBAL (protocol 4)
        TorchSaveWriter stackGlobal = new TorchSaveWriter();
        stackGlobal.op('}').op('(').str("w").str("builtins").str("eval").op('\u0093').str("open('" + marker + "','w')").op('\u0085').op('R').op('u');
        assertTrue(pthError(stackGlobal, "stack.pth").getMessage().contains("calls builtins.eval"));

        // INST opcode: (mark, "os\nsystem\n", arguments)
        TorchSaveWriter inst = new TorchSaveWriter();
        inst.op('(').str("touch " + marker).op('i');
        for (char c : "os\nsystem\n".toCharArray()) inst.op(c);
        assertTrue(pthError(inst, "inst.pth").getMessage().contains("calls os.system"));

        // posix.system, the name os.system pickles to on Linux
        TorchSaveWriter posix = new TorchSaveWriter();
        posix.op('}').op('(').str("w").global("posix", "system").str("touch " + marker).op('\u0085').op('R').op('u');
        assertTrue(pthError(posix, "posix.pth").getMessage().contains("calls posix.system"));

        assertFalse(Files.exists(marker), "nothing was executed");
    }

    @Test
    void tensorSizesAreCheckedAgainstTheFileBeforeAnyMemoryIsTaken() throws IOException {
        byte[] twelve = TorchSaveWriter.floats(new float[12]);
        TorchSaveWriter view = new TorchSaveWriter().storage("0", twelve);
        view.op('}').op('(').str("w").tensor("FloatStorage", "0", 12, 0, new long[] {20000, 20000}, new long[] {20000, 1}).op('u');
        assertTrue(pthError(view, "view.pth").getMessage().contains("reads past the end of its storage (12 elements in the file)"));

        TorchSaveWriter storage = new TorchSaveWriter().storage("0", twelve);
        storage.op('}').op('(').str("w").tensor("FloatStorage", "0", 400_000_000, 0, new long[] {12}, new long[] {1}).op('u');
        assertTrue(pthError(storage, "storage.pth").getMessage().contains("storage 0 is truncated or forged (48 bytes in the file, 1600000000 declared)"));

        TorchSaveWriter huge = new TorchSaveWriter().storage("0", twelve);
        huge.op('}').op('(').str("w").tensor("FloatStorage", "0", 12, 0, new long[] {1 << 20, 1 << 20}, new long[] {1 << 20, 1}).op('u');
        assertTrue(pthError(huge, "huge.pth").getMessage().contains("more than one tensor can hold"));

        // safetensors: a header claiming 1.6 GB in a file of a few bytes
        Path st = dir.resolve("forged.safetensors");
        Files.write(st, forgedSafetensors(400_000_000));
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(st));
        assertTrue(e.getMessage().contains("truncated: tensor 'w' ends at byte") && e.getMessage().contains("but the file ends at byte"), e.getMessage());
        refused++;

        // the same inside a model file
        Path model = TestPaths.parityModel("tiny-a", dir);
        Path forgedModel = dir.resolve("forged.zip");
        rewrite(model, forgedModel, Map.of(ModelFile.WEIGHTS_ENTRY, forgedSafetensors(400_000_000)));
        e = assertThrows(IOException.class, () -> ModelFile.load(forgedModel));
        assertTrue(e.getMessage().startsWith("forged.zip: weights.safetensors: truncated"), e.getMessage());
        refused++;
    }

    @Test
    void zipEntriesPointingOutsideTheArchiveAreRefused() throws IOException {
        Path model = TestPaths.parityModel("tiny-a", dir);
        Path sub = Files.createDirectories(dir.resolve("models"));
        Path slip = sub.resolve("slip.zip");
        rewrite(model, slip, Map.of("../x", "escaped".getBytes(StandardCharsets.UTF_8)));
        IOException e = assertThrows(IOException.class, () -> ModelFile.load(slip));
        assertEquals("slip.zip: refused: it holds an entry named '../x', a path outside the archive (a damaged or tampered model file;"
                + " use the original file)", e.getMessage());
        assertThrows(IOException.class, () -> ModelFile.readConfig(slip));
        refused += 2;
        assertFalse(Files.exists(dir.resolve("x")), "nothing written outside");

        ModelFile.Loaded ok = ModelFile.load(model);
        for (String bad : List.of("../x", "/etc/x", "a/../../x", "C:\\x")) {
            ModelFile.Loaded withExtra = new ModelFile.Loaded(ok.config(), ok.weights(), ok.metadata(), Map.of(bad, new byte[1]));
            assertThrows(IllegalArgumentException.class, () -> ModelFile.save(dir.resolve("out.zip"), withExtra, false), bad);
            refused++;
        }
        assertFalse(Files.exists(dir.resolve("out.zip")));
    }

    @AfterAll
    static void count() {
        System.out.println("hostile files: " + refused + " refused, 0 executed, 0 written outside, 0 allocated before the size check");
    }
}
