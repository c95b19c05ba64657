package org.nextscale.core.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.Devices;
import org.nextscale.core.api.TrainEvent;
import org.nextscale.core.api.TrainListener;
import org.nextscale.core.eval.ClassifierTraining;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nextscale train-classifier}: trains the Fashion-MNIST classifier that {@code nextscale eval} measures with. */
@Command(name = "train-classifier", mixinStandardHelpOptions = true,
        description = "Train the small Fashion-MNIST CNN used by 'nextscale eval' (features for FD and k-NN, class accuracy).")
final class TrainClassifierCommand implements Callable<Integer> {

    @Option(names = "--data", defaultValue = "fashion-mnist", description = "fashion-mnist (the installed data set) or a folder with its IDX files (default: ${DEFAULT-VALUE})")
    String data;

    @Option(names = "--epochs", defaultValue = "3", description = "passes over the 60,000 training images (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the initial weights and the shuffling (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--batch", defaultValue = "128", description = "images per step (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--lr", defaultValue = "2e-3", description = "peak AdamW learning rate, cosine-decayed to 0 (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--weight-decay", defaultValue = "1e-2", description = "AdamW weight decay on weights (default: ${DEFAULT-VALUE})")
    double weightDecay;

    @Option(names = "--device", defaultValue = Devices.DEFAULT, description = "auto (the first GPU when PyTorch has CUDA, else the CPU), cpu, gpu or gpu:N (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--out", required = true, description = "weights file to write, e.g. models/fmnist-classifier.safetensors")
    Path out;

    @Override
    public Integer call() throws Exception {
        ClassifierTraining.Options o = new ClassifierTraining.Options(DataOption.dir(data), epochs, seed, batch, lr,
                weightDecay, Devices.parse(device), out);
        TrainListener progress = new TrainListener() {
            @Override
            public void onStep(TrainEvent e) {
                if (e.step() % 50 == 0 || e.step() == e.totalSteps())
                    System.err.printf("step %d/%d  loss %.4f  batch acc %.3f  %.0f img/s  eta %.0fs%n",
                            e.step(), e.totalSteps(), e.loss(), e.accuracy(), e.imagesPerSecond(), e.etaSeconds());
            }

            @Override
            public void onMessage(String message) {
                System.err.println(message);
            }
        };
        ClassifierTraining.Result r = ClassifierTraining.train(o, progress, CancelToken.none());
        System.out.printf("test accuracy %.4f after %d steps (%.0f s); weights in %s%n", r.testAccuracy(), r.steps(), r.seconds(), r.file());
        return 0;
    }
}
