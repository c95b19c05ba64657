package org.nextscale.imagej.ij1;

import org.nextscale.imagej.TokenizeCommand;

/**
 * {@code run("VAR Tokenize...", "model=[...] scale=auto")}: token maps of the active image (pixel values = token ids), and
 * a table of its own, "Tokens of TITLE" (a macro reads it with Table.size("Tokens of " + title) and Table.get(...)), so the
 * user's Results table is left as it was.
 */
public class VarTokenize extends MacroCommand<TokenizeCommand> {
    @Override String label() { return "VAR Tokenize"; }
    @Override Class<TokenizeCommand> command() { return TokenizeCommand.class; }

    @Override
    void keys(MacroOptions k) {
        k.intro("Shows the tokens the model's tokenizer gives the image: one map per scale, coarse to fine,", "pixel values are token ids.");
        model(k);
        scale(k);
        k.macroOnly("batch", "batch");                      // images (tiles) per model call: for a GPU short of memory
        k.help(Help.page("Tokenize", "<p>The tokenizer turns the image into a pyramid of token maps, 1x1 first; each token is one entry of "
                + "the model's codebook. The result is a stack with one slice per scale (hover a pixel to read its token id) and a table "
                + "<i>Tokens of TITLE</i> with one row per token.</p>" + Help.SCALE));
    }

    @Override
    void show(TokenizeCommand c) {
        c.tokens().show(c.tableTitle());
        if (c.scales() != null) Results.show(c.scales());   // the image after each scale, coarse to fine (one tile only)
        Results.show(c.tokenMaps());                        // the active image
    }
}
