package org.nextscale.imagej;

import static org.junit.jupiter.api.Assertions.*;

import ij.ImagePlus;
import ij.gui.NewImage;
import ij.gui.Roi;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleService;

/**
 * Campaign 4 of issue 12 (Fiji part): commands started at the same time on one cached model all finish
 * with the images they give when run alone, and cancelling one of them leaves the others untouched.
 */
class ConcurrentCommandsTest {
    private CommandHarness ij;
    private File model;

    @BeforeEach
    void setUp() throws Exception {
        ij = new CommandHarness();
        model = TestModels.tinyA().toFile();
    }

    @AfterEach
    void tearDown() {
        ij.close();
    }

    /** A fresh command: a VAR command is its own SciJava module. */
    private VarCommand module(Class<? extends VarCommand> command) {
        return (VarCommand) ij.context.service(ModuleService.class).createModule(ij.context.service(CommandService.class).getCommand(command));
    }

    private Future<VarCommand> start(VarCommand module, Object... inputs) {
        return ij.context.service(ModuleService.class).run(module, true, inputs);
    }

    @Test
    void commandsStartedTogetherFinishAsIfAloneAndACancelledOneDisturbsNone() throws Exception {
        Object[] generate = {"model", model, "classId", "2", "count", 3, "seed", 8L};
        int[] generatedAlone = pixels(ij.run(GenerateCommand.class, generate).images());
        int[] inpaintedAlone = pixels(ij.run(InpaintCommand.class, "image", image(), "model", model, "seed", 5L).result());

        // the long one is cancelled as soon as it reports progress; the other two must not notice
        VarCommand longOne = module(GenerateCommand.class);
        ij.onProgress = e -> { if (e.command() == longOne) longOne.cancel("stop"); };
        List<Future<VarCommand>> running = new ArrayList<>();
        running.add(start(longOne, "model", model, "classId", "0", "count", 40, "seed", 1L));
        running.add(start(module(GenerateCommand.class), generate));
        running.add(start(module(InpaintCommand.class), "image", image(), "model", model, "seed", 5L));
        GenerateCommand cancelled = (GenerateCommand) running.get(0).get();
        GenerateCommand generated = (GenerateCommand) running.get(1).get();
        InpaintCommand inpainted = (InpaintCommand) running.get(2).get();

        assertTrue(cancelled.isCanceled(), "the long command was not cancelled");
        assertNull(cancelled.images());
        assertNull(generated.failure());
        assertFalse(generated.isCanceled(), () -> generated.getCancelReason());
        assertArrayEquals(generatedAlone, pixels(generated.images()), "generation disturbed by the other commands");
        assertNull(inpainted.failure());
        assertArrayEquals(inpaintedAlone, pixels(inpainted.result()), "in-painting disturbed by the other commands");
        System.out.println("concurrency (Fiji commands): 3 commands at once on one cached model, 1 cancelled, 2 finished with the images of solo runs");
    }

    private static ImagePlus image() {
        ImagePlus in = NewImage.createRGBImage("rgb", 32, 32, 1, NewImage.FILL_RAMP);
        in.setRoi(new Roi(8, 8, 16, 16));
        return in;
    }

    /** Every pixel of every slice, as ImageJ's int RGB or 8-bit values. */
    private static int[] pixels(ImagePlus imp) {
        assertNotNull(imp, "no image");
        List<Integer> all = new ArrayList<>();
        for (int s = 1; s <= imp.getStackSize(); s++) {
            ij.process.ImageProcessor ip = imp.getStack().getProcessor(s);
            for (int i = 0; i < ip.getPixelCount(); i++) all.add(ip.get(i));
        }
        return all.stream().mapToInt(Integer::intValue).toArray();
    }
}
