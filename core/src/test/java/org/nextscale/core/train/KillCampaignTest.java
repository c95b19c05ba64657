package org.nextscale.core.train;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.TestPaths;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.model.ModelFile;

/**
 * Campaign 1 of issue 12: a tiny training run (tokenizer, then transformer) in a child JVM, started with
 * the real command line, is killed with SIGKILL at random moments, while it writes a checkpoint, and while
 * it writes its model file; after each kill every model and checkpoint file on disk must load, and the run
 * is resumed from its checkpoint (or started again when it died before the first one). The final weights
 * must equal bit for bit those of an uninterrupted run with the same seed. A kill counts as "during a
 * write" only when the dead process left its temporary file behind, i.e. it really died mid-write.
 */
class KillCampaignTest {
    static final int KILLS = 10;
    static final int STEPS = 8;

    @TempDir
    Path dir;

    @Test
    void tokenizerTrainingSurvivesKills() throws Exception {
        campaign("tokenizer", out -> tokenizerArgs(out));
    }

    @Test
    void transformerTrainingSurvivesKills() throws Exception {
        Map<String, String> t = TinyRuns.tokenizer(dir.resolve("base-tok.zip").toString(), 3);
        Path tok = Training.trainTokenizer(TrainOptions.parse(t), null, null);
        campaign("transformer", out -> {
            List<String> a = new ArrayList<>(List.of("train", "--data", "synthetic:64", "--tokenizer", tok.toString(), "--steps", Integer.toString(STEPS),
                    "--batch", "8", "--lr", "2e-3", "--seed", "5", "--depth", "2", "--width", "64", "--heads", "2", "--cond-drop", "0.3"));
            a.addAll(List.of("--checkpoint-every", "1", "--log-every", "4", "--out", out.toString()));
            return a;
        });
    }

    private List<String> tokenizerArgs(Path out) {
        return List.of("train-tokenizer", "--data", "synthetic:64", "--steps", Integer.toString(STEPS), "--batch", "8", "--lr", "2e-3",
                "--seed", "3", "--vocab", "64", "--z", "8", "--ch", "32", "--ch-mult", "1,1", "--patch-nums", "1,2,4,8",
                "--log-every", "4", "--checkpoint-every", "1", "--out", out.toString());
    }

    interface Args {
        List<String> of(Path out);
    }

    /** A finished run: its checkpoint is at the run's last step and its model file loads. */
    private static boolean complete(Path out, Path ckpt) {
        try {
            Checkpoint c = Checkpoint.read(ckpt);
            ModelFile.load(out);
            return c.step() == Long.parseLong(c.options().get("steps"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private void campaign(String trainer, Args args) throws Exception {
        Path ref = dir.resolve(trainer + "-ref.zip");
        long t0 = System.nanoTime();
        Child whole = Child.start(args.of(ref), dir);
        assertEquals(0, whole.waitFor(120), "the uninterrupted run failed: " + whole.output());
        long runMillis = (System.nanoTime() - t0) / 1_000_000;

        Path out = dir.resolve(trainer + ".zip"), ckpt = TrainRun.checkpointPath(out);
        Random random = new Random(trainer.hashCode());
        int kills = 0, duringCheckpoint = 0, duringModel = 0, filesChecked = 0, launches = 0;
        while (true) {
            if (complete(out, ckpt)) {
                // the last kill landed just after the model file was renamed into place: the run had finished
                if (kills >= KILLS) break;
                Files.delete(out);
                Files.delete(ckpt);
            }
            List<String> a = Files.exists(ckpt) ? List.of(args.of(out).get(0), "--resume", ckpt.toString()) : args.of(out);
            Child c = Child.start(a, dir);
            launches++;
            assertTrue(launches < 60, "the run makes no progress");
            if (kills < KILLS) {
                String watch = kills == KILLS - 1 ? "." + out.getFileName() + "." : kills % 2 == 1 ? "." + ckpt.getFileName() + "." : null;
                // checkpoint writes are caught once a checkpoint exists, so the run moves on between kills
                boolean killed = watch == null ? c.killAfter(200 + random.nextInt((int) Math.max(400, runMillis)))
                        : c.killWhenWriting(dir, watch, watch.contains(".ckpt.") ? ckpt : null, 120);
                if (killed) {
                    boolean inModelWrite = !temporaries(dir, "." + out.getFileName() + ".").isEmpty();
                    // a small model is written in a few milliseconds: a kill aimed at its write that came just after the
                    // rename is not spent, the next launch (a resume, or a fresh run once this one finished) tries again
                    if (kills < KILLS - 1 || inModelWrite) kills++;
                    if (!temporaries(dir, "." + ckpt.getFileName() + ".").isEmpty()) duringCheckpoint++;
                    if (inModelWrite) duringModel++;
                    for (Path f : List.of(out, ckpt)) {
                        if (!Files.exists(f)) continue;
                        filesChecked++;
                        try {
                            ModelFile.load(f);
                            if (f.equals(ckpt)) Checkpoint.read(f);
                        } catch (IOException | RuntimeException e) {
                            fail("after kill " + kills + ", " + f.getFileName() + " does not load: " + e.getMessage());
                        }
                    }
                    continue;
                }
            }
            assertEquals(0, c.waitFor(120), "the resumed run failed: " + c.output());
            if (kills >= KILLS) break;
            // finished before all kills were spent: start the same run again from nothing
            Files.delete(out);
            Files.delete(ckpt);
        }
        assertTrue(duringCheckpoint >= 1, "no kill landed during a checkpoint write");
        assertTrue(duringModel >= 1, "no kill landed during a model write");
        assertEquals(List.of(), temporaries(dir, "." + out.getFileName() + "."), "the resumed run cleans up what the killed ones left");
        Map<String, HostTensor> a = ModelFile.load(ref).weights(), b = ModelFile.load(out).weights();
        assertEquals(a.keySet(), b.keySet());
        int equal = 0;
        for (String k : a.keySet()) {
            assertEquals(a.get(k), b.get(k), k + " differs from the uninterrupted run");
            equal++;
        }
        System.out.printf("kill campaign (%s): %d SIGKILLs (%d during checkpoint writes, %d during model writes), %d launches, %d files checked"
                + " after kills, 0 corrupt; final weights equal bit for bit (%d/%d tensors)%n", trainer, kills, duringCheckpoint, duringModel,
                launches, filesChecked, equal, a.size());
    }

    static List<Path> temporaries(Path dir, String prefix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    /** The command line in a child JVM, as ./nextscale runs it. */
    record Child(Process process, Path log) {
        static Child start(List<String> args, Path dir) throws IOException {
            Path log = Files.createTempFile(dir, "child", ".log");
            ProcessBuilder pb = TestPaths.cli(List.of("-Xss4m"), args).redirectErrorStream(true).redirectOutput(log.toFile());
            return new Child(pb.start(), log);
        }

        int waitFor(int seconds) throws Exception {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                return -1;
            }
            return process.exitValue();
        }

        /** SIGKILL after {@code millis} unless the run ended first; true when it was killed. */
        boolean killAfter(long millis) throws Exception {
            if (process.waitFor(millis, TimeUnit.MILLISECONDS)) return false;
            return kill();
        }

        /** SIGKILL as soon as a temporary file starting with {@code prefix} appears (a write under way), once {@code needs} exists. */
        boolean killWhenWriting(Path dir, String prefix, Path needs, int seconds) throws Exception {
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < end && process.isAlive()) {
                if (needs != null && !Files.exists(needs)) continue;
                try (Stream<Path> s = Files.list(dir)) {
                    if (s.anyMatch(p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(".tmp"))) return kill();
                }
            }
            return false;
        }

        private boolean kill() throws Exception {
            if (!process.isAlive()) return false;
            process.destroyForcibly(); // SIGKILL on Linux
            process.waitFor();
            return true;
        }

        String output() throws IOException {
            return Files.readString(log);
        }
    }

}
