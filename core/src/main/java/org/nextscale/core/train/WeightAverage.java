package org.nextscale.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.model.ModelFile;
import org.nextscale.core.nn.NoGrad;
import org.nextscale.core.nn.Params;

/**
 * An exponential moving average of the trained weights (the "EMA" of diffusion trainers): after optimizer step s,
 * avg = avg + (1 - d) (w - avg) with d = min(decay, (1 + s) / (10 + s)), so the average follows the weights closely
 * early on and smooths over about 1 / (1 - decay) steps later. Its weights are what the model file, the best model,
 * validation and previews use; the checkpoint keeps both (the average as "ema.NAME"), so a resumed run is bit for bit
 * the uninterrupted one. Everything stays on the engine: one upload of the step's factor, no read.
 */
final class WeightAverage {
    private final double decay;
    private final List<String> names;
    private final Params live, averaged;
    private final NDManager manager;

    /** Averages the weights {@code names} of {@code live}, starting from their current values. */
    WeightAverage(Params live, List<String> names, double decay) {
        this.decay = decay;
        this.names = List.copyOf(names);
        this.live = live;
        this.manager = live.manager();
        this.averaged = new Params(manager);
        try (NoGrad noGrad = new NoGrad()) {            // copies outside any autograd graph
            for (String n : live.names()) averaged.put(n, this.names.contains(n) ? live.get(n).duplicate() : live.get(n));
        }
    }

    /** The weights with the averaged ones in place of the trained ones (the rest shared with the live weights). */
    Params params() {
        return averaged;
    }

    /** The decay after {@code stepsDone} optimizer steps. */
    double decayAt(long stepsDone) {
        return Math.min(decay, (1.0 + stepsDone) / (10.0 + stepsDone));
    }

    /** Moves the average toward the live weights, after optimizer step {@code stepsDone}. */
    void update(long stepsDone) {
        try (NoGrad noGrad = new NoGrad(); NDManager step = manager.newSubManager()) {
            NDArray rate = step.create((float) (1 - decayAt(stepsDone)));
            for (String n : names) {
                NDArray avg = averaged.get(n);
                try (NDArray diff = live.get(n).sub(avg)) {
                    avg.addi(diff.muli(rate));
                }
            }
        }
    }

    /** The average, keyed "ema.NAME", for checkpoints. */
    Map<String, HostTensor> state() {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (String n : names) out.put(ModelFile.MOVING_AVERAGE_PREFIX + n, HostTensor.fromNDArray(averaged.get(n)));
        return out;
    }

    /** Restores the average from a checkpoint; one written without it (a run that had no average) starts it from the weights. */
    void load(Map<String, HostTensor> state) {
        for (String n : names) {
            HostTensor t = state.get(ModelFile.MOVING_AVERAGE_PREFIX + n);
            if (t != null) averaged.get(n).set(t.toFloats());
        }
    }
}
