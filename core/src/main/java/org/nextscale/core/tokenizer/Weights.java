package org.nextscale.core.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nextscale.core.nn.Params;

/**
 * The tokenizer's view of {@link Params}: every weight a layer will read is checked once, at
 * construction, for presence and shape (so a wrong config or file fails with the weight's name), and
 * recorded so {@link VqVae#parameterNames()} can list the trainable weights in state-dict order.
 * Layers look their arrays up on every call, so weights replaced in Params are picked up.
 */
final class Weights {
    private final Params params;
    private final List<String> names = new ArrayList<>();
    private final NDManager constants;
    private final Map<Long, NDArray[]> unitAffine = new ConcurrentHashMap<>();

    Weights(Params params) {
        this.params = params;
        this.constants = params.manager().newSubManager();
    }

    /**
     * A unit gain and a zero shift of length n, {ones(n), zeros(n)}, made on first use and kept with the
     * weights (in a sub-manager of theirs), for normalisations that have no affine of their own.
     */
    NDArray[] unitAffine(long n) {
        return unitAffine.computeIfAbsent(n, k -> new NDArray[] {constants.ones(new Shape(k)), constants.zeros(new Shape(k))});
    }

    /** Checks that {@code name} exists with the given shape and records it; returns the name. */
    String require(String name, long... shape) {
        long[] actual = params.shape(name);                               // a deferred weight stays unread
        if (!Arrays.equals(actual, shape))
            throw new IllegalArgumentException("tokenizer weight '" + name + "' has shape " + Arrays.toString(actual)
                    + " but the model config expects " + Arrays.toString(shape) + ": config and weights do not belong together");
        names.add(name);
        return name;
    }

    boolean has(String name) {
        return params.has(name);
    }

    NDArray get(String name) {
        return params.get(name);
    }

    /**
     * The weight as a view owned by {@code m}: operations that start from a weight would otherwise leave
     * their results in the weights' manager, which lives as long as the model (shared NOTES, memory).
     */
    NDArray local(String name, NDManager m) {
        NDArray w = params.get(name);
        NDArray v = w.reshape(w.getShape());
        v.attach(m);
        return v;
    }

    List<String> names() {
        return Collections.unmodifiableList(names);
    }
}
