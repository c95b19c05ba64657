package org.nextscale.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.PixelScale;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.TiledTokens;
import org.nextscale.core.api.ValueRange;
import org.nextscale.core.data.ImageFiles;
import org.nextscale.core.tiling.Tiles;
import org.nextscale.core.eval.ImageMetrics;
import org.nextscale.core.api.VarModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tokenize}: one Parquet row per image with its token ids per scale; see {@link #schema}. Also
 * writes the trainer's sidecar ({@link TokenSidecar}) inside the table's folder.
 */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Tokenizes every image of a folder tree or Parquet table into a Parquet token table (one row per image).")
final class TokenizeJob extends Job {
    static final String TOKENIZER_ID = "nextscale.tokenizer_id";

    @Option(names = "--input", required = true, paramLabel = "DIR|TABLE", description = "folder of images (one sub-folder per class) or Parquet table")
    String input;

    @Option(names = "--output", required = true, paramLabel = "TABLE", description = "Parquet table to write (a folder)")
    String output;

    @Option(names = "--image-column", defaultValue = "image", description = "binary image column of a Parquet input (default: ${DEFAULT-VALUE})")
    String imageColumn;

    @Option(names = "--psnr", description = "also reconstruct each image and store the reconstruction's PSNR")
    boolean psnr;

    @Option(names = "--partitions", defaultValue = "0", description = "repartition the input into P parts (0: as read)")
    int partitions;

    @Option(names = "--scale", defaultValue = "auto", paramLabel = "auto|fit|S", description = "image pixels per model pixel: auto (default: "
            + "an image larger than the model is tokenized in model-sized tiles at its own resolution, a row per tile), a number, or fit")
    String scale;

    @Option(names = "--range", defaultValue = "auto", paramLabel = "auto|full|LOW,HIGH", description = "raw values mapped to the model's "
            + "0..1: auto (default: 8-bit 0..255, 16/32-bit each image's 0.1-99.9 percentile range), full, or LOW,HIGH")
    String range;

    /**
     * path, class, label, width, height, tokens (per scale, coarsest first), psnr, error, and the tile the tokens belong to:
     * tile_row, tile_col and its top-left corner tile_x, tile_y in the image's pixels (0, 0, 0, 0 for an image no larger than
     * the model, which is one tile; an image larger than the model has one row per tile).
     */
    static StructType schema(ModelRef m) {
        Metadata md = new MetadataBuilder().putString(TOKENIZER_ID, m.tokenizerId()).putString("nextscale.model", m.name())
                .putString("nextscale.patch_nums", m.patchNums().toString()).build();
        return new StructType(new StructField[] {
                DataTypes.createStructField("path", DataTypes.StringType, false),
                DataTypes.createStructField("class", DataTypes.StringType, false),
                DataTypes.createStructField("label", DataTypes.IntegerType, false),
                DataTypes.createStructField("width", DataTypes.IntegerType, true),
                DataTypes.createStructField("height", DataTypes.IntegerType, true),
                new StructField("tokens", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.IntegerType, false), false), true, md),
                DataTypes.createStructField("psnr", DataTypes.DoubleType, true),
                DataTypes.createStructField("error", DataTypes.StringType, true),
                DataTypes.createStructField("tile_row", DataTypes.IntegerType, true),
                DataTypes.createStructField("tile_col", DataTypes.IntegerType, true),
                DataTypes.createStructField("tile_x", DataTypes.IntegerType, true),
                DataTypes.createStructField("tile_y", DataTypes.IntegerType, true)});
    }

    @Override
    String run(SparkSession spark, PrintStream err) throws Exception {
        checkBatch();
        PixelScale.parse(scale);                                         // a bad scale or range fails here, before any work
        ValueRange.resolve(range, new float[] {0, 1}, 16);
        ModelRef.Loaded m = ModelRef.open(model, device, spark.sparkContext().hadoopConfiguration());
        var mode = Output.prepare(spark, output, overwrite);
        ImageInput in = ImageInput.open(spark, input, imageColumn);
        Dataset<Row> rows = partitions > 0 ? in.rows().repartition(partitions) : in.rows();
        Broadcast<byte[]> bytes = spark.sparkContext().broadcast(m.bytes(), scala.reflect.ClassTag$.MODULE$.apply(byte[].class));
        ModelRef ref = m.ref();
        List<String> classes = in.classes();
        int b = batch;
        boolean withPsnr = psnr;
        String scaleSpec = scale, rangeSpec = range;
        try (JobProgress p = new JobProgress(spark.sparkContext(), "tokenize", in.count(), output, err)) {
            LongAccumulator done = p.done, failed = p.failed;
            Dataset<Row> out = rows.mapPartitions((MapPartitionsFunction<Row, Row>) it -> new Batches(it, b, part -> {
                List<Row> r = tokenize(ModelPool.model(ref, bytes), part, classes, withPsnr, scaleSpec, rangeSpec);
                done.add(part.size());
                for (Row row : r) if (!row.isNullAt(7)) failed.add(1);
                return r;
            }), Encoders.row(schema(ref)));
            // the encoder drops column metadata: put the tokenizer id back on the tokens column
            out = out.withColumn("tokens", out.col("tokens").as("tokens", schema(ref).apply("tokens").metadata()));
            out.write().mode(mode).parquet(output);
            double tableSeconds = p.seconds();
            long n = TokenSidecar.write(spark, output, ref, classes);
            long bad = spark.read().parquet(output).where("error IS NOT NULL").count();
            return String.format(Locale.ROOT, "tokenize: %d images in %.1f s (%.1f images/s; table %.1f s, token file %.1f s), %d could not be read%s; wrote %s",
                    n + bad, p.seconds(), (n + bad) / p.seconds(), tableSeconds, p.seconds() - tableSeconds, bad,
                    bad > 0 ? " (see the table's error column)" : "", output);
        } finally {
            bytes.destroy();
        }
    }

    /** One batch: decode each image (a failure becomes that image's error row), tokenize the readable ones together. */
    static List<Row> tokenize(VarModel model, List<Row> part, List<String> classes, boolean psnr, String scaleSpec, String rangeSpec) {
        List<Image> images = new ArrayList<>();
        Image[] decoded = new Image[part.size()];
        String[] errors = new String[part.size()];
        for (int i = 0; i < part.size(); i++) {
            try {
                decoded[i] = ImageFiles.read((byte[]) part.get(i).getAs("content"), part.get(i).getAs("path"), rangeSpec).unit();
                images.add(decoded[i]);
            } catch (IOException | RuntimeException e) {
                errors[i] = e.getMessage();
            }
        }
        PixelScale scale = PixelScale.parse(scaleSpec);
        List<TiledTokens> tokens;
        try {
            tokens = images.isEmpty() ? List.of() : Tiles.tokenize(model, images, scale, ProgressListener.NONE, CancelToken.none());
        } catch (RuntimeException e) {
            if (images.size() == 1) throw e;
            // one image the model cannot take fails the batch: go one by one so only that image gets an error row
            List<Row> out = new ArrayList<>();
            for (Row r : part) out.addAll(tokenizeOne(model, r, classes, psnr, scaleSpec, rangeSpec));
            return out;
        }
        List<Image> rec = psnr && !images.isEmpty() ? Tiles.reconstruct(model, images, scale, ProgressListener.NONE, CancelToken.none()) : null;
        List<Row> out = new ArrayList<>(part.size());
        int k = 0;
        for (int i = 0; i < part.size(); i++) {
            Row r = part.get(i);
            if (decoded[i] == null) {
                out.add(errorRow(r, classes, errors[i]));
                continue;
            }
            String path = r.getAs("path"), cls = r.getAs("class");
            Double q = rec == null ? null : ImageMetrics.psnr(decoded[i], rec.get(k));
            for (TiledTokens.Tile tile : tokens.get(k).tiles())          // a row per tile (one for an image no larger than the model)
                out.add(RowFactory.create(path, cls, classes.indexOf(cls), decoded[i].width(), decoded[i].height(),
                        tile.tokens().tokens().toArray(new int[0][]), q, null, tile.row(), tile.col(), tile.x(), tile.y()));
            k++;
        }
        return out;
    }

    private static Row errorRow(Row r, List<String> classes, String error) {
        String path = r.getAs("path"), cls = r.getAs("class");
        return RowFactory.create(path, cls, classes.indexOf(cls), null, null, null, null, error, null, null, null, null);
    }

    private static List<Row> tokenizeOne(VarModel model, Row r, List<String> classes, boolean psnr, String scaleSpec, String rangeSpec) {
        try {
            return tokenize(model, List.of(r), classes, psnr, scaleSpec, rangeSpec);
        } catch (RuntimeException e) {
            return List.of(errorRow(r, classes, "cannot be tokenized: " + e.getMessage()));
        }
    }

    /** Pulls a partition's rows in batches of n and hands each batch to a function; lazy, so memory stays at one batch. */
    static final class Batches implements Iterator<Row> {
        interface Fn { List<Row> apply(List<Row> batch) throws Exception; }

        private final Iterator<Row> in;
        private final int n;
        private final Fn fn;
        private Iterator<Row> current = java.util.Collections.emptyIterator();

        Batches(Iterator<Row> in, int n, Fn fn) {
            this.in = in;
            this.n = n;
            this.fn = fn;
        }

        @Override
        public boolean hasNext() {
            while (!current.hasNext() && in.hasNext()) {
                List<Row> part = new ArrayList<>(n);
                while (part.size() < n && in.hasNext()) part.add(in.next());
                try {
                    current = fn.apply(part).iterator();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
            return current.hasNext();
        }

        @Override
        public Row next() {
            if (!hasNext()) throw new NoSuchElementException();
            return current.next();
        }
    }
}
