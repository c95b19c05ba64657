package org.nextscale.imagej.ij1;

import ij.plugin.filter.Analyzer;
import org.nextscale.imagej.TokenizeCommand;

/** {@code run("VAR Tokenize", "model=[...] scale=auto")}: token maps of the active image, token ids in the Results table. */
public class VarTokenize extends MacroCommand<TokenizeCommand> {
    @Override String label() { return "VAR Tokenize"; }
    @Override Class<TokenizeCommand> command() { return TokenizeCommand.class; }

    @Override
    void keys(MacroOptions k) {
        k.key("model", "model", MODEL).key("scale", "scale", SCALE);
    }

    @Override
    void show(TokenizeCommand c) {
        // the system Results table, so macros can use nResults, getResult("Token", i) and saveAs("Results", path)
        Analyzer.setResultsTable(c.tokens());
        c.tokens().show("Results");
        if (c.scales() != null) c.scales().show();          // the image after each scale, coarse to fine (one tile only)
        c.tokenMaps().show();                               // the active image
    }
}
