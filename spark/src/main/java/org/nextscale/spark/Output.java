package org.nextscale.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.nextscale.core.api.Image;

/**
 * Where a job writes, on any Hadoop file system. A table is committed by Spark's commit protocol: its
 * files appear under their final names only when the whole job succeeded, and {@code _SUCCESS} last.
 * The image jobs write DIR/images/... (each file under its final name when its task writes it, replaced
 * when a retried task writes it again), then the index table DIR/index, then DIR/_SUCCESS; a folder
 * without _SUCCESS is an unfinished job.
 */
final class Output {
    static final String SUCCESS = "_SUCCESS";

    private Output() {}

    /** Checks before any work: an existing output is an error unless overwrite; with overwrite the old marker goes first. */
    static SaveMode prepare(SparkSession spark, String out, boolean overwrite) throws IOException {
        Path p = new Path(out);
        FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (fs.exists(p)) {
            if (!overwrite) throw new IOException("output " + out + " already exists: give --overwrite to replace it, or another --output");
            fs.delete(new Path(p, SUCCESS), false);
            fs.delete(p, true);
        }
        return SaveMode.ErrorIfExists;
    }

    static void markSuccess(SparkSession spark, String dir) throws IOException {
        Path p = new Path(dir, SUCCESS);
        p.getFileSystem(spark.sparkContext().hadoopConfiguration()).create(p, true).close();
    }

    /** The Hadoop configuration as plain strings, to rebuild it on executors (credentials of s3a:// etc.). */
    static Map<String, String> hadoopConf(SparkSession spark) {
        Map<String, String> m = new HashMap<>();
        spark.sparkContext().hadoopConfiguration().forEach(e -> m.put(e.getKey(), e.getValue()));
        return m;
    }

    /** An executor-side writer of image files. */
    record Files(Map<String, String> conf) implements Serializable {
        Configuration configuration() {
            Configuration c = new Configuration(false);
            conf.forEach(c::set);
            return c;
        }

        void write(String path, byte[] bytes) throws IOException {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(configuration());
            fs.setWriteChecksum(false);                                 // no .crc files next to a local file system's images
            try (OutputStream o = fs.create(p, true)) {
                o.write(bytes);
            }
        }
    }

    static Image decode(byte[] bytes) throws IOException {
        java.awt.image.BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot be read as an image (" + e.getMessage() + ")");
        }
        if (img == null) throw new IOException("not a readable image (supported: PNG, JPEG, TIFF, BMP, GIF)");
        return Image.fromBufferedImage(img);
    }

    /** PNG or TIFF bytes. */
    static byte[] encode(Image image, String format) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        if (!ImageIO.write(image.toBufferedImage(), format, b)) throw new IOException("no image writer for " + format);
        return b.toByteArray();
    }

    /** The folder fully qualified (file:/..., hdfs://...), without a trailing slash: what the index records. */
    static String root(SparkSession spark, String dir) throws IOException {
        Path p = new Path(dir);
        String q = p.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(p).toString();
        return q.endsWith("/") ? q.substring(0, q.length() - 1) : q;
    }
}
