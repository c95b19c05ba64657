package org.nextscale.jupyter;

/**
 * A failed %var command: one line saying what was wrong and what to do. It carries no stack trace, so
 * kernels that print the trace of a failed cell still show a single line.
 */
public final class VarMagicError extends RuntimeException {
    public VarMagicError(String message) {
        super(message, null, false, false);
    }
}
