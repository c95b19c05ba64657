package org.nextscale.jupyter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nextscale.core.api.EditMask;
import org.nextscale.core.api.EditMode;
import org.nextscale.core.api.SampleOptions;
import org.nextscale.core.tiling.Tiles;
import org.nextscale.core.train.TrainOptions;

/**
 * The syntax of the magics: {@code %var COMMAND [POSITIONAL] [key=value ...]} and {@code %%var train}
 * with key=value lines in the cell body. Every mistake becomes a {@link VarMagicError} of one line that
 * ends with the expected syntax. {@code $name} and {@code ${name}} in arguments are replaced by the value
 * of a notebook variable set with {@link VarSession#let}, so a notebook can compute a value in Java and
 * hand it to a magic.
 */
public final class VarSyntax {
    private VarSyntax() {}

    private static final SampleOptions DEFAULTS = SampleOptions.defaults();

    /** Command name -> syntax, in the order the help lists them. */
    public static final Map<String, String> USAGE = new LinkedHashMap<>();

    static {
        USAGE.put("load", "%var load [PATH] [device=auto|cpu|gpu|gpu:N]");
        USAGE.put("generate", "%var generate class=C n=N [cfg=" + DEFAULTS.cfg() + "] [top_k=" + DEFAULTS.topK()
                + "] [top_p=" + DEFAULTS.topP() + "] [seed=" + DEFAULTS.seed() + "] [scales=false] [batch=" + SampleOptions.DEFAULT_BATCH + "]");
        USAGE.put("tokenize", "%var tokenize PATH [scale=auto|fit|S] [range=auto|full|LOW,HIGH] [batch=" + Tiles.BATCH + "]");
        USAGE.put("reconstruct", "%var reconstruct PATH [scale=auto|fit|S] [range=auto|full|LOW,HIGH] [batch=" + Tiles.BATCH + "]");
        USAGE.put("inpaint", "%var inpaint PATH box=y0,x0,y1,x1|rect=x,y,w,h [class=C] [seed=0] [scale=auto] [range=auto]");
        USAGE.put("outpaint", "%var outpaint PATH box=y0,x0,y1,x1|rect=x,y,w,h|extend=left=64,... [class=C] [seed=0] [scale=auto] [range=auto]");
        USAGE.put("edit", "%var edit PATH box=y0,x0,y1,x1|rect=x,y,w,h class=C [seed=0] [scale=auto] [range=auto]");
        USAGE.put("train", "%%var train [tokenizer|var], then one key=value per line (data=, steps=, batch=, out=, ...)");
        USAGE.put("help", "%var help");
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]*");

    /** Parses the arguments of a line magic ({@code %var ...}); {@code variables} resolves {@code $name}. */
    public static VarCommand parseLine(List<String> args, Function<String, Object> variables) {
        if (args.isEmpty()) return new VarCommand.Help();
        String cmd = args.get(0);
        if (cmd.equals("train"))
            throw new VarMagicError("%var train is a cell magic: put %%var train on the first line of a cell and one key=value per line below it (usage: "
                    + USAGE.get("train") + ")");
        if (!USAGE.containsKey(cmd))
            throw new VarMagicError("%var: unknown command '" + cmd + "'; commands: " + String.join(", ", USAGE.keySet()) + " (see %var help)");
        Args a = Args.split(cmd, expand(cmd, args.subList(1, args.size()), variables));
        switch (cmd) {
            case "help":
                a.check(0, 0, Set.of());
                return new VarCommand.Help();
            case "load":
                a.check(0, 1, Set.of("device"));
                return new VarCommand.Load(a.positional.isEmpty() ? null : a.path(0), a.options.getOrDefault("device", org.nextscale.core.api.Devices.DEFAULT));
            case "generate":
                a.check(0, 0, Set.of("class", "n", "cfg", "top_k", "top_p", "seed", "scales", "batch"), "class", "n");
                return new VarCommand.Generate(a.options.get("class"), a.intAtLeast("n", 1, 0),
                        a.doubleIn("cfg", 0, Double.MAX_VALUE, DEFAULTS.cfg()), a.intAtLeast("top_k", 0, DEFAULTS.topK()),
                        a.doubleIn("top_p", 0, 1, DEFAULTS.topP()), a.seed(DEFAULTS.seed()), a.flag("scales"), a.intAtLeast("batch", 1, SampleOptions.DEFAULT_BATCH));
            case "tokenize":
            case "reconstruct": {
                a.check(1, 1, Set.of("scale", "range", "batch"));
                String scale = scale(a), range = a.options.getOrDefault("range", "auto");
                int batch = a.intAtLeast("batch", 1, Tiles.BATCH);
                return cmd.equals("tokenize") ? new VarCommand.Tokenize(a.path(0), scale, range, batch) : new VarCommand.Reconstruct(a.path(0), scale, range, batch);
            }
            case "inpaint":
            case "outpaint":
            case "edit": {
                boolean classEdit = cmd.equals("edit");
                Set<String> keys = cmd.equals("outpaint") ? Set.of("box", "rect", "extend", "class", "seed", "scale", "range")
                        : Set.of("box", "rect", "class", "seed", "scale", "range");
                if (classEdit) a.check(1, 1, keys, "class");
                else a.check(1, 1, keys);
                String box = a.options.get("box"), rect = a.options.get("rect"), extend = a.options.get("extend");
                int given = (box != null ? 1 : 0) + (rect != null ? 1 : 0) + (extend != null ? 1 : 0);
                if (given != 1)
                    throw a.error("give exactly one of box=y0,x0,y1,x1 (fractions), rect=x,y,w,h (pixels)"
                            + (cmd.equals("outpaint") ? " or extend=left=64,..." : ""));
                try {
                    if (box != null) EditMask.parseBox(box, 1, 1); // checks the format and the ranges with core's message
                    if (extend != null) org.nextscale.core.api.Extension.parse(extend);
                } catch (IllegalArgumentException e) {
                    throw a.error(e.getMessage());
                }
                EditMode mode = classEdit ? EditMode.CLASS_EDIT : cmd.equals("inpaint") ? EditMode.INPAINT : EditMode.OUTPAINT;
                return new VarCommand.Edit(mode, a.path(0), box, a.options.get("class"), a.seed(DEFAULTS.seed()), rect, extend, scale(a),
                        a.options.getOrDefault("range", "auto"));
            }
            default:
                throw new IllegalStateException("no parser for " + cmd);
        }
    }

    /** The scale= option, checked with core's message. */
    private static String scale(Args a) {
        String scale = a.options.getOrDefault("scale", "auto");
        try {
            org.nextscale.core.api.PixelScale.parse(scale);
        } catch (IllegalArgumentException e) {
            throw a.error(e.getMessage());
        }
        return scale;
    }

    /** Parses a cell magic ({@code %%var train ...} with key=value lines in {@code body}). */
    public static VarCommand parseCell(List<String> args, String body, Function<String, Object> variables) {
        String cmd = args.isEmpty() ? "" : args.get(0);
        if (!cmd.equals("train"))
            throw new VarMagicError("%%var only runs train" + (USAGE.containsKey(cmd) && !cmd.equals("help")
                    ? "; write %var " + cmd + " ... as a line magic" : "") + " (usage: " + USAGE.get("train") + ")");
        Args a = Args.split(cmd, expand(cmd, args.subList(1, args.size()), variables));
        a.check(0, 1, null);
        String phase = a.positional.isEmpty() ? "var" : a.positional.get(0);
        if (!phase.equals("var") && !phase.equals("tokenizer"))
            throw a.error("what to train must be tokenizer or var, got '" + phase + "'");
        Map<String, String> options = new LinkedHashMap<>(a.options);
        String[] lines = body == null ? new String[0] : body.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = stripComment(lines[i]).trim();
            if (line.isEmpty()) continue;
            int eq = line.indexOf('=');
            String key = eq < 0 ? "" : line.substring(0, eq).trim();
            if (eq < 0 || !KEY.matcher(key).matches())
                throw a.error("line " + (i + 1) + " of the cell, '" + line + "', is not key=value");
            if (options.containsKey(key)) throw a.error(key + "= is given twice");
            options.put(key, expand(cmd, List.of(line.substring(eq + 1).trim()), variables).get(0));
        }
        return new VarCommand.Train(phase, options);
    }

    /** The help text: one line per command. */
    public static String help() {
        StringBuilder sb = new StringBuilder("nextscale %var magics (boxes are fractions of the image; classes are numbers or names):\n");
        for (String u : USAGE.values()) sb.append("  ").append(u).append('\n');
        sb.append("Results of the last command are reachable from Java: org.nextscale.jupyter.VarSession"
                + " (model(), images(), image(), picture(), pyramid(), psnr(), history()).\n");
        sb.append("Training options for %%var train tokenizer (key [default]):\n").append(TrainOptions.help(TrainOptions.Phase.TOKENIZER));
        sb.append("Training options for %%var train var:\n").append(TrainOptions.help(TrainOptions.Phase.VAR).stripTrailing());
        return sb.toString();
    }

    private static String stripComment(String line) {
        String t = line.stripLeading();
        if (t.startsWith("#") || t.startsWith("//")) return "";
        int hash = line.indexOf(" #");
        return hash >= 0 ? line.substring(0, hash) : line;
    }

    static List<String> expand(String cmd, List<String> tokens, Function<String, Object> variables) {
        List<String> out = new ArrayList<>();
        for (String t : tokens) {
            Matcher m = VARIABLE.matcher(t);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String name = m.group(1) != null ? m.group(1) : m.group(2);
                Object v = variables.apply(name);
                if (v == null)
                    throw new VarMagicError("%var " + cmd + ": unknown variable $" + name + "; set it first in Java with VarSession.let(\""
                            + name + "\", value) (usage: " + USAGE.get(cmd) + ")");
                m.appendReplacement(sb, Matcher.quoteReplacement(String.valueOf(v)));
            }
            m.appendTail(sb);
            out.add(sb.toString());
        }
        return out;
    }

    /** Positional arguments and key=value options of one command, with checks that speak the command's syntax. */
    private static final class Args {
        final String cmd;
        final List<String> positional = new ArrayList<>();
        final Map<String, String> options = new LinkedHashMap<>();

        private Args(String cmd) {
            this.cmd = cmd;
        }

        static Args split(String cmd, List<String> tokens) {
            Args a = new Args(cmd);
            for (String t : tokens) {
                int eq = t.indexOf('=');
                if (eq > 0 && KEY.matcher(t.substring(0, eq)).matches()) {
                    String key = t.substring(0, eq);
                    if (a.options.containsKey(key)) throw a.error(key + "= is given twice");
                    a.options.put(key, t.substring(eq + 1));
                } else {
                    a.positional.add(t);
                }
            }
            return a;
        }

        /** A yes/no option: true, false, yes, no (absent = false). */
        boolean flag(String key) {
            String v = options.get(key);
            if (v == null) return false;
            return switch (v.toLowerCase(java.util.Locale.ROOT)) {
                case "true", "yes", "on", "1" -> true;
                case "false", "no", "off", "0" -> false;
                default -> throw error(key + " must be true or false, got '" + v + "'");
            };
        }

        VarMagicError error(String problem) {
            return new VarMagicError((cmd.equals("train") ? "%%var " : "%var ") + cmd + ": " + problem + " (usage: " + USAGE.get(cmd) + ")");
        }

        /** Checks the count of positionals, unknown keys ({@code allowed} null = any) and required keys. */
        void check(int minPositional, int maxPositional, Set<String> allowed, String... required) {
            if (positional.size() > maxPositional)
                throw error(maxPositional == 0 ? "unexpected argument '" + positional.get(0) + "'"
                        : "too many arguments: " + String.join(" ", positional));
            if (positional.size() < minPositional) throw error("missing PATH");
            if (allowed != null)
                for (String k : options.keySet())
                    if (!allowed.contains(k))
                        throw error("unknown option " + k + "=" + (allowed.isEmpty() ? "" : "; options are " + String.join(", ", sorted(allowed))));
            for (String k : required)
                if (!options.containsKey(k)) throw error("missing " + k + "=");
            for (Map.Entry<String, String> e : options.entrySet())
                if (e.getValue().isBlank()) throw error(e.getKey() + "= needs a value");
        }

        Path path(int i) {
            try {
                return Path.of(positional.get(i));
            } catch (RuntimeException e) {
                throw error("'" + positional.get(i) + "' is not a valid path");
            }
        }

        int intAtLeast(String key, int min, int def) {
            String v = options.get(key);
            if (v == null) return def;
            try {
                int n = Integer.parseInt(v.trim());
                if (n >= min) return n;
            } catch (NumberFormatException ignored) {
                // fall through to the message
            }
            throw error(key + " must be a whole number >= " + min + ", got '" + v + "'");
        }

        double doubleIn(String key, double min, double max, double def) {
            String v = options.get(key);
            if (v == null) return def;
            try {
                double d = Double.parseDouble(v.trim());
                if (d >= min && d <= max) return d;
            } catch (NumberFormatException ignored) {
                // fall through to the message
            }
            throw error(key + " must be a number " + (max == Double.MAX_VALUE ? ">= " + min : "in [" + min + ", " + max + "]")
                    + ", got '" + v + "'");
        }

        long seed(long def) {
            String v = options.get("seed");
            if (v == null) return def;
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw error("seed must be a whole number, got '" + v + "'");
            }
        }

        private static List<String> sorted(Set<String> s) {
            List<String> l = new ArrayList<>(s);
            l.sort(null);
            return l;
        }
    }
}
