package org.nextscale.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;
import org.nextscale.core.api.Devices;

/**
 * Reading an array into Java leaves nothing behind in the array's manager. On a GPU the engine's copy to the host would
 * stay there until the manager closes (a training run's checkpoints, three models' worth each); on the CPU the same
 * path is taken by a float16 array, whose float32 conversion is the proxy this test watches.
 */
class HostCopyTest {
    @Test
    void aFloat16ArrayIsReadWithoutLeavingAnArrayBehind() {
        try (NDManager m = NDManager.newBaseManager(Devices.host())) {
            NDArray half = m.create(new float[] {1.5f, -2f, 0.25f, 1000f}).toType(DataType.FLOAT16, false);
            NDArray ids = m.create(new int[] {3, 1, 2});
            int before = m.getManagedArrays().size();
            for (int i = 0; i < 50; i++) {
                assertArrayEquals(new float[] {1.5f, -2f, 0.25f, 1000f}, HostTensor.fromNDArray(half).toFloats());
                assertArrayEquals(new long[] {3, 1, 2}, HostTensor.fromNDArray(ids).toLongs());
            }
            assertEquals(before, m.getManagedArrays().size(), "host copies and conversions must not stay in the array's manager");
        }
    }
}
