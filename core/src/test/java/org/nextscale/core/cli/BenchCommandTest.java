package org.nextscale.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.nextscale.core.bench.Bench;

class BenchCommandTest {
    @Test
    void jsonHasEveryKeyTheIssueAsksForWithUtilizationAgainstTheYardstickAroundEachTask() {
        Bench.Task train = new Bench.Task("VAR training step", 10.0, 64, 600e9, 50.0);     // 60 GFLOP/s against 50
        Bench.Task vq = new Bench.Task("VQ-VAE training step", 4.0, 64, 400e9, 100.0);
        Bench.Task tok = new Bench.Task("tokenize 64 images", 0.5, 64, 50e9, 100.0);
        Bench.Task sample = new Bench.Task("sample 64 images", 8.0, 64, 560e9, 100.0);
        Bench.Result r = new Bench.Result(2, "jemalloc+thp", 3.0, 2.0, 80.0, train, vq, tok, sample, 4500, 4000, 9.0, 18.0);
        JsonObject j = BenchCommand.toJson(r);
        for (String key : new String[] {"matmul_gflops", "train_mfu", "vqvae_train_mfu", "tokenize_mfu", "sample_mfu",
                "train_images_per_s", "sample_images_per_s", "tokenize_images_per_s", "peak_rss_mb", "raster_over_var"})
            assertTrue(j.has(key), key);
        assertEquals(1.2, j.get("train_mfu").getAsDouble(), 1e-9);
        assertEquals(1.0, j.get("vqvae_train_mfu").getAsDouble(), 1e-9);
        assertEquals(6.4, j.get("train_images_per_s").getAsDouble(), 1e-9);
        assertEquals(128.0, j.get("tokenize_images_per_s").getAsDouble(), 1e-9);
        assertEquals(2.0, j.get("raster_over_var").getAsDouble(), 1e-9);
        assertEquals(4500, j.get("peak_rss_mb").getAsDouble(), 1e-9);
        assertTrue(BenchCommand.table(r).contains("raster/VAR 2.0x"));
    }
}
