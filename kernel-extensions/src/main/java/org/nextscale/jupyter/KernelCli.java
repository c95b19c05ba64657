package org.nextscale.jupyter;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./nextscale jupyter ...}: installs the kernelspec of the nextscale kernel.
 *
 * <pre>
 * ./nextscale jupyter install [--prefix DIR]   # DIR/share/jupyter/kernels/nextscale, else the user's Jupyter data dir
 * </pre>
 */
public final class KernelCli {
    private KernelCli() {}

    static final String USAGE = "usage: nextscale jupyter install [--prefix DIR] [--class-path CP] [--home DIR]\n"
            + "  installs the Jupyter kernel \"" + KernelSpec.DISPLAY_NAME + "\" (kernelspec '" + KernelSpec.NAME + "'):\n"
            + "  --prefix DIR      write DIR/share/jupyter/kernels/nextscale (default: the user's Jupyter data dir,"
            + " JUPYTER_DATA_DIR if set)\n"
            + "  --class-path CP   jars the kernel runs with (default: this program's class path)\n"
            + "  --home DIR        the nextscale folder holding models/ (default: -Dnextscale.home)";

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs the command; returns the exit code. Failures print one line. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            (args.length == 0 ? err : out).println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        if (!args[0].equals("install")) {
            err.println("nextscale jupyter: unknown command '" + args[0] + "'\n" + USAGE);
            return 2;
        }
        Path prefix = null, home = null;
        String cp = System.getProperty("java.class.path");
        String h = System.getProperty("nextscale.home");
        if (h != null && !h.isBlank()) home = Path.of(h);
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length || !(a.equals("--prefix") || a.equals("--class-path") || a.equals("--home"))) {
                err.println("nextscale jupyter install: " + (a.startsWith("--") && i + 1 >= args.length
                        ? a + " needs a value" : "unknown argument '" + a + "'") + "\n" + USAGE);
                return 2;
            }
            String v = args[++i];
            switch (a) {
                case "--prefix" -> prefix = Path.of(v);
                case "--class-path" -> cp = v;
                default -> home = Path.of(v);
            }
        }
        try {
            List<Path> classPath = classPath(cp);
            String cache = env.get("DJL_CACHE_DIR");
            Path djlCache = cache != null && !cache.isBlank() ? Path.of(cache)
                    : Path.of(env.getOrDefault("XDG_CACHE_HOME", System.getProperty("user.home") + "/.cache"), "nextscale", "djl");
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Path kernels = (prefix != null ? prefix.resolve("share/jupyter") : KernelSpec.userDataDir(env)).resolve("kernels");
            Path file = KernelSpec.write(kernels, KernelSpec.json(java, classPath, home, djlCache, env));
            out.println("installed kernel \"" + KernelSpec.DISPLAY_NAME + "\" (" + KernelSpec.NAME + ") at " + file.getParent());
            if (prefix != null)
                out.println("Jupyter finds it when " + prefix.resolve("share/jupyter").toAbsolutePath()
                        + " is on JUPYTER_PATH (or when DIR is its sys.prefix)");
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            err.println("nextscale jupyter install: " + VarMagics.oneLine(e));
            return 1;
        }
    }

    /** The class path entries as existing absolute files; fails on a missing jar. */
    static List<Path> classPath(String cp) {
        List<Path> out = new ArrayList<>();
        for (String e : cp.split(File.pathSeparator)) {
            if (e.isBlank()) continue;
            Path p = Path.of(e).toAbsolutePath().normalize();
            if (!Files.exists(p))
                throw new IllegalArgumentException("class path entry " + p + " does not exist: build first (mvn -q -DskipTests package)");
            out.add(p);
        }
        if (out.isEmpty()) throw new IllegalArgumentException("the class path is empty: give --class-path");
        return out;
    }
}
