package org.nextscale.core.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Options of both trainers as key=value pairs, parsed in one place so that the CLI, the Fiji commands
 * and the notebook magics accept the same keys with the same defaults and messages.
 * (Placeholder: the training issue fills this in.)
 */
public final class TrainOptions {
    private final Map<String, String> values = new LinkedHashMap<>();

    public static TrainOptions parse(Map<String, String> keyValues) {
        TrainOptions o = new TrainOptions();
        o.values.putAll(keyValues);
        return o;
    }

    public Map<String, String> asMap() {
        return values;
    }
}
