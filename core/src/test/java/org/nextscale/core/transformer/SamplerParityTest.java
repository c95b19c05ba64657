package org.nextscale.core.transformer;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.EditMask;
import org.nextscale.core.api.EditMode;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.SampleOptions;

/** Greedy generation and zero-shot in-painting against the reference's autoregressive_infer_cfg. */
class SamplerParityTest {

    @ParameterizedTest
    @ValueSource(strings = {"tiny-a", "tiny-b"})
    void greedyGenerationMatchesReference(String name) throws IOException {
        try (ParityCase pc = ParityCase.load(name); NDManager m = pc.manager.newSubManager()) {
            Sampler sampler = pc.sampler();
            SampleOptions o = pc.options(0, pc.sampling().get("top_k").getAsInt(), pc.sampling().get("top_p").getAsDouble());
            assertEquals(1, o.topK(), "the reference run is greedy");
            SampleTrace trace = new SampleTrace();
            List<Long> progress = new ArrayList<>();
            int before = VarTransformerTest.resourceCount(pc.manager);
            NDArray img = sampler.sample(pc.array("labels", m), o, null, (s, done, total) -> progress.add(done),
                    CancelToken.none(), trace);
            for (int k = 0; k < pc.config.numScales(); k++) {
                pc.assertClose("gen_logits_s" + k, trace.logits.get(k));
                pc.assertTokens("gen_idx_s" + k, trace.sampled.get(k).toLongs());
                assertArrayEquals(trace.sampled.get(k).toLongs(), trace.tokens.get(k).toLongs(), "no edit: tokens are the sampled ones");
            }
            pc.assertClose("gen_fhat", trace.fhat);
            pc.assertClose("gen_img", img);
            assertEquals(pc.config.numScales(), progress.size());
            assertEquals(before, VarTransformerTest.resourceCount(pc.manager), "sampling left arrays in the weights' manager");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-a", "tiny-b"})
    void inpaintingMatchesReference(String name) throws IOException {
        try (ParityCase pc = ParityCase.load(name); NDManager m = pc.manager.newSubManager()) {
            Editor editor = new Editor(pc.sampler());
            JsonObject e = pc.sampling().getAsJsonObject("edit");
            int side = pc.lastSide();
            float[] mask = EditMasks.box(side, e.get("y0").getAsDouble(), e.get("x0").getAsDouble(), e.get("y1").getAsDouble(),
                    e.get("x1").getAsDouble(), e.get("inpainting").getAsBoolean());
            List<NDArray> tokens = new ArrayList<>();
            for (int k = 0; k < pc.config.numScales(); k++) tokens.add(pc.array("idx_s" + k, m));
            SampleOptions o = pc.options(0, 1, 0);
            SampleTrace trace = new SampleTrace();
            NDArray img = editor.edit(pc.array("inpaint_labels", m), tokens, mask, o, ProgressListener.NONE, CancelToken.none(), trace);
            checkInpaint(pc, trace, img);

            // the same edit from the image itself and a pixel box (tokens via the tokenizer, mask via area averaging)
            EditMask box = EditMask.box(pc.config.imageSize(), pc.config.imageSize(), e.get("y0").getAsDouble(),
                    e.get("x0").getAsDouble(), e.get("y1").getAsDouble(), e.get("x1").getAsDouble());
            NDArray image01 = pc.array("img", m).add(1f).mul(0.5f);
            SampleTrace fromImage = new SampleTrace();
            // unconditional, as the reference's demo (inpaint_labels = num_classes)
            NDArray img2 = editor.edit(image01, box, EditMode.INPAINT, o.withClass(SampleOptions.UNCONDITIONAL), ProgressListener.NONE,
                    CancelToken.none(), fromImage);
            checkInpaint(pc, fromImage, img2);
        }
    }

    private static void checkInpaint(ParityCase pc, SampleTrace trace, NDArray img) {
        for (int k = 0; k < pc.config.numScales(); k++) {
            pc.assertTokens("inpaint_keep_s" + k, trace.keep.get(k).toLongs());
            pc.assertClose("inpaint_logits_s" + k, trace.logits.get(k));
            pc.assertTokens("inpaint_sampled_idx_s" + k, trace.sampled.get(k).toLongs());
            pc.assertTokens("inpaint_idx_s" + k, trace.tokens.get(k).toLongs());
        }
        pc.assertClose("inpaint_fhat", trace.fhat);
        pc.assertClose("inpaint_img", img);
    }
}
