package org.nextscale.core.train;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.TrainEvent;
import org.nextscale.core.api.TrainListener;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.data.ImageFiles;
import org.nextscale.core.model.ModelFile;

/** A fresh tokenizer takes its side from a data set of equal square images of a preset size, and only then. */
class DataSideTest {
    @TempDir
    Path dir;

    /** {@code n} gray images of side x side in folder {@code name}, each a bright square on a dark ground. */
    private Path images(String name, int n, int... sides) throws Exception {
        Path folder = dir.resolve(name);
        Files.createDirectories(folder);
        for (int i = 0; i < n; i++) {
            int side = sides[i % sides.length];
            float[] px = new float[side * side];
            for (int y = side / 4; y < side / 4 + side / 3; y++)
                for (int x = (i * 3) % (side / 2); x < (i * 3) % (side / 2) + side / 3; x++) px[y * side + x] = 0.9f;
            ImageFiles.write(new Image(1, side, side, px), folder.resolve(String.format("img-%02d.png", i)));
        }
        return folder;
    }

    private static TrainOptions options(Path data, String... more) {
        Map<String, String> m = new java.util.LinkedHashMap<>(Map.of("data", data.toString(), "steps", "1", "batch", "4", "vocab", "32",
                "z", "8", "ch", "32", "checkpoint_every", "0", "eval_every", "0", "preview_every", "0"));
        for (int i = 0; i < more.length; i += 2) m.put(more[i], more[i + 1]);
        return TrainOptions.parse(m);
    }

    @Test
    void equalSquareImagesOfAPresetSizeGiveTheirSideOtherDataTheDefault() throws Exception {
        Path sixtyFour = images("sixty-four", 12, 64);
        assertEquals(64, TokenizerTrainer.dataSide(options(sixtyFour)));
        assertEquals(64, TokenizerTrainer.dataSide(options(sixtyFour, "scale", "fit")));
        assertEquals(0, TokenizerTrainer.dataSide(options(sixtyFour, "image_size", "32")), "a given side stands");
        assertEquals(0, TokenizerTrainer.dataSide(options(sixtyFour, "patch_nums", "1,2,4,8")), "given scales stand");
        assertEquals(0, TokenizerTrainer.dataSide(options(sixtyFour, "scale", "2")), "patches at half resolution keep the default side");
        assertEquals(0, TokenizerTrainer.dataSide(options(images("mixed", 12, 64, 128))), "different sizes train as patches");
        assertEquals(0, TokenizerTrainer.dataSide(options(images("odd", 12, 48))), "48 px has no preset scales");
        assertEquals(0, TokenizerTrainer.dataSide(options(images("default", 12, 32))), "32 px is the default side anyway");
        assertEquals(0, TokenizerTrainer.dataSide(TrainOptions.parse(Map.of("data", "synthetic:16"))));
    }

    @Test
    void aTokenizerTrainedOnSixtyFourPixelImagesIsASixtyFourPixelModel() throws Exception {
        Path data = images("cells", 12, 64);
        List<String> messages = new ArrayList<>();
        Path out = dir.resolve("tok.zip");
        Training.trainTokenizer(options(data, "out", out.toString()), new TrainListener() {
            @Override public void onStep(TrainEvent e) {}
            @Override public void onMessage(String m) { messages.add(m); }
        }, null);
        ModelConfig c = ModelFile.load(out).config();
        assertEquals(64, c.imageSize());
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 8, 10, 13, 16), c.patchNums());
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("model side 64 px, the images' own (every image is 64x64)")), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.contains("12 images 1x64x64")), messages.toString());
    }
}
