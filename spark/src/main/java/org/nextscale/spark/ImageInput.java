package org.nextscale.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * The images a job reads, as rows (path string, class string, content binary), from either
 * <ul>
 * <li>a folder tree on any Hadoop file system: every PNG/JPEG/TIFF/BMP/GIF below it; the class is the
 *     first folder under the root (as {@code nextscale train --data DIR}: one sub-folder per class), or
 *     the root's own name for images directly in it; or</li>
 * <li>a Parquet table (a folder of .parquet files, or one file) with a binary image column (the file's
 *     bytes), and optionally string columns {@code path} and {@code class}.</li>
 * </ul>
 * Classes are numbered in sorted order, as the trainer numbers class folders.
 */
record ImageInput(Dataset<Row> rows, List<String> classes, long count) {
    static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg", "tif", "tiff", "bmp", "gif");

    static ImageInput open(SparkSession spark, String input, String imageColumn) throws IOException {
        Path root = new Path(input);
        FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(root)) throw new IOException("input " + input + " does not exist");
        root = fs.makeQualified(root);
        Dataset<Row> rows = isParquet(fs, root) ? fromTable(spark, root, imageColumn) : fromFolder(spark, fs, root);
        long n = rows.count();
        if (n == 0) throw new IOException("no images found in " + input + " (looked for " + String.join(", ", EXTENSIONS)
                + " files, directly or in one sub-folder per class, or a Parquet table with an image column)");
        List<String> classes = rows.select("class").distinct().orderBy("class").collectAsList().stream().map(r -> r.getString(0)).toList();
        return new ImageInput(rows, classes, n);
    }

    private static boolean isParquet(FileSystem fs, Path root) throws IOException {
        if (fs.getFileStatus(root).isFile()) return root.getName().toLowerCase(Locale.ROOT).endsWith(".parquet");
        return Arrays.stream(fs.listStatus(root)).map(FileStatus::getPath).anyMatch(p -> p.getName().endsWith(".parquet"));
    }

    private static Dataset<Row> fromFolder(SparkSession spark, FileSystem fs, Path root) throws IOException {
        if (!fs.getFileStatus(root).isDirectory()) throw new IOException("input " + root + " is neither a folder of images nor a Parquet table");
        String glob = "*.{" + String.join(",", EXTENSIONS) + "," + String.join(",", EXTENSIONS.stream().map(e -> e.toUpperCase(Locale.ROOT)).toList()) + "}";
        Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true").option("pathGlobFilter", glob)
                .load(root.toString());
        String prefix = root.toString().endsWith("/") ? root.toString() : root + "/";
        String rootName = root.getName().isEmpty() ? "images" : root.getName();
        // the relative path's first folder, or the root's name for images directly in it
        var rel = functions.substring(col("path"), prefix.length() + 1, Integer.MAX_VALUE);
        var cls = functions.when(functions.instr(rel, "/").gt(0), functions.substring_index(rel, "/", 1)).otherwise(lit(rootName));
        return files.where(functions.not(col("path").contains("/."))).select(col("path"), cls.as("class"), col("content"));
    }

    private static Dataset<Row> fromTable(SparkSession spark, Path root, String imageColumn) throws IOException {
        Dataset<Row> t = spark.read().parquet(root.toString());
        StructField f = Arrays.stream(t.schema().fields()).filter(x -> x.name().equals(imageColumn)).findFirst().orElse(null);
        if (f == null || !f.dataType().equals(DataTypes.BinaryType))
            throw new IOException("table " + root + " has no binary column '" + imageColumn + "' (columns: " + String.join(", ", t.columns())
                    + "); give --image-column NAME, the column holding each image file's bytes");
        List<String> cols = Arrays.asList(t.columns());
        var path = cols.contains("path") ? col("path").cast("string")
                : functions.concat(lit(root + "#"), functions.monotonically_increasing_id().cast("string"));
        var cls = cols.contains("class") ? col("class").cast("string") : lit(root.getName());
        return t.select(path.as("path"), cls.as("class"), col(imageColumn).as("content"));
    }
}
