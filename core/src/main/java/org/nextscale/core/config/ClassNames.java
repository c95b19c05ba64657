package org.nextscale.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Class names: the 1000 ImageNet names of the official checkpoints, and resolving what a user typed
 * ("207", "golden retriever", "Golden_Retriever", "-1") to a class index, with a message that lists the
 * candidates when a name matches several classes ("crane" is both 134 and 517) or none.
 */
public final class ClassNames {
    private ClassNames() {}

    private static volatile List<String> imageNet;

    /** The ImageNet-1k names in the official index order (resource imagenet-classes.txt; its header cites the source). */
    public static List<String> imageNet() {
        if (imageNet == null) {
            try (InputStream in = ClassNames.class.getResourceAsStream("/org/nextscale/core/model/imagenet-classes.txt")) {
                if (in == null) throw new IllegalStateException("the ImageNet class names are missing from the nextscale core jar");
                List<String> names = new ArrayList<>();
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                    if (!line.isBlank() && !line.startsWith("#")) names.add(line.strip());
                if (names.size() != 1000) throw new IllegalStateException("expected 1000 ImageNet class names, found " + names.size());
                imageNet = List.copyOf(names);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the ImageNet class names: " + e.getMessage(), e);
            }
        }
        return imageNet;
    }

    /** Lower case, underscores and dashes as spaces, single spaces: "Golden_Retriever" = "golden retriever". */
    static String key(String s) {
        return s.toLowerCase(Locale.ROOT).replace('_', ' ').replace('-', ' ').trim().replaceAll("\\s+", " ");
    }

    /**
     * The index of {@code spec} among {@code names}: a number 0..n-1, -1 / "uncond" / "unconditional" for
     * unconditional (returned as -1), or a name (case, underscores and dashes ignored). Throws with the
     * matching classes when a name is ambiguous, and with the closest names when nothing matches.
     */
    public static int resolve(List<String> names, String spec) {
        String s = spec == null ? "" : spec.trim();
        if (s.equals("-1") || s.equalsIgnoreCase("uncond") || s.equalsIgnoreCase("unconditional")) return -1;
        String k = key(s);
        List<Integer> hits = IntStream.range(0, names.size()).filter(i -> key(names.get(i)).equals(k)).boxed().toList();
        if (hits.size() == 1) return hits.get(0);
        if (hits.size() > 1)
            throw new IllegalArgumentException("class '" + spec + "' names " + hits.size() + " classes: " + describe(names, hits)
                    + "; give the number");
        try {
            int c = Integer.parseInt(s);
            if (c >= 0 && c < names.size()) return c;
        } catch (NumberFormatException ignored) {
            // fall through to the message
        }
        if (names.size() <= 20)
            throw new IllegalArgumentException("unknown class '" + spec + "': use a number 0.." + (names.size() - 1)
                    + ", -1 for unconditional, or a name: " + String.join(", ", names));
        List<Integer> closest = IntStream.range(0, names.size()).boxed()
                .sorted(Comparator.comparingInt((Integer i) -> distance(k, key(names.get(i)))).thenComparing(i -> i)).limit(5).toList();
        throw new IllegalArgumentException("unknown class '" + spec + "': use a number 0.." + (names.size() - 1)
                + ", -1 for unconditional, or a name; closest: " + describe(names, closest));
    }

    private static String describe(List<String> names, List<Integer> idx) {
        List<String> parts = new ArrayList<>();
        for (int i : idx) parts.add(i + " (" + names.get(i) + ")");
        return String.join(", ", parts);
    }

    /** How far a typed name is from a class name: 0 when one contains the other, else the edit distance. */
    static int distance(String typed, String name) {
        if (!typed.isEmpty() && (name.contains(typed) || typed.contains(name))) return Math.abs(name.length() - typed.length()) / 8;
        int[] prev = new int[name.length() + 1], cur = new int[name.length() + 1];
        for (int j = 0; j <= name.length(); j++) prev[j] = j;
        for (int i = 1; i <= typed.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= name.length(); j++)
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (typed.charAt(i - 1) == name.charAt(j - 1) ? 0 : 1));
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[name.length()];
    }
}
