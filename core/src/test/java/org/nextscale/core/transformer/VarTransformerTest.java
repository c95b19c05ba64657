package org.nextscale.core.transformer;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VarTransformerTest {

    @ParameterizedTest
    @ValueSource(strings = {"tiny-a", "tiny-b"})
    void teacherForcedLogitsAndLossMatchReference(String name) throws IOException {
        try (ParityCase pc = ParityCase.load(name); NDManager m = pc.manager.newSubManager()) {
            VarTransformer var = pc.transformer();
            NDArray logits = var.forward(pc.array("labels", m), pc.array("var_input", m));
            pc.assertClose("logits", logits);
            long[] tokens = pc.allTokens("idx_s");
            NDArray loss = VarTransformer.crossEntropy(logits, m.create(tokens, new Shape(2, pc.config.totalTokens())));
            pc.assertClose("ce_loss", loss.reshape(1));
        }
    }
}
