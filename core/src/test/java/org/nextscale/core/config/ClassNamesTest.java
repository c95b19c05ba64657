package org.nextscale.core.config;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The official ImageNet names in checkpoint order, and resolving what users type to a class. */
class ClassNamesTest {
    static final List<String> NET = ClassNames.imageNet();

    @Test
    void knownIndicesOfTheOfficialOrder() {
        assertEquals(1000, NET.size());
        assertEquals("tench", NET.get(0));
        assertEquals("goldfish", NET.get(1));
        assertEquals("golden retriever", NET.get(207));
        assertEquals("tabby", NET.get(281));
        assertEquals("volcano", NET.get(980));
        assertEquals("toilet tissue", NET.get(999));
    }

    @Test
    void namesNumbersAndUnconditional() {
        assertEquals(207, ClassNames.resolve(NET, "golden retriever"));
        assertEquals(207, ClassNames.resolve(NET, " Golden_Retriever "));
        assertEquals(207, ClassNames.resolve(NET, "207"));
        assertEquals(-1, ClassNames.resolve(NET, "uncond"));
        assertEquals(-1, ClassNames.resolve(NET, "-1"));
        assertEquals(1, ClassNames.resolve(List.of("T-shirt/top", "Trouser"), "trouser"));
    }

    @Test
    void ambiguousAndUnknownNamesListTheCandidates() {
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> ClassNames.resolve(NET, "crane"));
        assertEquals("class 'crane' names 2 classes: 134 (crane), 517 (crane); give the number", twice.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> ClassNames.resolve(NET, "golden retreiver"));
        assertTrue(none.getMessage().startsWith("unknown class 'golden retreiver': use a number 0..999, -1 for unconditional, or a name; closest: 207 (golden retriever)"),
                none.getMessage());
        IllegalArgumentException partial = assertThrows(IllegalArgumentException.class, () -> ClassNames.resolve(NET, "retriever"));
        assertTrue(partial.getMessage().contains("207 (golden retriever)") && partial.getMessage().contains("208 (Labrador retriever)"), partial.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> ClassNames.resolve(NET, "1000"));
        assertTrue(range.getMessage().startsWith("unknown class '1000'"), range.getMessage());
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () -> ClassNames.resolve(List.of("a", "b"), "c"));
        assertEquals("unknown class 'c': use a number 0..1, -1 for unconditional, or a name: a, b", small.getMessage());
    }
}
