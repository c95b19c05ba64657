package org.nextscale.core.api;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import org.junit.jupiter.api.Test;

/** The device option, parsed in one place for every front end; this machine has no GPU, so auto falls back to the CPU. */
class DevicesTest {
    @Test
    void autoIsTheDefaultAndFallsBackToTheCpuWithoutCuda() {
        assertEquals("auto", Devices.DEFAULT);
        assertEquals(0, Devices.gpuCount(), "this test machine has no GPU");
        assertEquals(Device.cpu(), Devices.parse("auto"));
        assertEquals(Device.cpu(), Devices.parse(null));
        assertEquals(Device.cpu(), Devices.parse(" AUTO "));
        assertEquals(Device.cpu(), Devices.parse("cpu"));
        assertTrue(Devices.engine().startsWith("PyTorch 2.7.1") && Devices.engine().endsWith("CPU only"), Devices.engine());
    }

    @Test
    void aGpuWhereThereIsNoneIsOneLineSayingWhatWasFoundAndHowToGetCuda() {
        for (String spec : new String[] {"gpu", "gpu:0", "cuda", "gpu:3"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Devices.parse(spec));
            assertEquals("device " + spec + " is not available: the engine (" + Devices.engine() + ") found no GPU; " + Devices.GPU_HELP
                    + ", or use --device cpu", e.getMessage());
        }
        for (String spec : new String[] {"tpu", "gpu:x", "gpu:", "2"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Devices.parse(spec));
            assertEquals("device must be auto, cpu, gpu or gpu:N, got '" + spec + "'", e.getMessage());
        }
    }

    @Test
    void gpuOutOfMemoryIsOneLineNamingWhatToLower() {
        RuntimeException oom = new RuntimeException("wrapped", new EngineException("CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; "
                + "79.1 GiB total capacity; 77.0 GiB already allocated)\nException raised from malloc at c10/cuda/CUDACachingAllocator.cpp"));
        assertEquals("the GPU ran out of memory: lower --batch, or use --device cpu", Devices.explain(oom, "--batch"));
        assertEquals("the GPU ran out of memory: lower --batch, or use --device cpu",
                Devices.explain(new EngineException("CUDA error: out of memory\nCUDA kernel errors might be asynchronously reported"), "--batch"),
                "the raw CUDA error, not only the caching allocator's message");
        assertNull(Devices.explain(new EngineException("shape mismatch"), "--batch"));
    }
}
