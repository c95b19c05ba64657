package org.nextscale.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyValuesTest {
    @Test
    void parsesPlainBracketedAndFlagValues() {
        Map<String, String> kv = KeyValues.parse(" Model=[/a b/m.zip] class=3 smooth  top_p=0.9 ");
        assertEquals(Map.of("model", "/a b/m.zip", "class", "3", "smooth", "true", "top_p", "0.9"), kv);
        assertEquals(Map.of(), KeyValues.parse(null));
    }

    @Test
    void unclosedBracketIsAClearError() {
        var e = assertThrows(IllegalArgumentException.class, () -> KeyValues.parse("model=[a b"));
        assertEquals(true, e.getMessage().contains("key=[a b]"));
    }
}
