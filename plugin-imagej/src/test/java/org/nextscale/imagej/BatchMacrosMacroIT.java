package org.nextscale.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real run: ImageJ 1.54p under Xvfb, with the packaged plain-ImageJ folder (target/imagej) as its
 * ImageJ folder, executes the batch macros of src/macros on a folder of images. A macro error opens a
 * modal dialog that nobody closes, so every run is wrapped in `timeout`; and a failing run can still
 * exit 0, so the assertions are on the files written.
 */
class BatchMacrosMacroIT {
    private static Path imagej;
    private static Path macros;
    private static Path model;

    @TempDir
    static Path work;

    @BeforeAll
    static void setUp() throws Exception {
        imagej = HeadlessImageJ.imagejDir();
        macros = TestModels.repo().resolve("src/macros");
        model = TestModels.tinyA();
        HeadlessImageJ.ensureXvfb();
    }

    @Test
    void inpaintFolderWritesOneInpaintedImagePerInput() throws Exception {
        Path in = Files.createDirectories(work.resolve("inpaint-in"));
        Path out = work.resolve("inpaint-out");
        List<BufferedImage> inputs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            BufferedImage img = gray(28, 28, i);
            inputs.add(img);
            ImageIO.write(img, "png", in.resolve("img" + i + ".png").toFile());
        }
        BufferedImage mask = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 8; y < 20; y++) for (int x = 6; x < 22; x++) mask.getRaster().setSample(x, y, 0, 255);
        Path maskFile = work.resolve("mask.png");
        ImageIO.write(mask, "png", maskFile.toFile());

        String log = runMacro("inpaint_folder.ijm", "input=[" + in + "] mask=[" + maskFile + "] output=[" + out + "] model=[" + model + "] seed=2");

        for (int i = 0; i < 3; i++) {
            File f = out.resolve("img" + i + ".png").toFile();
            assertTrue(f.isFile(), "missing " + f + "; ImageJ said:\n" + log);
            BufferedImage r = ImageIO.read(f);
            assertEquals(28, r.getWidth(), "the result keeps the input's size");
            assertEquals(28, r.getHeight());
            assertEquals(1, r.getRaster().getNumBands(), "an 8-bit gray input gives an 8-bit gray result");
            assertFalse(samePixels(inputs.get(i), r, 8, 20, 6, 22), "nothing changed inside the mask of img" + i);
        }
        assertTrue(log.contains("inpaint_folder: 3 image(s) written"), log);
    }

    @Test
    void generatePerClassWritesCountImagesForEachClass() throws Exception {
        Path out = work.resolve("generated");
        String log = runMacro("generate_per_class.ijm", "output=[" + out + "] classes=[0,7] count=2 seed=1 model=[" + model + "]");
        for (String cls : List.of("0", "7"))
            for (int n = 1; n <= 2; n++) {
                File f = out.resolve("class" + cls + "_" + n + ".png").toFile();
                assertTrue(f.isFile(), "missing " + f + "; ImageJ said:\n" + log);
                BufferedImage r = ImageIO.read(f);
                assertEquals(32, r.getWidth(), "generated images have the model's size");
                assertEquals(3, r.getRaster().getNumBands(), "the RGB model makes RGB images");
            }
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(4, s.count());
        }
    }

    @Test
    void tokenizeFolderWritesTokenTablesMapsAndReconstructions() throws Exception {
        Path in = Files.createDirectories(work.resolve("tok-in"));
        Path out = work.resolve("tok-out");
        ImageIO.write(gray(28, 28, 5), "png", in.resolve("fashion.png").toFile());
        BufferedImage rgb = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 30; y++) for (int x = 0; x < 40; x++) rgb.setRGB(x, y, (x * 6 << 16) | (y * 8 << 8) | 90);
        ImageIO.write(rgb, "png", in.resolve("colour.png").toFile());

        String log = runMacro("tokenize_folder.ijm", "input=[" + in + "] output=[" + out + "] model=[" + model + "]");

        for (String name : List.of("fashion", "colour")) {
            Path csv = out.resolve(name + "_tokens.csv");
            assertTrue(Files.isRegularFile(csv), "missing " + csv + "; ImageJ said:\n" + log);
            List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
            // the 40x30 image is larger than the 32 px model: two tiles at its own resolution, each with its 130 tokens
            int tiles = name.equals("colour") ? 2 : 1;
            assertEquals(1 + tiles * 130, lines.size(), "a header and one row per token of scales 1,2,3,4,6,8, per tile");
            if (tiles == 2) assertTrue(lines.get(0).contains("Tile_X"), lines.get(0));
            assertEquals(tiles == 1, Files.isRegularFile(out.resolve(name + "_scales.tif")), "coarse to fine for an image in one tile");
            assertTrue(lines.get(0).contains("Token"), lines.get(0));
            assertTrue(Files.isRegularFile(out.resolve(name + "_tokens.tif")), "missing token maps of " + name);
            Path png = out.resolve(name + "_reconstructed.png");
            assertTrue(Files.isRegularFile(png), "missing " + png);
        }
        for (String name : List.of("fashion")) {
            ij.ImagePlus scales = new ij.io.Opener().openImage(out.resolve(name + "_scales.tif").toString());
            assertNotNull(scales, "missing coarse-to-fine stack of " + name + "; ImageJ said:\n" + log);
            assertEquals(6, scales.getStackSize(), "one slice per scale");
            assertEquals("scale 6: 8x8", scales.getStack().getSliceLabel(6));
        }
        // the last scale is the reconstruction (8-bit gray both)
        ij.ImagePlus last = new ij.io.Opener().openImage(out.resolve("fashion_scales.tif").toString());
        last.setSlice(6);
        BufferedImage rec = ImageIO.read(out.resolve("fashion_reconstructed.png").toFile());
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
                assertEquals(rec.getRaster().getSample(x, y, 0), last.getProcessor().get(x, y), "pixel " + x + "," + y);
        assertEquals(40, ImageIO.read(out.resolve("colour_reconstructed.png").toFile()).getWidth());
        assertEquals(28, ImageIO.read(out.resolve("fashion_reconstructed.png").toFile()).getWidth());
        assertTrue(log.matches("(?s).*tokenize_folder: fashion.png reconstructed, PSNR [0-9.]+ dB.*"), "no PSNR in the log:\n" + log);
    }

    @Test
    void trainAndGenerateTrainsBothStagesAndWritesPreviews() throws Exception {
        Path out = work.resolve("trained");
        String log = runMacro("train_and_generate.ijm", "data=[synthetic:32] output=[" + out + "] steps=3 batch=4 count=2 preview_classes=[0,1]"
                + " tokenizer_options=[" + TrainCommandsTest.TOKENIZER_OPTIONS + "] var_options=[" + TrainCommandsTest.VAR_OPTIONS + "]");
        assertTrue(Files.isRegularFile(out.resolve("tokenizer.zip")), "no tokenizer written; ImageJ said:\n" + log);
        assertTrue(Files.isRegularFile(out.resolve("model.zip")), "no model written; ImageJ said:\n" + log);
        int side = org.nextscale.core.model.ModelFile.readConfig(out.resolve("model.zip")).imageSize();
        for (String cls : List.of("0", "1")) {
            Path preview = out.resolve("preview_class" + cls + ".tif");
            assertTrue(Files.isRegularFile(preview), "missing " + preview + "; ImageJ said:\n" + log);
            ij.ImagePlus imp = new ij.io.Opener().openImage(preview.toString());
            assertEquals(2, imp.getStackSize(), "count=2 images per class");
            assertEquals(side, imp.getWidth(), "previews have the trained model's size");
        }
    }

    @Test
    void packagedFoldersHaveTheFijiAndImageJLayouts() throws IOException {
        Path fiji = Path.of(System.getProperty("nextscale.fiji.dir", "target/fiji")).toAbsolutePath();
        for (Path pluginDir : List.of(fiji.resolve("plugins"), imagej.resolve("plugins"))) {
            Path jar;
            try (Stream<Path> s = Files.list(pluginDir)) {
                jar = s.filter(p -> p.getFileName().toString().matches("nextscale_VAR.*\\.jar")).findFirst().orElseThrow();
            }
            try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(jar.toFile())) {
                String index = new String(z.getInputStream(z.getEntry("META-INF/json/org.scijava.plugin.Plugin")).readAllBytes(), StandardCharsets.UTF_8);
                for (Class<?> c : PluginIndexTest.COMMANDS.values()) assertTrue(index.contains(c.getName()), c + " missing from the index of " + jar);
                String config = new String(z.getInputStream(z.getEntry("plugins.config")).readAllBytes(), StandardCharsets.UTF_8);
                for (String label : PluginIndexTest.COMMANDS.keySet()) assertTrue(config.contains("\"" + label + "\""), label);
            }
        }
        List<String> fijiJars = new java.util.ArrayList<>(names(fiji.resolve("jars")));
        List<String> fijiNatives = names(fiji.resolve("jars/linux64"));          // Fiji's folder for linux64's native jars
        assertTrue(fijiNatives.stream().allMatch(n -> n.endsWith("-linux-x86_64.jar")), fijiNatives.toString());
        assertFalse(fijiJars.stream().anyMatch(n -> n.endsWith("-linux-x86_64.jar")), "native jars belong in jars/linux64: " + fijiJars);
        fijiJars.addAll(fijiNatives);
        List<String> imagejJars = names(imagej.resolve("plugins/jars"));
        for (List<String> jars : List.of(fijiJars, imagejJars)) {
            assertTrue(jars.stream().anyMatch(n -> n.startsWith("nextscale-core")), jars.toString());
            assertTrue(jars.stream().anyMatch(n -> n.startsWith("pytorch-native-cpu")), jars.toString());
            assertFalse(jars.stream().anyMatch(n -> n.startsWith("ij-")), "ImageJ itself must not be copied: " + jars);
        }
        assertFalse(fijiJars.stream().anyMatch(n -> n.startsWith("scijava-common")), "Fiji ships scijava-common: " + fijiJars);
        assertTrue(imagejJars.stream().anyMatch(n -> n.startsWith("scijava-common")), "plain ImageJ needs scijava-common: " + imagejJars);
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** Runs one macro of src/macros in ImageJ under Xvfb; returns what ImageJ printed. */
    private static String runMacro(String macro, String args) throws IOException, InterruptedException {
        return HeadlessImageJ.run(macros.resolve(macro), args, work, 300).log();
    }

    private static BufferedImage gray(int w, int h, int seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, (x * 7 + y * 3 + seed * 40) % 256);
        return img;
    }

    private static boolean samePixels(BufferedImage a, BufferedImage b, int y0, int y1, int x0, int x1) {
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++)
                if (a.getRaster().getSample(x, y, 0) != b.getRaster().getSample(x, y, 0)) return false;
        return true;
    }
}
