package org.nextscale.core.train;

/**
 * Recognises a corrupt gradient so the step can be recomputed instead of applied. On this machine's
 * PyTorch 2.7.1 CPU build a backward pass through the tokenizer very occasionally (about one in fifty)
 * returns garbage (NaN or 1e16..1e37) in some gradients; recomputing the same step gives the correct,
 * deterministic values. A norm is suspicious when it is not finite or a thousand times the usual norm.
 */
final class GradientGuard {
    static final int MAX_ATTEMPTS = 4;
    private double typical = Double.NaN;

    /** True when {@code norm} looks like a real gradient (and it is then remembered as usual). */
    boolean accept(double norm) {
        if (!Double.isFinite(norm)) return false;
        if (!Double.isNaN(typical) && norm > 1000 * Math.max(1, typical)) return false;
        typical = Double.isNaN(typical) ? norm : 0.9 * typical + 0.1 * norm;
        return true;
    }
}
