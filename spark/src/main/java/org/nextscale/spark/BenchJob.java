package org.nextscale.spark;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.nextscale.core.api.Devices;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.data.FashionMnist;
import org.nextscale.core.data.ImageFiles;
import org.nextscale.core.data.LabeledImages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench}: images/s of {@code tokenize} in one process (VarModel.tokenize in batches, no Spark)
 * and as a Spark job on each of the given masters, over the same folder of images. A Spark run is timed
 * twice: cold (session start, model broadcast and load on the executors included) and warm (a second job
 * on the same session, models already loaded).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measures tokenize images/s: one process vs Spark local[1], local[2], ...")
final class BenchJob extends Job {
    @Option(names = "--input", paramLabel = "DIR", description = "folder of images (default: N Fashion-MNIST test images written as PNG to a temporary folder)")
    String input;

    @Option(names = "--images", defaultValue = "1000", description = "images when no --input (default: ${DEFAULT-VALUE})")
    int images;

    @Option(names = "--masters", split = ",", defaultValue = "local[1],local[2]", description = "Spark masters to compare (default: ${DEFAULT-VALUE})")
    List<String> masters;

    @Override
    boolean needsSession() {
        return false;
    }

    @Override
    String run(SparkSession ignored, PrintStream err) throws Exception {
        checkBatch();
        Path tmp = Files.createTempDirectory("nextscale-bench-");
        try {
            Path dir = input != null ? Path.of(input) : writePngs(tmp.resolve("images"), images);
            List<Path> files;
            try (var s = Files.walk(dir)) {
                files = s.filter(ImageFiles::isImage).sorted().toList();
            }
            StringBuilder report = new StringBuilder();
            report.append(String.format(Locale.ROOT, "tokenize, %d images of %s, batch %d, %d cores%n", files.size(), dir, batch,
                    Runtime.getRuntime().availableProcessors()));
            report.append(String.format(Locale.ROOT, "  %-24s %8.1f images/s%n", "one process (no Spark)", single(files)));
            for (String master : masters) {
                ModelPool.clear();
                long t0 = System.nanoTime();
                SparkSession spark = SparkMain.start(master, "nextscale bench");
                double cold = 0, warm = 0;
                java.io.ByteArrayOutputStream summary = new java.io.ByteArrayOutputStream();
                try {
                    for (int run = 0; run < 2; run++) {
                        long t = run == 0 ? t0 : System.nanoTime();
                        String[] args = {"tokenize", "--input", dir.toString(), "--output", tmp.resolve("out-" + run).toUri().toString(),
                                "--batch", String.valueOf(batch), "--overwrite", "--device", device};
                        if (model != null) args = concat(args, "--model", model);
                        summary.reset();
                        if (SparkMain.execute(spark, new PrintStream(summary, true), err, args) != 0)
                            throw new IllegalStateException("the tokenize job failed on " + master);
                        double rate = files.size() / ((System.nanoTime() - t) / 1e9);
                        if (run == 0) cold = rate; else warm = rate;
                    }
                } finally {
                    spark.stop();
                }
                report.append(String.format(Locale.ROOT, "  %-24s %8.1f images/s warm, %8.1f cold (session start, broadcast and model load included)%n",
                        "Spark " + master, warm, cold));
                report.append("      warm run: ").append(summary.toString().trim().replaceFirst(";? ?wrote .*$", "")).append('\n');
            }
            return report.toString().stripTrailing();
        } finally {
            try (var s = Files.walk(tmp)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private double single(List<Path> files) throws Exception {
        try (VarModel m = model == null ? VarModel.loadShipped(Devices.parse(device)) : VarModel.load(Path.of(model), Devices.parse(device))) {
            m.tokenize(List.of(ImageFiles.read(files.get(0))));                    // warm-up
            long t = System.nanoTime();
            for (int from = 0; from < files.size(); from += batch) {
                List<Image> batchImages = new ArrayList<>();
                for (Path p : files.subList(from, Math.min(files.size(), from + batch))) batchImages.add(ImageFiles.read(p));
                m.tokenize(batchImages);
            }
            return files.size() / ((System.nanoTime() - t) / 1e9);
        }
    }

    /** n Fashion-MNIST test images as DIR/CLASS/NNNNN.png. */
    static Path writePngs(Path dir, int n) throws java.io.IOException {
        if (!FashionMnist.available(FashionMnist.defaultDir()))
            throw new java.io.IOException("no --input and no Fashion-MNIST at " + FashionMnist.defaultDir() + ": apt-get install -y dataset-fashion-mnist, or give --input DIR");
        LabeledImages d = FashionMnist.load(FashionMnist.defaultDir(), false, n);
        for (int i = 0; i < d.size(); i++) {
            Path f = dir.resolve(ImageJobs.safe(d.classNames().get(d.labels()[i]))).resolve(String.format(Locale.ROOT, "%05d.png", i));
            Files.createDirectories(f.getParent());
            ImageFiles.write(new Image(d.channels(), d.height(), d.width(), d.images()[i]), f);
        }
        return dir;
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
