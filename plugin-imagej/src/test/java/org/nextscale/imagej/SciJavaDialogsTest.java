package org.nextscale.imagej;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.process.ColorProcessor;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nextscale.core.api.ShippedModel;
import org.nextscale.core.model.ModelCard;
import org.scijava.ItemVisibility;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;

/**
 * What SciJava's dialog for a VAR command offers (the harvester shows each input's choices, runs the initializers
 * before it opens and the model's callback when the user picks another file): the model's classes by name, the
 * pixel scales as a list, and a first line naming the model. Scripts keep giving classes by number or name.
 */
class SciJavaDialogsTest {
    private static CommandHarness ij;
    private static File tiny;

    @BeforeAll
    static void start() throws Exception {
        ij = new CommandHarness();
        tiny = TestModels.tinyA().toFile();
    }

    @AfterAll
    static void stop() {
        ij.close();
    }

    /** A fresh module of {@code command} as the dialog gets it: defaults, then its initializers. */
    private static <C extends VarCommand> C initialized(Class<C> command, Object... inputs) throws Exception {
        C c = command.cast(ij.context.service(ModuleService.class).createModule(ij.context.service(CommandService.class).getCommand(command)));
        for (int i = 0; i < inputs.length; i += 2) c.setInput((String) inputs[i], inputs[i + 1]);
        c.initialize();
        return c;
    }

    private static List<String> choices(VarCommand c, String input) {
        return c.getInfo().getInput(input, String.class).getChoices();
    }

    private static String about(VarCommand c) {
        ModuleItem<?> item = c.getInfo().getInput("about");
        assertEquals(ItemVisibility.MESSAGE, item.getVisibility(), c.label() + ": the first line is a message, not a field");
        return String.valueOf(c.getInput("about"));
    }

    @Test
    void generateOffersTheShippedModelsClassesByNameAndNamesTheModel() throws Exception {
        ModelCard shipped = ModelCard.read(ShippedModel.path());
        assertEquals(10, shipped.classes().size());
        GenerateCommand g = initialized(GenerateCommand.class);
        List<String> expected = new ArrayList<>(List.of("unconditional"));
        expected.addAll(shipped.classes());
        assertEquals(expected, choices(g, "classId"));
        assertTrue(choices(g, "classId").contains("Dress"));
        assertEquals(shipped.classes().get(org.nextscale.core.api.SampleOptions.defaults().classId()), g.getInput("classId"),
                "the default class shows as its name");
        GenerateCommand none = initialized(GenerateCommand.class, "classId", "-1");
        assertEquals("unconditional", none.getInput("classId"), "-1 shows as its choice");
        assertTrue(about(g).contains("the shipped model, fashion-mnist.zip (32x32 gray, 10 classes)"), about(g));
        assertEquals(List.of("auto", "yes", "no"), choices(g, "showScales"));
    }

    @Test
    void choosingAnotherModelFileOffersItsClassesAndNamesIt() throws Exception {
        GenerateCommand g = initialized(GenerateCommand.class);
        g.setInput("model", tiny);
        g.getInfo().getInput("model").callback(g);           // what the dialog does when the file changes
        List<String> expected = new ArrayList<>(List.of("unconditional"));
        expected.addAll(ModelCard.read(tiny.toPath()).classes());
        assertEquals(expected, choices(g, "classId"));
        assertTrue(about(g).contains("tiny-a.zip (32x32 colour, 10 classes)"), about(g));
        assertTrue(!about(g).contains("shipped"), about(g));

        GenerateCommand broken = initialized(GenerateCommand.class, "model", new File("no/such/model.zip"));
        assertTrue(about(broken).contains("cannot be read"), about(broken));
        assertEquals(List.of("unconditional"), choices(broken, "classId"), "a model that cannot be read offers no names");
    }

    @Test
    void aClassGivenByNumberShowsAsItsNameAndMakesTheSameImages() throws Exception {
        List<String> names = ModelCard.read(ShippedModel.path()).classes();
        GenerateCommand byNumber = initialized(GenerateCommand.class, "classId", "3");
        assertEquals(names.get(3), byNumber.getInput("classId"));
        GenerateCommand unknown = initialized(GenerateCommand.class, "classId", "Unicorn");
        assertEquals("Unicorn", unknown.getInput("classId"), "a class the model lacks is left for the command to refuse");

        // a script that gives the number and one that gives the name get the same pixels
        GenerateCommand a = ij.run(GenerateCommand.class, "model", tiny, "classId", "3", "count", 2, "seed", 5L, "showScales", "no");
        String name = ModelCard.read(tiny.toPath()).classes().get(3);
        GenerateCommand b = ij.run(GenerateCommand.class, "model", tiny, "classId", name, "count", 2, "seed", 5L, "showScales", "no");
        assertNull(a.failure(), a.failure());
        assertNull(b.failure(), b.failure());
        for (int s = 1; s <= 2; s++)
            assertArrayEquals((int[]) a.images().getStack().getPixels(s), (int[]) b.images().getStack().getPixels(s), "slice " + s);
        assertEquals(name, a.images().getProp("class"), "the result's info names the class");
    }

    @Test
    void editsOfferClassesAndPixelScalesAndClassEditHasNoUnconditional() throws Exception {
        ImagePlus image = new ImagePlus("cells", new ColorProcessor(32, 32));
        List<String> classes = ModelCard.read(ShippedModel.path()).classes();
        for (Class<? extends EditCommand> type : List.of(InpaintCommand.class, OutpaintCommand.class, ClassEditCommand.class)) {
            EditCommand e = initialized(type, "image", image);
            boolean classEdit = type == ClassEditCommand.class;
            assertEquals(classEdit ? classes : concat("unconditional", classes), choices(e, "classId"), e.label());
            assertEquals(classEdit ? classes.get(0) : "unconditional", e.getInput("classId"), e.label());
            assertEquals(List.of("auto", "1", "2", "4", "8", "fit"), choices(e, "scale"), e.label());
            assertTrue(about(e).contains("fashion-mnist.zip"), e.label() + ": " + about(e));
        }
        for (Class<? extends VarCommand> type : List.of(TokenizeCommand.class, ReconstructCommand.class)) {
            VarCommand c = initialized(type, "image", image);
            assertEquals(List.of("auto", "1", "2", "4", "8", "fit"), choices(c, "scale"), c.label());
            assertTrue(about(c).contains("fashion-mnist.zip"), c.label() + ": " + about(c));
        }
        for (Class<? extends TrainCommand> type : List.of(TrainTokenizerCommand.class, TrainVarCommand.class)) {
            TrainCommand t = initialized(type);
            assertTrue(about(t).contains("held out for validation"), t.label() + ": " + about(t));
            assertEquals("both", t.getInfo().getInput("data").getWidgetStyle(), t.label() + ": data is a file or folder chooser");
            assertEquals("save", t.getInfo().getInput("output").getWidgetStyle(), t.label() + ": the output is a save chooser");
        }
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> l = new ArrayList<>(List.of(first));
        l.addAll(rest);
        return l;
    }

    @Test
    void theClassInTheEditsInfoIsTheChosenName() throws Exception {
        Path model = tiny.toPath();
        ImagePlus in = new ImagePlus("rgb", new ColorProcessor(32, 32));
        in.setRoi(8, 8, 16, 16);
        InpaintCommand c = ij.run(InpaintCommand.class, "image", in, "model", model.toFile(), "classId", "2", "showScales", "no");
        assertNull(c.failure(), c.failure());
        assertEquals(ModelCard.read(model).classes().get(2), c.result().getProp("class"));
    }
}
