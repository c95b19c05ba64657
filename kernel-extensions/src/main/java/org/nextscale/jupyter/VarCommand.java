package org.nextscale.jupyter;

import java.nio.file.Path;
import java.util.Map;
import org.nextscale.core.api.EditMode;

/**
 * A parsed {@code %var} / {@code %%var} command: what the user asked for, with every value checked.
 * Parsing ({@link VarSyntax}) never touches a model; running ({@link VarMagics}) calls one core method.
 */
public sealed interface VarCommand {

    /** Load a model file; {@code file} null means the shipped model. */
    record Load(Path file, String device) implements VarCommand {}

    /** Class-conditional sampling of {@code count} images; the class is resolved by the model (number or name). */
    record Generate(String classSpec, int count, double cfg, int topK, double topP, long seed, boolean scales, int batch) implements VarCommand {}

    /** The token pyramid of an image file. */
    record Tokenize(Path image, String scale, String range, int batch) implements VarCommand {}

    /** Encode, quantize and decode an image file, with its PSNR. */
    record Reconstruct(Path image, String scale, String range, int batch) implements VarCommand {}

    /**
     * Zero-shot edit of an image file inside (or, for out-painting, outside) a box given as fractions or a rectangle in
     * pixels (x,y,w,h); out-painting may instead grow the canvas ({@code extend}); scale and range as the CLI's.
     */
    record Edit(EditMode mode, Path image, String box, String classSpec, long seed, String rect, String extend, String scale, String range)
            implements VarCommand {}

    /** Train the tokenizer or the transformer with the trainers' key=value options. */
    record Train(String phase, Map<String, String> options) implements VarCommand {}

    /** The table of commands. */
    record Help() implements VarCommand {}
}
