package org.nextscale.imagej;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Parses ImageJ-style option text: {@code key=value}, {@code key=[value with spaces]}, a lone word = true. */
public final class KeyValues {
    private KeyValues() {}

    /** "a=1 b=[x y] c" -> {a=1, b=x y, c=true}; keys lower-cased. */
    public static Map<String, String> parse(String options) {
        Map<String, String> kv = new LinkedHashMap<>();
        if (options == null) return kv;
        String s = options.trim();
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
            if (i >= s.length()) break;
            int start = i;
            while (i < s.length() && s.charAt(i) != '=' && !Character.isWhitespace(s.charAt(i))) i++;
            String key = s.substring(start, i).toLowerCase(Locale.ROOT);
            String value = "true";
            if (i < s.length() && s.charAt(i) == '=') {
                i++;
                int end;
                if (i < s.length() && s.charAt(i) == '[') {
                    end = s.indexOf(']', i);
                    if (end < 0)
                        throw new IllegalArgumentException("unclosed [ after " + key + "= in: " + options.trim()
                                + " (values with spaces are written key=[a b])");
                    value = s.substring(i + 1, end);
                    i = end + 1;
                } else {
                    end = i;
                    while (end < s.length() && !Character.isWhitespace(s.charAt(end))) end++;
                    value = s.substring(i, end);
                    i = end;
                }
            }
            kv.put(key, value);
        }
        return kv;
    }
}
