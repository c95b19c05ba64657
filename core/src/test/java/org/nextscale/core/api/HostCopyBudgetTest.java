package org.nextscale.core.api;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.TestPaths;
import org.nextscale.core.train.TinyRuns;
import org.nextscale.core.train.TrainOptions;
import org.nextscale.core.train.Training;

/**
 * Copies between Java and the engine's arrays, counted where DJL's PyTorch engine makes them (an agent on
 * {@code JniUtils}: arrays made from Java buffers or written from them, and arrays read back into Java). On a GPU each
 * is a blocking copy and a stream synchronisation, so none may sit in a loop over tokens, images or the layers of a
 * scale: per call the counts do not grow with the batch and stay within one upload and one read per scale (the CPU's
 * exact host draw of the tokens, which parity needs) plus a few per call; a training step uploads its batch and reads
 * its logged figures and its gradient norm in one read, nothing more. A Number overload ({@code x.add(1f)}) or a mask built every scale shows up here.
 */
class HostCopyBudgetTest {
    /** The counters the injected code adds to (public: it runs inside DJL's class). */
    public static final class Copies {
        public static final AtomicLong UPLOADS = new AtomicLong(), READS = new AtomicLong();
    }

    public static final class CountUpload {
        @Advice.OnMethodEnter
        public static void enter() {
            Copies.UPLOADS.incrementAndGet();
        }
    }

    public static final class CountRead {
        @Advice.OnMethodEnter
        public static void enter() {
            Copies.READS.incrementAndGet();
        }
    }

    record Count(long uploads, long reads) {}

    @TempDir
    static Path dir;
    static VarModel model;
    static int scales;
    static final SampleOptions ONE = new SampleOptions(3, 1, 1.5, 900, 0.95, 7, false, 1);

    @BeforeAll
    static void instrument() throws Exception {
        new AgentBuilder.Default().disableClassFormatChanges().with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .type(named("ai.djl.pytorch.jni.JniUtils"))
                .transform((b, type, loader, module, domain) -> b
                        .visit(Advice.to(CountUpload.class).on(named("createNdFromByteBuffer").or(named("set"))))
                        .visit(Advice.to(CountRead.class).on(named("getByteBuffer"))))
                .installOn(ByteBuddyAgent.install());
        model = VarModel.load(TestPaths.repo().resolve("models/fashion-mnist.zip"), Device.cpu());
        scales = model.tokenize(generate(ONE)).get(0).numScales();
        model.reconstruct(generate(ONE));          // the encoder is read from the file on first use: not a per-call copy
        long before = Copies.UPLOADS.get();
        generate(ONE);
        assertTrue(Copies.UPLOADS.get() > before, "the agent counts nothing: DJL's JniUtils has changed (" + Map.of("uploads", before) + ")");
    }

    @AfterAll
    static void close() {
        if (model != null) model.close();
    }

    static List<Image> generate(SampleOptions o) {
        return model.generate(o, ProgressListener.NONE, CancelToken.none());
    }

    static <T> Count count(Supplier<T> work) {
        long u = Copies.UPLOADS.get(), r = Copies.READS.get();
        work.get();
        return new Count(Copies.UPLOADS.get() - u, Copies.READS.get() - r);
    }

    private static void withinScaleBudget(String what, Count c, int perCall) {
        assertTrue(c.uploads() <= scales + perCall, what + ": " + c.uploads() + " uploads for " + scales + " scales");
        assertTrue(c.reads() <= scales + 2, what + ": " + c.reads() + " reads for " + scales + " scales");
    }

    @Test
    void samplingCopiesDoNotGrowWithTheBatch() {
        Count one = count(() -> generate(ONE)), sixteen = count(() -> generate(ONE.withCount(16).withBatch(16)));
        assertEquals(one, sixteen, "copies of 1 image and of 16 in one batch");
        withinScaleBudget("generate", one, 8);
        Count shown = count(() -> model.generate(ONE.withCount(4).withBatch(4), ProgressListener.NONE, CancelToken.none(), f -> {}));
        assertEquals(one, shown, "a scale listener that only watches adds no copy");
    }

    @Test
    void everyEditModeStaysWithinTheBudget() {
        Image image = generate(ONE).get(0);
        int side = image.height();
        for (EditMode mode : EditMode.values()) {
            SampleOptions o = mode == EditMode.CLASS_EDIT ? ONE.withClass(7) : ONE;
            Count small = count(() -> model.edit(image, EditMask.box(side, side, 0.4, 0.4, 0.6, 0.6), mode, o, ProgressListener.NONE, CancelToken.none()));
            Count large = count(() -> model.edit(image, EditMask.box(side, side, 0.1, 0.1, 0.9, 0.9), mode, o, ProgressListener.NONE, CancelToken.none()));
            assertEquals(small, large, mode + ": copies of a small and a large box");
            withinScaleBudget(mode.toString(), small, 14);
        }
    }

    @Test
    void tokenizeAndReconstructCopyOnceForTheBatch() {
        List<Image> two = generate(ONE.withCount(2).withBatch(2)), sixteen = generate(ONE.withCount(16).withBatch(16));
        Count t2 = count(() -> model.tokenize(two)), t16 = count(() -> model.tokenize(sixteen));
        assertEquals(t2, t16, "tokenize: copies of 2 images and of 16");
        withinScaleBudget("tokenize", t2, 2);
        Count r2 = count(() -> model.reconstruct(two)), r16 = count(() -> model.reconstruct(sixteen));
        assertEquals(r2, r16, "reconstruct: copies of 2 images and of 16");
        assertTrue(r2.uploads() <= 8 && r2.reads() <= 1, "reconstruct: " + r2);
    }

    @Test
    void aTokenizerStepUploadsItsBatchOnce() {
        Count[] runs = new Count[2];
        int[] steps = {2, 12};
        for (int i = 0; i < 2; i++) {
            Map<String, String> o = TinyRuns.tokenizer(dir.resolve("tok" + steps[i] + ".zip").toString(), steps[i]);
            o.put("val", "0");
            o.put("eval_every", "0");
            o.put("preview_every", "0");
            o.put("log_every", "1000");                    // no codebook re-draw between the two counts
            runs[i] = count(() -> {
                try {
                    return Training.trainTokenizer(TrainOptions.parse(o), null, null);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        double uploads = (runs[1].uploads() - runs[0].uploads()) / 10.0, reads = (runs[1].reads() - runs[0].reads()) / 10.0;
        System.out.printf("host copies per tokenizer step: %.1f uploads, %.1f reads%n", uploads, reads);
        assertTrue(uploads <= 1, uploads + " uploads per step (the batch; the codebook draws' copy only when one is drawn)");
        assertTrue(reads <= 1, reads + " reads per step (the loss, the codebook hits and the gradient norm, together)");
    }

    @Test
    void aTrainingStepUploadsItsBatchAndReadsItsFigures() throws Exception {
        String tok = Training.trainTokenizer(TrainOptions.parse(TinyRuns.tokenizer(dir.resolve("tok.zip").toString(), 2)), null, null).toString();
        double[] perStep = new double[2];
        for (String ema : new String[] {"0", "0.99"}) {
            Count[] runs = new Count[2];
            int[] steps = {2, 12};
            for (int i = 0; i < 2; i++) {
                Map<String, String> o = TinyRuns.var(tok, dir.resolve("var" + steps[i] + "-" + ema + ".zip").toString(), steps[i]);
                o.put("val", "0");
                o.put("eval_every", "0");
                o.put("preview_every", "0");
                o.put("log_every", "1000");
                o.put("ema", ema);
                runs[i] = count(() -> {
                    try {
                        return Training.trainVar(TrainOptions.parse(o), null, null);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
            double uploads = (runs[1].uploads() - runs[0].uploads()) / 10.0, reads = (runs[1].reads() - runs[0].reads()) / 10.0;
            System.out.printf("host copies per training step (ema %s): %.1f uploads, %.1f reads%n", ema, uploads, reads);
            assertTrue(uploads <= (ema.equals("0") ? 4 : 5), uploads + " uploads per step (tokens and labels, per micro-batch), ema " + ema);
            assertTrue(reads <= 1, reads + " reads per step (the logged figures and the gradient norm for clipping, together), ema " + ema);
            perStep[ema.equals("0") ? 0 : 1] = uploads;
        }
        assertEquals(1.0, perStep[1] - perStep[0], 1e-9, "the moving average adds the upload of its step's factor, nothing per tensor");
    }
}
