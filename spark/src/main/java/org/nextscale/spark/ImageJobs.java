package org.nextscale.spark;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.PixelScale;
import org.nextscale.core.api.ValueRange;
import org.nextscale.core.data.ImageFiles;
import org.nextscale.core.api.VarModel;
import picocli.CommandLine.Option;

/**
 * The jobs that read images and write images ({@code reconstruct}, {@code edit}): DIR/images/REL.EXT for
 * the input REL (its path under the input folder), the index table DIR/index (path_in, path_out, psnr,
 * mode, error), then DIR/_SUCCESS. Subclasses say what one batch of images becomes.
 */
abstract class ImageJobs extends Job {
    @Option(names = "--input", required = true, paramLabel = "DIR|TABLE", description = "folder of images or Parquet table")
    String input;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "output folder: images/ and index/")
    String output;

    @Option(names = "--image-column", defaultValue = "image", description = "binary image column of a Parquet input (default: ${DEFAULT-VALUE})")
    String imageColumn;

    @Option(names = "--format", defaultValue = "png", description = "png or tif (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--partitions", defaultValue = "0", description = "repartition the input into P parts (0: as read)")
    int partitions;

    @Option(names = "--scale", defaultValue = "auto", paramLabel = "auto|fit|S", description = "image pixels per model pixel: auto (default: "
            + "images larger than the model at their own resolution, in tiles or windows), a number (2 = half resolution), or fit")
    String scale;

    @Option(names = "--range", defaultValue = "auto", paramLabel = "auto|full|LOW,HIGH", description = "raw values mapped to the model's "
            + "0..1: auto (default: 8-bit 0..255, 16/32-bit each image's 0.1-99.9 percentile range), full, or LOW,HIGH; results are "
            + "written back in the same range and bit depth")
    String range;

    /** What a task does with one batch of decoded images (same order); runs on executors, so it must be serializable. */
    interface Work extends java.io.Serializable {
        List<Result> apply(VarModel model, List<Image> images, List<String> paths) throws Exception;
    }

    record Result(Image image, Double psnr, String mode) {}

    abstract String jobName();

    /** Checked on the driver before any work; returns the per-batch work. */
    abstract Work prepare(ModelRef ref) throws Exception;

    static StructType schema() {
        return new StructType().add("path_in", DataTypes.StringType, false).add("path_out", DataTypes.StringType, true)
                .add("psnr", DataTypes.DoubleType, true).add("mode", DataTypes.StringType, true).add("error", DataTypes.StringType, true);
    }

    @Override
    String run(SparkSession spark, PrintStream err) throws Exception {
        checkBatch();
        PixelScale.parse(scale);                                         // a bad scale or range fails here, before any work
        ValueRange.resolve(range, new float[] {0, 1}, 16);
        String fmt = format(format);
        ModelRef.Loaded m = ModelRef.open(model, device, spark.sparkContext().hadoopConfiguration());
        Work work = prepare(m.ref());
        var mode = Output.prepare(spark, output, overwrite);
        ImageInput in = ImageInput.open(spark, input, imageColumn);
        Dataset<Row> rows = partitions > 0 ? in.rows().repartition(partitions) : in.rows();
        Broadcast<byte[]> bytes = spark.sparkContext().broadcast(m.bytes(), scala.reflect.ClassTag$.MODULE$.apply(byte[].class));
        ModelRef ref = m.ref();
        Output.Files files = new Output.Files(Output.hadoopConf(spark));
        String dir = Output.root(spark, output);
        String prefix = Output.root(spark, input) + "/";
        int b = batch;
        String name = jobName(), rangeSpec = range;
        try (JobProgress p = new JobProgress(spark.sparkContext(), name, in.count(), output, err)) {
            LongAccumulator done = p.done, failed = p.failed;
            Dataset<Row> index = rows.mapPartitions((MapPartitionsFunction<Row, Row>) it -> new TokenizeJob.Batches(it, b, part -> {
                List<Row> out = new ArrayList<>(part.size());
                List<Image> images = new ArrayList<>();
                List<ImageFiles.Loaded> loaded = new ArrayList<>();
                List<String> paths = new ArrayList<>();
                String[] errors = new String[part.size()];
                for (int i = 0; i < part.size(); i++) {
                    try {
                        ImageFiles.Loaded l = ImageFiles.read((byte[]) part.get(i).getAs("content"), part.get(i).getAs("path"), rangeSpec);
                        loaded.add(l);
                        images.add(l.unit());
                        paths.add(part.get(i).getAs("path"));
                    } catch (java.io.IOException | RuntimeException e) {
                        errors[i] = e.getMessage();
                    }
                }
                List<Result> results;
                results = images.isEmpty() ? List.of() : work.apply(ModelPool.model(ref, bytes), images, paths);
                int k = 0;
                for (int i = 0; i < part.size(); i++) {
                    String pathIn = part.get(i).getAs("path");
                    if (errors[i] != null) {
                        failed.add(1);
                        out.add(RowFactory.create(pathIn, null, null, null, errors[i]));
                        continue;
                    }
                    ImageFiles.Loaded like = loaded.get(k);
                    Result r = results.get(k++);
                    String pathOut = dir + "/images/" + outputName(pathIn, prefix, fmt);
                    try {
                        files.write(pathOut, ImageFiles.encode(like, r.image(), writer(fmt)));
                        out.add(RowFactory.create(pathIn, pathOut, r.psnr(), r.mode(), null));
                    } catch (java.io.IOException | RuntimeException e) {
                        failed.add(1);
                        out.add(RowFactory.create(pathIn, null, null, null, "cannot write " + pathOut + ": " + e.getMessage()));
                    }
                }
                done.add(part.size());
                return out;
            }), Encoders.row(schema()));
            index.write().mode(mode).parquet(dir + "/index");
            Output.markSuccess(spark, dir);
            long bad = spark.read().parquet(dir + "/index").where("error IS NOT NULL").count();
            return String.format(Locale.ROOT, "%s: %d images in %.1f s (%.1f images/s), %d failed%s; wrote %s/images and %s/index", name,
                    in.count() - bad, p.seconds(), in.count() / p.seconds(), bad, bad > 0 ? " (see the index's error column)" : "", dir, dir);
        } finally {
            bytes.destroy();
        }
    }

    /** The input's path under the input folder (or its file name), with the output format's extension. */
    static String outputName(String pathIn, String prefix, String fmt) {
        String rel = pathIn.startsWith(prefix) ? pathIn.substring(prefix.length()) : new Path(pathIn).getName();
        int dot = rel.lastIndexOf('.');
        if (dot > rel.lastIndexOf('/')) rel = rel.substring(0, dot);
        return rel.replace('#', '_') + "." + fmt;
    }

    static String format(String f) {
        String s = f.toLowerCase(Locale.ROOT);
        if (s.equals("png")) return "png";
        if (s.equals("tif") || s.equals("tiff")) return "tif";
        throw new IllegalArgumentException("--format must be png or tif, got '" + f + "'");
    }

    static String writer(String ext) {
        return ext.equals("tif") ? "tiff" : "png";
    }

    /** A class name as a folder name. */
    static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]+", "_");
    }
}
