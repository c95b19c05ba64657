package org.nextscale.spark;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.api.Devices;
import org.nextscale.core.api.TokenPyramid;
import org.nextscale.core.api.TrainEvent;
import org.nextscale.core.api.TrainListener;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.data.ImageFiles;
import org.nextscale.core.train.TokenFile;
import org.nextscale.core.train.TrainOptions;
import org.nextscale.core.train.Training;

/** The jobs on local[2] over 200 Fashion-MNIST PNGs (20 per class), against core run image by image. */
class SparkJobsTest {
    @TempDir
    static Path dir;
    static SparkSession spark;
    static Path images, small, table;
    static final Path MODEL = Path.of(System.getProperty("nextscale.repo", ".."), "models/fashion-mnist.zip");
    static String tokenizeSummary;

    record Run(int rc, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int rc = SparkMain.execute(spark, new PrintStream(o, true), new PrintStream(e, true), args);
        return new Run(rc, o.toString(StandardCharsets.UTF_8).trim(), e.toString(StandardCharsets.UTF_8).trim());
    }

    @BeforeAll
    static void start() throws IOException {
        spark = SparkMain.start("local[2]", "nextscale-test");
        images = BenchJob.writePngs(dir.resolve("images"), 200);
        small = dir.resolve("small/shirts");
        Files.createDirectories(small);
        try (var s = Files.list(images.resolve("Shirt"))) {
            for (Path p : s.sorted().limit(4).toList()) Files.copy(p, small.resolve(p.getFileName()));
        }
        Files.writeString(small.resolve("broken.png"), "not a png");
        byte[] png = Files.readAllBytes(small.resolve(Files.list(small).filter(p -> !p.toString().contains("broken")).findFirst().orElseThrow().getFileName()));
        Files.write(small.resolve("truncated.png"), java.util.Arrays.copyOf(png, png.length / 3));
        table = dir.resolve("tokens.parquet");
        Run r = run("tokenize", "--input", images.toString(), "--output", table.toString(), "--model", MODEL.toString(), "--batch", "16",
                "--partitions", "3", "--psnr");
        assertEquals(0, r.rc(), r.err());
        tokenizeSummary = r.out();
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    @Test
    void tokenizeGivesCoresTokensImageByImage() throws IOException {
        assertTrue(Files.exists(table.resolve("_SUCCESS")), "Spark's _SUCCESS marker");
        assertTrue(tokenizeSummary.startsWith("tokenize: 200 images"), tokenizeSummary);
        List<Row> rows = spark.read().parquet(table.toString()).collectAsList();
        assertEquals(200, rows.size());
        var meta = spark.read().parquet(table.toString()).schema().apply("tokens").metadata();
        List<String> classes;
        try (var s = Files.list(images)) {
            classes = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        try (VarModel m = VarModel.load(MODEL, Devices.parse("cpu"))) {
            assertEquals(TokenFile.tokenizerId(org.nextscale.core.model.ModelFile.load(MODEL).config(),
                    org.nextscale.core.model.ModelFile.load(MODEL).weights()), meta.getString(TokenizeJob.TOKENIZER_ID));
            for (Row r : rows) {
                Path p = Path.of(java.net.URI.create(r.getString(0)));
                assertNull(r.getAs("error"), p.toString());
                assertEquals(p.getParent().getFileName().toString(), r.getString(1));
                assertEquals(classes.indexOf(r.getString(1)), r.getInt(2));
                assertEquals(28, (int) r.getAs("width"));
                TokenPyramid want = m.tokenize(ImageFiles.read(p));
                List<int[]> got = TokenSidecar.perScale(r.getList(5));
                assertEquals(want.numScales(), got.size());
                for (int k = 0; k < got.size(); k++) assertArrayEquals(want.tokens().get(k), got.get(k), p + " scale " + k);
                double psnr = r.getAs("psnr");
                assertTrue(psnr > 15 && psnr < 60, "psnr " + psnr);
            }
        }
        TokenFile.Contents c = TokenFile.read(table);
        assertEquals(200, c.size());
        assertEquals(classes, c.classNames());
    }

    @Test
    void trainOnTheTokenTableMatchesTrainOnTheImages() throws IOException {
        List<Double> fromImages = train("data", images.toString(), "a.zip");
        List<Double> fromTokens = train("tokens", table.toString(), "b.zip");
        assertEquals(4, fromImages.size());
        assertEquals(fromImages, fromTokens);
        // a table from another tokenizer is refused before training
        Path other = dir.resolve("other.safetensors");
        try (var o = Files.newOutputStream(other)) {
            TokenFile.Writer w = new TokenFile.Writer(o, 1, "0123456789abcdef", List.of(1, 2, 3, 4, 6, 8), List.of("a"));
            w.add(0, List.of(new int[1], new int[4], new int[9], new int[16], new int[36], new int[64]));
            w.finish();
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> train("tokens", other.toString(), "c.zip"));
        assertTrue(e.getMessage().contains("made with another tokenizer"), e.getMessage());
    }

    private static List<Double> train(String key, String value, String out) throws IOException {
        List<Double> losses = new ArrayList<>();
        Map<String, String> o = new TreeMap<>(Map.of("tokenizer", MODEL.toString(), key, value, "steps", "4", "batch", "8",
                "depth", "1", "width", "32", "heads", "2", "checkpoint_every", "0", "out", dir.resolve(out).toString()));
        Training.trainVar(TrainOptions.parse(o), new TrainListener() {
            @Override public void onStep(TrainEvent e) { losses.add(e.loss()); }
        }, null);
        return losses;
    }

    @Test
    void generateGivesTheSameImagesWithOneAndFourPartitions() throws IOException {
        Map<String, byte[]> one = generate("1", "2");
        ModelPool.clear();
        int loads = ModelPool.loads();
        Map<String, byte[]> four = generate("4", "2");
        // four blocks of at most 2 samples (3 per class), in four tasks, two at a time on local[2]: one model in the
        // JVM, shared by the concurrent tasks
        assertEquals(1, ModelPool.loads() - loads, "models loaded for four partitions");
        assertEquals(6, one.size());
        assertEquals(one.keySet(), four.keySet());
        for (String k : one.keySet()) assertArrayEquals(one.get(k), four.get(k), k);
        assertEquals(6, spark.read().parquet(dir.resolve("gen-1-2/index").toString()).where("error IS NULL").count());
        // a block is one core call with the seed in the index: sample 2 of Sneaker is the second block's only image
        Row row = spark.read().parquet(dir.resolve("gen-1-2/index").toString()).where("class_name = 'Sneaker' AND index = 2").first();
        assertEquals(Job.seed(7, 7, 1), row.<Long>getAs("seed"));
        try (VarModel m = VarModel.load(MODEL, Devices.parse("cpu"))) {
            var want = m.generate(new org.nextscale.core.api.SampleOptions(7, 1, 1.5, 0, 0, row.<Long>getAs("seed"), false, 2),
                    org.nextscale.core.api.ProgressListener.NONE, org.nextscale.core.api.CancelToken.none()).get(0);
            var got = ImageFiles.read(dir.resolve("gen-1-2/images/Sneaker/sample-00002.png"));
            assertEquals(want.data().length, got.data().length);
            for (int i = 0; i < want.data().length; i++)
                assertEquals(Math.round(want.data()[i] * 255), Math.round(got.data()[i] * 255), 1, "pixel " + i);
        }
        // the default batch (32) draws each class's 3 samples in one call: one seed per class
        assertEquals(one.keySet(), generate("4", "32").keySet());
        assertEquals(2, spark.read().parquet(dir.resolve("gen-4-32/index").toString()).select("seed").distinct().count());
    }

    private static Map<String, byte[]> generate(String partitions, String batch) throws IOException {
        Path out = dir.resolve("gen-" + partitions + "-" + batch);
        Run r = run("generate", "--classes", "1,Sneaker", "--per-class", "3", "--seed", "7", "--output", out.toString(),
                "--partitions", partitions, "--batch", batch, "--model", MODEL.toString());
        assertEquals(0, r.rc(), r.err());
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        Map<String, byte[]> m = new TreeMap<>();
        try (var s = Files.walk(out.resolve("images"))) {
            for (Path p : s.filter(Files::isRegularFile).toList()) m.put(out.relativize(p).toString(), Files.readAllBytes(p));
        }
        assertTrue(m.containsKey("images/Sneaker/sample-00002.png"), m.keySet().toString());
        return m;
    }

    @Test
    void aTaskRunsOnTheGpuSparkGaveIt() {
        String[] gpu1 = {"1"};
        assertEquals("gpu:1", ModelPool.deviceFor("auto", gpu1));
        assertEquals("gpu:1", ModelPool.deviceFor(null, gpu1));
        assertEquals("gpu:1", ModelPool.deviceFor("GPU", gpu1));
        assertEquals("gpu:2", ModelPool.deviceFor("gpu", new String[] {"2", "3"}));
        assertEquals("cpu", ModelPool.deviceFor("cpu", gpu1), "an explicit choice stands");
        assertEquals("gpu:0", ModelPool.deviceFor("gpu:0", gpu1), "an explicit choice stands");
        assertEquals("auto", ModelPool.deviceFor("auto", new String[0]), "no GPU scheduled: the job's own choice");
        assertEquals("auto", ModelPool.deviceFor("auto", null));
    }

    @Test
    void unreadableImagesBecomeErrorRowsAndTheJobGoesOn() {
        Path out = dir.resolve("small-tokens");
        Run r = run("tokenize", "--input", small.toString(), "--output", out.toString(), "--model", MODEL.toString());
        assertEquals(0, r.rc(), r.err());
        assertTrue(r.out().contains("6 images") && r.out().contains("2 could not be read"), r.out());
        List<Row> bad = spark.read().parquet(out.toString()).where("error IS NOT NULL").collectAsList();
        assertEquals(2, bad.size());
        assertTrue(bad.get(0).getString(bad.get(0).fieldIndex("error")).contains("image"), bad.toString());
    }

    @Test
    void aParquetTableOfImageBytesIsAnInputToo() {
        Path in = dir.resolve("images.parquet"), out = dir.resolve("from-table");
        spark.read().format("binaryFile").load(images.resolve("Bag").toString()).limit(5)
                .select(org.apache.spark.sql.functions.col("path"), org.apache.spark.sql.functions.col("content").as("pixels"))
                .write().parquet(in.toString());
        Run r = run("tokenize", "--input", in.toString(), "--output", out.toString(), "--model", MODEL.toString());
        assertTrue(r.err().contains("no binary column 'image'") && r.err().contains("--image-column"), r.err());
        r = run("tokenize", "--input", in.toString(), "--image-column", "pixels", "--output", out.toString(), "--model", MODEL.toString());
        assertEquals(0, r.rc(), r.err());
        List<Row> got = spark.read().parquet(out.toString()).collectAsList();
        Map<String, String> want = new TreeMap<>();
        for (Row w : spark.read().parquet(table.toString()).where("class = 'Bag'").collectAsList()) want.put(w.getString(0), w.getList(5).toString());
        assertEquals(5, got.size());
        for (Row g : got) assertEquals(want.get(g.getString(0)), g.getList(5).toString(), g.getString(0));
    }

    @Test
    void reconstructAndEditWriteImagesAndAnIndex() throws IOException {
        Path rec = dir.resolve("rec");
        Run r = run("reconstruct", "--input", small.toString(), "--output", rec.toString(), "--model", MODEL.toString(), "--batch", "3");
        assertEquals(0, r.rc(), r.err());
        assertTrue(Files.exists(rec.resolve("_SUCCESS")));
        List<Row> idx = spark.read().parquet(rec.resolve("index").toString()).where("error IS NULL").collectAsList();
        assertEquals(4, idx.size());
        for (Row row : idx) {
            assertTrue(row.<Double>getAs("psnr") > 15, row.toString());
            assertTrue(Files.isRegularFile(Path.of(java.net.URI.create(row.getAs("path_out")))), row.toString());
        }
        Path edit = dir.resolve("edit");
        r = run("edit", "--mode", "inpaint", "--box", "0.3,0.3,0.7,0.7", "--input", small.toString(), "--output", edit.toString(),
                "--model", MODEL.toString(), "--format", "tif");
        assertEquals(0, r.rc(), r.err());
        List<Row> e = spark.read().parquet(edit.resolve("index").toString()).where("error IS NULL").collectAsList();
        assertEquals(4, e.size());
        assertEquals("inpaint", e.get(0).getAs("mode"));
        assertTrue(((String) e.get(0).getAs("path_out")).endsWith(".tif"));
        // a class edit with a mask image: the pixels outside the mask stay as they were
        float[] m = new float[28 * 28];
        for (int y = 8; y < 20; y++) for (int x = 8; x < 20; x++) m[y * 28 + x] = 1f;
        Path mask = dir.resolve("mask.png");
        ImageFiles.write(new org.nextscale.core.api.Image(1, 28, 28, m), mask);
        Path cls = dir.resolve("class-edit");
        r = run("edit", "--mode", "class", "--class", "Bag", "--mask", mask.toString(), "--input", small.toString(), "--output", cls.toString(),
                "--model", MODEL.toString());
        assertEquals(0, r.rc(), r.err());
        Row c = spark.read().parquet(cls.resolve("index").toString()).where("error IS NULL").orderBy("path_in").first();
        var before = ImageFiles.read(Path.of(java.net.URI.create(c.getAs("path_in"))));
        var after = ImageFiles.read(Path.of(java.net.URI.create(c.getAs("path_out"))));
        assertEquals(before.data()[0], after.data()[0]);
        assertEquals(before.data()[27 * 28 + 27], after.data()[27 * 28 + 27]);
        assertEquals("class", c.getAs("mode"));
    }

    @Test
    void imagesLargerThanTheModelAreTokenizedInTilesAndReconstructedAtTheirOwnSize() throws IOException {
        // a 16-bit 96x64 mosaic of six garments at 12-bit values: tiles at its own resolution, back in its own range
        Path big = dir.resolve("big/mosaic");
        Files.createDirectories(big);
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(96, 64, java.awt.image.BufferedImage.TYPE_USHORT_GRAY);
        List<Path> shirts;
        try (var st = Files.list(images.resolve("Shirt"))) {
            shirts = st.sorted().limit(6).toList();
        }
        for (int i = 0; i < 6; i++) {
            var g = ImageFiles.read(shirts.get(i));
            for (int y = 0; y < 28; y++)
                for (int x = 0; x < 28; x++) img.getRaster().setSample((i % 3) * 32 + 2 + x, (i / 3) * 32 + 2 + y, 0, Math.round(g.get(0, y, x) * 4095));
        }
        javax.imageio.ImageIO.write(img, "tiff", big.resolve("cells.tif").toFile());
        Path t = dir.resolve("big-tokens");
        Run r = run("tokenize", "--input", big.toString(), "--output", t.toString(), "--model", MODEL.toString());
        assertEquals(0, r.rc(), r.err());
        List<Row> rows = spark.read().parquet(t.toString()).orderBy("tile_row", "tile_col").collectAsList();
        assertEquals(6, rows.size(), "one row per 32 px tile");
        assertEquals(64, (int) rows.get(2).getAs("tile_x"));
        assertEquals(32, (int) rows.get(4).getAs("tile_y"));
        Path rec = dir.resolve("big-rec");
        r = run("reconstruct", "--input", big.toString(), "--output", rec.toString(), "--model", MODEL.toString(), "--format", "tif");
        assertEquals(0, r.rc(), r.err());
        Row row = spark.read().parquet(rec.resolve("index").toString()).first();
        assertTrue(row.<Double>getAs("psnr") > 20, row.toString());
        var back = javax.imageio.ImageIO.read(Path.of(java.net.URI.create(row.getAs("path_out"))).toFile());
        assertEquals(96, back.getWidth());
        assertEquals(16, back.getColorModel().getComponentSize(0), "written back as 16-bit");
        int max = 0;
        for (int y = 0; y < 64; y++) for (int x = 0; x < 96; x++) max = Math.max(max, back.getRaster().getSample(x, y, 0));
        assertTrue(max > 2000 && max <= 4095, "in the image's 12-bit range: max " + max);
        Path wider = dir.resolve("big-wider");
        r = run("edit", "--mode", "outpaint", "--extend", "right=32", "--input", big.toString(), "--output", wider.toString(), "--model",
                MODEL.toString(), "--format", "tif");
        assertEquals(0, r.rc(), r.err());
        Row w = spark.read().parquet(wider.resolve("index").toString()).first();
        var grown = javax.imageio.ImageIO.read(Path.of(java.net.URI.create(w.getAs("path_out"))).toFile());
        assertEquals(128, grown.getWidth(), "the canvas grew by 32 px");
        assertEquals(img.getRaster().getSample(40, 40, 0), grown.getRaster().getSample(40, 40, 0), "the image is kept");
        r = run("reconstruct", "--input", big.toString(), "--output", dir.resolve("bad").toString(), "--scale", "huge");
        assertEquals(1, r.rc());
        assertTrue(r.err().contains("scale must be auto, fit, or"), r.err());
    }

    @Test
    void samplingDefaultsComeFromTheCoresOnePlace() {
        org.nextscale.core.api.SampleOptions d = org.nextscale.core.api.SampleOptions.defaults();
        for (String job : new String[] {"generate", "edit"}) {
            Run r = run(job, "--help");
            assertEquals(0, r.rc(), r.err());
            assertTrue(r.out().contains("classifier-free guidance (default: " + d.cfg() + ")"), r.out());
            assertTrue(r.out().contains("top-p, 0 or 1 = off (default: " + d.topP() + ")"), r.out());
        }
    }

    @Test
    void badInputIsOneClearLineBeforeAnyWork() throws IOException {
        Path notModel = dir.resolve("not-a-model.zip");
        Files.writeString(notModel, "hello");
        Run r = run("tokenize", "--input", small.toString(), "--output", dir.resolve("x").toString(), "--model", notModel.toString());
        assertEquals(1, r.rc());
        assertTrue(r.err().startsWith("nextscale spark tokenize: model " + notModel + " is not a nextscale model file"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(Files.exists(dir.resolve("x")));
        r = run("tokenize", "--input", small.toString(), "--output", table.toString(), "--model", MODEL.toString());
        assertEquals(1, r.rc());
        assertTrue(r.err().contains("already exists: give --overwrite"), r.err());
        r = run("generate", "--classes", "Unicorn", "--per-class", "1", "--output", dir.resolve("y").toString(), "--model", MODEL.toString());
        assertTrue(r.err().contains("class 'Unicorn' does not exist"), r.err());
        r = run("tokenize", "--input", dir.resolve("nowhere").toString(), "--output", dir.resolve("z").toString());
        assertTrue(r.err().contains("does not exist"), r.err());
    }
}
