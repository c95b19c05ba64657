package org.nextscale.core;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.Devices;
import org.nextscale.core.api.EditMask;
import org.nextscale.core.api.EditMode;
import org.nextscale.core.api.Image;
import org.nextscale.core.api.PixelScale;
import org.nextscale.core.api.ProgressListener;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.api.SeamMode;
import org.nextscale.core.api.TrainListener;
import org.nextscale.core.api.VarModel;
import org.nextscale.core.bench.OfficialBench;
import org.nextscale.core.data.FashionMnist;
import org.nextscale.core.data.LabeledImages;
import org.nextscale.core.eval.Classifier;
import org.nextscale.core.eval.Evaluator;
import org.nextscale.core.model.ParityCheck;
import org.nextscale.core.tiling.EditWindows;
import org.nextscale.core.tiling.Tiles;
import org.nextscale.core.train.TrainOptions;
import org.nextscale.core.train.Training;

/**
 * Run by {@link DefaultDeviceTest} in a JVM of its own: makes gpu:0 the engine's default device and the system manager's
 * (by reflection; this CPU libtorch then refuses any array made there), then runs the whole product with its model on
 * the CPU, and prints one line per part ("ok PART" or "FAILED PART: why"). An array made on the default device instead
 * of the one asked for, the mistake a first GPU run would meet, fails its part.
 * Usage: DefaultDeviceCheck WORK_DIR
 */
public final class DefaultDeviceCheck {
    private DefaultDeviceCheck() {}

    interface Part {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        Engine engine = Engine.getInstance();
        Field dflt = Engine.class.getDeclaredField("defaultDevice");
        dflt.setAccessible(true);
        dflt.set(engine, Device.gpu(0));
        Field device = BaseNDManager.class.getDeclaredField("device");
        device.setAccessible(true);
        try (NDManager probe = NDManager.newBaseManager(Devices.host())) {
            NDManager root = probe;
            while (root.getParentManager() != null && root.getParentManager() != root) root = root.getParentManager();
            device.set(root, Device.gpu(0));
        }
        Device cpu = Devices.parse("cpu");
        Map<String, Part> parts = new LinkedHashMap<>();
        parts.put("canary (an array on the default device must fail here)", () -> {
            try (NDManager m = NDManager.newBaseManager()) {
                m.create(1f).toFloatArray();
            }
        });
        Path model = TestPaths.parityModel("tiny-a", dir);
        Image img = Image.zeros(3, 48, 40);
        for (int i = 0; i < img.data().length; i++) img.data()[i] = (i * 37 % 101) / 100f;
        try (VarModel m = VarModel.load(model, cpu)) {
            SampleOptions o = SampleOptions.defaults().withClass(1).withCount(2).withSeed(3);
            List<Integer> scales = new ArrayList<>();
            parts.put("generate with a scale listener", () -> {
                m.generate(o, ProgressListener.NONE, CancelToken.none(), f -> scales.add(1));
                if (scales.isEmpty()) throw new IllegalStateException("no scale reported");
            });
            EditMask box = EditMask.box(48, 40, 0.3, 0.3, 0.7, 0.7);
            for (EditMode mode : EditMode.values())
                parts.put("edit " + mode, () -> EditWindows.edit(m, img, box, mode, o.withCount(1), SeamMode.BLEND, PixelScale.AUTO,
                        ProgressListener.NONE, CancelToken.none(), org.nextscale.core.api.ScaleListener.NONE));
            parts.put("tokenize (tiled)", () -> Tiles.tokenize(m, img, PixelScale.AUTO, ProgressListener.NONE, CancelToken.none()));
            parts.put("reconstruct (tiled)", () -> Tiles.reconstruct(m, img, PixelScale.AUTO, ProgressListener.NONE, CancelToken.none()));
            parts.put("coarse to fine", () -> m.coarseToFine(Image.zeros(3, 32, 32)));
            parts.put("parity", () -> {
                ParityCheck.Result r = ParityCheck.run(TestPaths.parity("tiny-a"), null, cpu, line -> { });
                if (r.failed() > 0) throw new IllegalStateException(r.failed() + " parity tensors failed");
            });
            run(parts);
        }
        parts.clear();
        parts.put("train a tokenizer, checkpoint, resume", () -> {
            Map<String, String> t = new LinkedHashMap<>(Map.of("data", "synthetic:32", "steps", "4", "batch", "4", "device", "cpu", "vocab", "16",
                    "z", "4", "ch", "32", "ch_mult", "1,1", "patch_nums", "1,2,4", "checkpoint_every", "2"));
            t.put("out", dir.resolve("tok.zip").toString());
            t.put("eval_every", "2");
            t.put("preview_every", "2");
            t.put("val", "0.25");
            Training.trainTokenizer(TrainOptions.parse(t), TrainListener.NONE, null);
            Training.trainTokenizer(TrainOptions.parse(Map.of("resume", dir.resolve("tok.ckpt.zip").toString(), "steps", "6")), TrainListener.NONE, null);
            Map<String, String> v = new LinkedHashMap<>(Map.of("data", "synthetic:32", "steps", "4", "batch", "4", "device", "cpu", "depth", "1",
                    "width", "32", "heads", "2", "checkpoint_every", "2", "eval_every", "2", "preview_every", "2"));
            v.put("tokenizer", dir.resolve("tok.zip").toString());
            v.put("out", dir.resolve("var.zip").toString());
            v.put("val", "0.25");
            Training.trainVar(TrainOptions.parse(v), TrainListener.NONE, null);
            Training.trainVar(TrainOptions.parse(Map.of("resume", dir.resolve("var.ckpt.zip").toString(), "steps", "6")), TrainListener.NONE, null);
        });
        parts.put("eval (classifier, samples, reconstructions)", () -> {
            Path shipped = TestPaths.repo().resolve("models/fashion-mnist.zip");
            LabeledImages test = FashionMnist.load(FashionMnist.defaultDir(), false, 40), train = FashionMnist.load(FashionMnist.defaultDir(), true, 40);
            try (NDManager m = NDManager.newBaseManager(cpu); VarModel vm = VarModel.load(shipped, cpu)) {
                Classifier c = Classifier.load(TestPaths.repo().resolve("models/fmnist-classifier.safetensors"), m);
                Evaluator.evaluate(vm, SampleOptions.defaults(), Evaluator.Settings.of(20, 1), test, train, c, ProgressListener.NONE, CancelToken.none());
            }
        });
        parts.put("official bench (tiny model)", () -> OfficialBench.measure(model, cpu, 0, 1, false, line -> { }));
        run(parts);
        System.exit(0);
    }

    private static void run(Map<String, Part> parts) {
        for (Map.Entry<String, Part> p : parts.entrySet()) {
            try {
                p.getValue().run();
                System.out.println("ok " + p.getKey());
            } catch (Throwable e) {
                Throwable root = e;
                while (root.getCause() != null) root = root.getCause();
                System.out.println("FAILED " + p.getKey() + ": " + root.getClass().getSimpleName() + ": " + String.valueOf(root.getMessage()).split("\n")[0]);
            }
        }
    }
}
