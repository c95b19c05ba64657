package org.nextscale.core.transformer;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The cache stores every block but the last; the last attends to the stored prefix and itself. */
class KvCacheTest {
    @Test
    void theLastBlockIsReturnedWithThePrefixButNotStored() {
        try (NDManager m = NDManager.newBaseManager(); KvCache cache = new KvCache(m, 1, 10, 4)) {
            assertEquals(6, cache.capacity(), "10 positions, the last block of 4 is not stored");
            NDArray a = m.randomNormal(new Shape(2, 3, 2, 5)), b = m.randomNormal(new Shape(2, 3, 4, 5)), c = m.randomNormal(new Shape(2, 3, 4, 5));
            NDArray seen = cache.keys(0, a);
            assertEquals(new Shape(2, 3, 2, 5), seen.getShape());
            cache.advance(2);
            seen = cache.keys(0, b);
            assertEquals(NDArrays.concat(new NDList(a, b), 2), seen, "stored blocks come back in order");
            cache.advance(4);
            seen = cache.keys(0, c);                                       // the last block: 6 stored + 4 of its own
            assertEquals(NDArrays.concat(new NDList(a, b, c), 2), seen);
            cache.advance(4);
            assertEquals(10, cache.length());
        }
    }

    @Test
    void aBlockThatDoesNotFitAndIsNotTheLastIsRefused() {
        try (NDManager m = NDManager.newBaseManager(); KvCache cache = new KvCache(m, 1, 10, 4)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> cache.keys(0, m.zeros(new Shape(1, 1, 8, 2))));
            assertTrue(e.getMessage().startsWith("key/value cache full: 8 > 6 positions"), e.getMessage());
        }
    }

    @Test
    void aSingleBlockSequenceStoresNothing() {
        try (NDManager m = NDManager.newBaseManager(); KvCache cache = new KvCache(m, 1, 3, 3)) {
            NDArray k = m.randomNormal(new Shape(1, 2, 3, 4));
            assertEquals(k, cache.values(0, k));
        }
    }
}
