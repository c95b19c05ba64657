package org.nextscale.core.transformer;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.tokenizer.MultiScaleQuantizer;

class RasterSamplerTest {

    /** Greedy cached sampling picks, at every position, the argmax of the teacher-forced CFG logits. */
    @Test
    void greedyCachedSamplingAgreesWithTeacherForcing() throws IOException {
        try (ParityCase pc = ParityCase.load("tiny-a"); NDManager m = pc.manager.newSubManager()) {
            VarTransformer raster = pc.rasterTransformer();
            MultiScaleQuantizer quant = pc.vae().quantizer();
            RasterSampler sampler = new RasterSampler(raster, quant);
            double cfg = 1.5;
            NDArray labels = m.create(new long[] {3, 7});
            NDArray tokens = sampler.sample(labels, new SampleOptions(0, 2, cfg, 1, 0, 0, false), ProgressListener.NONE, CancelToken.none());
            int n = pc.lastSide() * pc.lastSide();
            assertArrayEquals(new long[] {2, n}, tokens.getShape().getShape());
            NDArray input = RasterSampler.teacherInput(quant, tokens);                           // (2, N-1, Cvae)
            NDArray cond = raster.forward(labels, input);
            NDArray uncond = raster.forward(m.create(new long[] {10, 10}), input);
            NDArray guided = cond.mul((float) (1 + cfg)).sub(uncond.mul((float) cfg));
            long[] argmax = guided.argMax(-1).toLongArray();
            assertArrayEquals(argmax, tokens.toLongArray());
            long distinct = java.util.Arrays.stream(tokens.toLongArray()).distinct().count();
            System.out.printf("[tiny-a] raster greedy: %d tokens, %d distinct, equal to teacher-forced argmax%n", 2 * n, distinct);
            assertThrows(IllegalArgumentException.class, () -> new RasterSampler(pc.transformer(), quant));
        }
    }
}
