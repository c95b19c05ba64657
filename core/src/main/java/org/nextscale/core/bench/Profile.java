package org.nextscale.core.bench;

import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one run of a task spends its time on, from the engine's own profiler (PyTorch's autograd profiler,
 * started and stopped through DJL): every engine operator with its call count and self time (its time
 * minus that of the operators it called). Top-level operators are the engine calls the Java side made
 * (plus the backward functions autograd ran); the matrix-product share tells how much time was spent
 * outside matrix products and convolutions.
 */
public final class Profile {
    /** Operators whose self time counts as matrix-product time. */
    private static final List<String> PRODUCTS = List.of("aten::mm", "aten::bmm", "aten::addmm", "aten::baddbmm",
            "aten::mkldnn_convolution", "aten::_slow_conv2d_forward", "aten::_slow_conv2d_backward", "aten::convolution_backward",
            "aten::thnn_conv2d", "aten::_nnpack_spatial_convolution", "aten::mkldnn_convolution_backward",
            "aten::cudnn_convolution", "aten::cudnn_convolution_transpose");

    public record Op(String name, int calls, double selfMs) {}

    /** totalMs: wall time of the run; topLevel: operators not called by another operator. */
    public record Report(double totalMs, int topLevel, int events, List<Op> ops) {
        public double productMs() {
            return ops.stream().filter(o -> PRODUCTS.contains(o.name())).mapToDouble(Op::selfMs).sum();
        }

        public double opMs() {
            return ops.stream().mapToDouble(Op::selfMs).sum();
        }

        public String format(int top) {
            StringBuilder s = new StringBuilder();
            s.append(String.format(Locale.ROOT, "  wall %.0f ms; %d top-level engine calls, %d operator events; in operators %.0f ms, "
                    + "of which matrix products/convolutions %.0f ms (%.0f%%), outside operators (Java, JNI) %.0f ms%n", totalMs, topLevel,
                    events, opMs(), productMs(), 100 * productMs() / Math.max(1e-9, opMs()), totalMs - opMs()));
            s.append(String.format(Locale.ROOT, "  %-52s %7s %10s %6s%n", "operator", "calls", "self ms", "share"));
            for (Op o : ops.subList(0, Math.min(top, ops.size())))
                s.append(String.format(Locale.ROOT, "  %-52s %7d %10.1f %5.1f%%%n", o.name(), o.calls(), o.selfMs(), 100 * o.selfMs() / opMs()));
            return s.toString();
        }
    }

    private Profile() {}

    /** Runs {@code work} once under the engine profiler; {@code gpu}: the work runs on a GPU, whose time is recorded too. */
    public static Report of(Runnable work, boolean gpu) throws IOException {
        Path trace = Files.createTempFile("nextscale-profile", ".json");
        try {
            JniUtils.startProfile(gpu, false, false);
            long t0 = System.nanoTime();
            try {
                work.run();
            } finally {
                JniUtils.stopProfile(trace.toString());
            }
            return parse(trace, (System.nanoTime() - t0) / 1e6);
        } finally {
            Files.deleteIfExists(trace);
        }
    }

    /** lane: the event's process and thread ("pid/tid"; a GPU's lanes are named, not numbered). */
    private record Event(String name, String lane, double ts, double dur) {}

    private static String lane(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? "" : e.getAsString();
    }

    static Report parse(Path trace, double wallMs) throws IOException {
        JsonArray arr;
        try (Reader r = Files.newBufferedReader(trace)) {
            arr = JsonParser.parseReader(r).getAsJsonArray();
        }
        List<Event> events = new ArrayList<>();
        for (JsonElement e : arr) {
            JsonObject o = e.getAsJsonObject();
            if (!o.has("dur")) continue;
            events.add(new Event(o.get("name").getAsString(), lane(o, "pid") + "/" + lane(o, "tid"), o.get("ts").getAsDouble(),
                    o.get("dur").getAsDouble()));
        }
        // nesting per thread: sort by start, longer first; a stack of open events gives each event its parent
        events.sort(Comparator.comparing(Event::lane).thenComparingDouble(Event::ts).thenComparing(Comparator.comparingDouble(Event::dur).reversed()));
        Map<String, double[]> byName = new LinkedHashMap<>();                  // name -> {calls, self us}
        Deque<double[]> stack = new ArrayDeque<>();                            // {end, index}
        double[] childTime = new double[events.size()];
        int topLevel = 0;
        String lane = null;
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            if (!e.lane().equals(lane)) {
                stack.clear();
                lane = e.lane();
            }
            while (!stack.isEmpty() && stack.peek()[0] <= e.ts()) stack.pop();
            if (stack.isEmpty()) topLevel++;
            else childTime[(int) stack.peek()[1]] += e.dur();
            stack.push(new double[] {e.ts() + e.dur(), i});
        }
        for (int i = 0; i < events.size(); i++) {
            double[] agg = byName.computeIfAbsent(events.get(i).name(), k -> new double[2]);
            agg[0]++;
            agg[1] += Math.max(0, events.get(i).dur() - childTime[i]);
        }
        List<Op> ops = new ArrayList<>();
        byName.forEach((n, a) -> ops.add(new Op(n, (int) a[0], a[1] / 1000)));
        ops.sort(Comparator.comparingDouble(Op::selfMs).reversed());
        return new Report(wallMs, topLevel, events.size(), ops);
    }
}
