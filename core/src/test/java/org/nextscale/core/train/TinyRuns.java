package org.nextscale.core.train;

import java.util.LinkedHashMap;
import java.util.Map;

/** Options of CI-sized runs: 16x16 synthetic shapes, a tokenizer and transformer of a few thousand weights. */
public final class TinyRuns {
    private TinyRuns() {}

    public static Map<String, String> tokenizer(String out, int steps) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("data", "synthetic:128");
        m.put("steps", Integer.toString(steps));
        m.put("batch", "16");
        m.put("lr", "2e-3");
        m.put("seed", "1");
        m.put("vocab", "64");
        m.put("z", "8");
        m.put("ch", "32");
        m.put("ch_mult", "1,1");
        m.put("patch_nums", "1,2,4,8");
        m.put("log_every", "20");
        m.put("checkpoint_every", "0");
        m.put("out", out);
        return m;
    }

    public static Map<String, String> var(String tokenizer, String out, int steps) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("data", "synthetic:128");
        m.put("tokenizer", tokenizer);
        m.put("steps", Integer.toString(steps));
        m.put("batch", "16");
        m.put("lr", "2e-3");
        m.put("seed", "2");
        m.put("depth", "2");
        m.put("width", "64");
        m.put("heads", "2");
        m.put("log_every", "20");
        m.put("checkpoint_every", "0");
        m.put("out", out);
        return m;
    }
}
