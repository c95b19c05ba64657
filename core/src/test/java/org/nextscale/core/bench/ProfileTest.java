package org.nextscale.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileTest {
    @Test
    void selfTimeSubtractsNestedOperatorsAndTopLevelCountsOuterCalls(@TempDir Path dir) throws Exception {
        // linear (100 us) calls matmul (80 us) which calls mm (70 us); then a separate add (10 us); another thread: mul (5 us)
        String trace = """
                [
                {"name": "aten::linear", "ph": "X", "ts": 0, "dur": 100, "tid": 1},
                {"name": "aten::matmul", "ph": "X", "ts": 10, "dur": 80, "tid": 1},
                {"name": "aten::mm", "ph": "X", "ts": 15, "dur": 70, "tid": 1},
                {"name": "aten::add", "ph": "X", "ts": 120, "dur": 10, "tid": 1},
                {"name": "aten::mul", "ph": "X", "ts": 20, "dur": 5, "tid": 2}
                ]""";
        Path f = dir.resolve("trace.json");
        Files.writeString(f, trace);
        Profile.Report r = Profile.parse(f, 1.0);
        assertEquals(3, r.topLevel());                          // linear, add, and mul on its own thread
        assertEquals(5, r.events());
        assertEquals("aten::mm", r.ops().get(0).name());        // most self time first
        assertEquals(0.070, r.ops().get(0).selfMs(), 1e-9);
        assertEquals(0.020, selfMs(r, "aten::linear"), 1e-9);  // 100 - 80
        assertEquals(0.010, selfMs(r, "aten::matmul"), 1e-9);  // 80 - 70
        assertEquals(0.070, r.productMs(), 1e-9);
        assertEquals(0.115, r.opMs(), 1e-9);
    }

    @Test
    void namedLanesAndCudnnConvolutionsAreRead(@TempDir Path dir) throws Exception {
        // a GPU run: lanes named rather than numbered, cuDNN's convolution inside the engine's convolution
        String trace = """
                [
                {"name": "aten::convolution", "ph": "X", "ts": 0, "dur": 50, "pid": "CPU functions", "tid": "0"},
                {"name": "aten::cudnn_convolution", "ph": "X", "ts": 5, "dur": 40, "pid": "CPU functions", "tid": "0"},
                {"name": "aten::add", "ph": "X", "ts": 10, "dur": 30, "pid": "CUDA functions", "tid": "stream 7"}
                ]""";
        Path f = dir.resolve("trace.json");
        Files.writeString(f, trace);
        Profile.Report r = Profile.parse(f, 1.0);
        assertEquals(2, r.topLevel());                          // the convolution, and the add in a lane of its own
        assertEquals(0.040, r.productMs(), 1e-9);
        assertEquals(0.010, selfMs(r, "aten::convolution"), 1e-9);
        assertEquals(0.030, selfMs(r, "aten::add"), 1e-9);
    }

    private static double selfMs(Profile.Report r, String name) {
        return r.ops().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow().selfMs();
    }
}
