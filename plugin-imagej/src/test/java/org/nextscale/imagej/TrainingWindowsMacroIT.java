package org.nextscale.imagej;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live view of training in real ImageJ 1.54p windows under Xvfb ({@link LiveViewCheck}): a run started as from the
 * menu opens one loss plot, redrawn in place with every validation (4 points for 40 steps validated every 10), and one
 * preview image that updates (titled with the last preview's step); inside a macro no window would open.
 */
class TrainingWindowsMacroIT {
    @TempDir
    Path work;

    @Test
    void aRunFromTheMenuShowsItsLossPlotAndPreviewAndAMacroShowsNone() throws Exception {
        HeadlessImageJ.ensureXvfb();
        Path log = work.resolve("live.log");
        List<String> cmd = List.of("timeout", "-s", "KILL", "240", "xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", "java", "-Duser.home=" + work, "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), LiveViewCheck.class.getName(), work.resolve("tok.zip").toString(), shots().toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        String cache = System.getProperty("nextscale.djl.cache");
        if (cache != null) pb.environment().put("DJL_CACHE_DIR", cache);
        Process p = pb.start();
        assertTrue(p.waitFor(270, TimeUnit.SECONDS), "the check did not end");
        String out = Files.readString(log);
        assertTrue(out.contains("wanted=true"), out);
        assertTrue(out.contains("failure=null"), out);
        assertTrue(out.contains("plot=VAR Train Tokenizer loss validation_points=4 last_step=40.0"), out);
        assertTrue(out.contains("preview=VAR Train Tokenizer preview (step 40) 590x198"), out);
        assertTrue(out.contains("wanted_in_macro=false"), out);
        assertTrue(new File(work.toFile(), "tok.log.csv").isFile(), "the run's log beside the model");
        assertTrue(out.contains("progress_window=true"), out);
        assertTrue(out.contains("cancelled=true failure=null"), "Cancel in the progress window stops the run, not as a failure: " + out);
        assertTrue(out.contains("progress_window_closed=true"), out);
        assertTrue(out.contains("checkpoint_kept=true"), "a cancelled run keeps its checkpoint: " + out);
    }

    private static Path shots() throws java.io.IOException {
        return Files.createDirectories(Path.of("target/dialogs").toAbsolutePath());
    }
}
