package org.nextscale.spark;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nextscale.core.train.TokenFile;

/**
 * After the table is committed, the driver streams its readable rows, sorted by class then path (the
 * order {@code train --data DIR} reads a folder), into {@link TokenFile#SIDECAR} inside the table's folder
 * (Parquet readers skip names starting with '_'), so that core's trainer reads the tokens without Parquet
 * or Hadoop. Written under a temporary name and renamed: a killed job leaves no sidecar, and
 * {@code train --tokens} says so.
 */
final class TokenSidecar {
    private TokenSidecar() {}

    /** Writes the sidecar; returns the number of rows in it. */
    static long write(SparkSession spark, String table, ModelRef ref, List<String> classes) throws IOException {
        Dataset<Row> ok = spark.read().parquet(table).where("error IS NULL");
        long n = ok.count();
        // a few range partitions of ~100k rows each, sorted within: the driver streams one partition at a time
        int parts = (int) Math.max(1, Math.min(10_000, n / 100_000));
        ok = ok.repartitionByRange(parts, ok.col("class"), ok.col("path")).sortWithinPartitions("class", "path").select("label", "tokens");
        if (n > Integer.MAX_VALUE) throw new IOException("more than 2^31 images in one token table: split the data set");
        Path dst = new Path(table, TokenFile.SIDECAR), tmp = new Path(table, "_tmp" + TokenFile.SIDECAR);
        FileSystem fs = dst.getFileSystem(spark.sparkContext().hadoopConfiguration());
        try (OutputStream o = new BufferedOutputStream(fs.create(tmp, true), 1 << 16)) {
            TokenFile.Writer w = new TokenFile.Writer(o, (int) n, ref.tokenizerId(), ref.patchNums(), classes);
            for (Iterator<Row> it = ok.toLocalIterator(); it.hasNext(); ) {
                Row r = it.next();
                w.add(r.getInt(0), perScale(r.getList(1)));
            }
            w.finish();
        }
        fs.delete(dst, false);
        if (!fs.rename(tmp, dst)) throw new IOException("cannot rename " + tmp + " to " + dst);
        return n;
    }

    /** array<array<int>> as read back: a list of Scala sequences. */
    static List<int[]> perScale(List<Object> scales) {
        List<int[]> out = new ArrayList<>(scales.size());
        for (Object s : scales) {
            @SuppressWarnings("unchecked")
            scala.collection.Seq<Object> seq = (scala.collection.Seq<Object>) s;
            int[] t = new int[seq.size()];
            for (int i = 0; i < t.length; i++) t[i] = (Integer) seq.apply(i);
            out.add(t);
        }
        return out;
    }
}
