package org.nextscale.spark;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.cli.SamplingDefaults;
import org.nextscale.core.api.VarModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code generate}: N samples of each class as DIR/images/CLASS/sample-NNNNN.png plus the index table
 * DIR/index. The samples of a class are drawn in blocks of {@code --batch}, one model call each: block b of class c
 * (samples b*batch ..) has the seed {@link Job#seed}(seed, c, b) alone, and a block is never split between tasks,
 * so the images depend on the seed and the batch but not on how Spark splits the work.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Generates N samples of each given class, as PNG files plus a Parquet index.")
final class GenerateJob extends Job {
    @Option(names = "--classes", required = true, split = ",", paramLabel = "C,...", description = "class numbers or names")
    List<String> classes;

    @Option(names = "--per-class", required = true, paramLabel = "N", description = "samples per class")
    int perClass;

    @Option(names = "--seed", descriptionKey = SamplingDefaults.SEED, description = "seed of the whole set (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--cfg", descriptionKey = SamplingDefaults.CFG, description = "classifier-free guidance (default: ${DEFAULT-VALUE})")
    double cfg;

    @Option(names = "--top-k", descriptionKey = SamplingDefaults.TOP_K, description = "top-k, 0 = off (default: ${DEFAULT-VALUE})")
    int topK;

    @Option(names = "--top-p", descriptionKey = SamplingDefaults.TOP_P, description = "top-p, 0 or 1 = off (default: ${DEFAULT-VALUE})")
    double topP;

    @Option(names = "--smooth", description = "Gumbel-smoothed token embeddings")
    boolean smooth;

    @Option(names = "--format", defaultValue = "png", description = "png or tif (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "output folder: images/ and index/")
    String output;

    @Option(names = "--partitions", defaultValue = "0", description = "number of Spark partitions (0: one per block of --batch samples of a class, at least Spark's default parallelism)")
    int partitions;

    static StructType schema() {
        return new StructType()
                .add("class", DataTypes.IntegerType, false).add("class_name", DataTypes.StringType, false)
                .add("index", DataTypes.LongType, false).add("seed", DataTypes.LongType, false)
                .add("path", DataTypes.StringType, false).add("error", DataTypes.StringType, true);
    }

    @Override
    String run(SparkSession spark, PrintStream err) throws Exception {
        checkBatch();
        if (perClass < 1) throw new IllegalArgumentException("--per-class must be at least 1, got " + perClass);
        String fmt = ImageJobs.format(format);
        ModelRef.Loaded m = ModelRef.open(model, device, spark.sparkContext().hadoopConfiguration());
        ModelRef ref = m.ref();
        ref.requireTransformer("generate");
        int[] cls = classes.stream().mapToInt(ref::classIndex).toArray();
        var mode = Output.prepare(spark, output, overwrite);
        long total = (long) cls.length * perClass;
        long blocksPerClass = (perClass + batch - 1) / batch, blocks = cls.length * blocksPerClass;
        // by default one task per block: progress moves as tasks finish, and a lost task redoes little
        int parts = partitions > 0 ? partitions : (int) Math.max(spark.sparkContext().defaultParallelism(), Math.min(100_000, blocks));
        Broadcast<byte[]> bytes = spark.sparkContext().broadcast(m.bytes(), scala.reflect.ClassTag$.MODULE$.apply(byte[].class));
        Output.Files files = new Output.Files(Output.hadoopConf(spark));
        String dir = Output.root(spark, output);
        long per = perClass, s0 = seed;
        double g = cfg, tp = topP;
        int tk = topK, b = batch;
        boolean sm = smooth;
        try (JobProgress p = new JobProgress(spark.sparkContext(), "generate", total, output, err)) {
            LongAccumulator done = p.done, failed = p.failed;
            Dataset<Long> ids = spark.range(0, blocks, 1, parts);
            Dataset<Row> index = ids.mapPartitions((MapPartitionsFunction<Long, Row>) it -> {
                List<Row> out = new ArrayList<>();
                VarModel model = ModelPool.model(ref, bytes);
                while (it.hasNext()) {
                    long block = it.next();
                    int c = cls[(int) (block / blocksPerClass)];
                    long first = (block % blocksPerClass) * b, sd = Job.seed(s0, c, block % blocksPerClass);
                    int n = (int) Math.min(b, per - first);
                    String name = ref.classNames().get(c);
                    List<Image> images = null;
                    String error = null;
                    try {
                        images = model.generate(new SampleOptions(c, n, g, tk, tp, sd, sm, b), ProgressListener.NONE, CancelToken.none());
                    } catch (RuntimeException e) {
                        error = e.getMessage();
                    }
                    for (int k = 0; k < n; k++) {
                        long i = first + k;
                        String path = dir + "/images/" + ImageJobs.safe(name) + "/sample-" + String.format(Locale.ROOT, "%05d", i) + "." + fmt;
                        String imageError = error;
                        if (images != null) {
                            try {
                                files.write(path, Output.encode(images.get(k), ImageJobs.writer(fmt)));
                            } catch (java.io.IOException | RuntimeException e) {
                                imageError = e.getMessage();
                            }
                        }
                        if (imageError != null) failed.add(1);
                        out.add(RowFactory.create(c, name, i, sd, path, imageError));
                        done.add(1);
                    }
                }
                return out.iterator();
            }, Encoders.row(schema()));
            index.write().mode(mode).parquet(dir + "/index");
            Output.markSuccess(spark, dir);
            long bad = spark.read().parquet(dir + "/index").where("error IS NOT NULL").count();
            return String.format(Locale.ROOT, "generate: %d images in %.1f s (%.2f images/s)%s; wrote %s/images and %s/index",
                    total - bad, p.seconds(), total / p.seconds(), bad > 0 ? ", " + bad + " failed (see the index's error column)" : "", dir, dir);
        } finally {
            bytes.destroy();
        }
    }
}
