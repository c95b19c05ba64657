package org.nextscale.core.api;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/**
 * The device option every front end takes, parsed in this one place: "auto" (the default: the first GPU when the
 * engine has CUDA, else the CPU), "cpu", "gpu" (the first GPU) or "gpu:N". Asking for a GPU where the engine
 * finds none is one line saying what was found and how to get CUDA ({@link #GPU_HELP}). {@link #explain} turns
 * the engine's out-of-memory failures into one line naming what to lower.
 */
public final class Devices {
    /** The default of every front end's device option. */
    public static final String DEFAULT = "auto";
    /** Where the user learns how to give the engine CUDA. */
    public static final String GPU_HELP = "to use a GPU, start nextscale with NEXTSCALE_TORCH set (docs/gpu.md)";

    private Devices() {}

    public static Device parse(String spec) {
        String s = normal(spec);
        if (s.isEmpty() || s.equals("auto")) return gpuCount() > 0 ? Device.gpu(0) : Device.cpu();
        if (s.equals("cpu")) return Device.cpu();
        if (s.equals("gpu") || s.equals("cuda")) s = "gpu:0";
        if (s.startsWith("gpu:") || s.startsWith("cuda:")) {
            int id;
            try {
                id = Integer.parseInt(s.substring(s.indexOf(':') + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(invalid(spec));
            }
            int n = gpuCount();
            if (n == 0)
                throw new IllegalArgumentException("device " + spec + " is not available: the engine (" + engine() + ") found no GPU; "
                        + GPU_HELP + ", or use --device cpu");
            if (id < 0 || id >= n)
                throw new IllegalArgumentException("device " + spec + " is not available: the engine (" + engine() + ") found " + n
                        + " GPU(s), gpu:0" + (n > 1 ? " to gpu:" + (n - 1) : "") + "; use one of them or cpu");
            return Device.gpu(id);
        }
        throw new IllegalArgumentException(invalid(spec));
    }

    /**
     * Whether {@code spec} leaves the GPU's number open ("auto", "gpu", "cuda" or nothing), so that a scheduler which
     * assigned the task a GPU (Spark) may put it there; "cpu" and "gpu:N" stand.
     */
    public static boolean leavesGpuOpen(String spec) {
        String s = normal(spec);
        return s.isEmpty() || s.equals("auto") || s.equals("gpu") || s.equals("cuda");
    }

    private static String normal(String spec) {
        return spec == null ? DEFAULT : spec.trim().toLowerCase(Locale.ROOT);
    }

    /** The host: where arrays go to be read into Java. */
    public static Device host() {
        return Device.cpu();
    }

    private static String invalid(String spec) {
        return "device must be auto, cpu, gpu or gpu:N, got '" + spec + "'";
    }

    /** GPUs the engine can use (0 without CUDA). */
    public static int gpuCount() {
        try {
            return Engine.getInstance().getGpuCount();
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return 0;
        }
    }

    /** The whole memory of {@code gpu} in bytes, as CUDA reports it; -1 when it cannot say. */
    public static long gpuMemoryBytes(Device gpu) {
        try {
            return ai.djl.util.cuda.CudaUtils.getGpuMemory(gpu).getMax();
        } catch (RuntimeException | UnsatisfiedLinkError | NoClassDefFoundError e) {
            return -1;
        }
    }

    /** The engine in use: name, version and whether it has CUDA, e.g. "PyTorch 2.7.1, CPU only". */
    public static String engine() {
        Engine e = Engine.getInstance();
        int n = gpuCount();
        return e.getEngineName() + " " + e.getVersion() + (n > 0 ? ", " + n + " GPU(s)" : ", CPU only");
    }

    /**
     * One line for an engine failure that has one, else null: running out of GPU memory names the options that make
     * the work smaller ({@code what}, e.g. "--batch or --micro-batch").
     */
    public static String explain(Throwable t, String what) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && (m.contains("CUDA out of memory") || m.contains("CUDA error: out of memory") || m.contains("CUBLAS_STATUS_ALLOC_FAILED")
                    || m.contains("out of memory on device")))
                return "the GPU ran out of memory: lower " + what + ", or use --device cpu";
        }
        return null;
    }

    /**
     * What the engine runs on, for {@code nextscale info}: the engine, its libtorch folder and flavor, every GPU
     * (compute capability, memory) and what {@code --device auto} picks.
     */
    public static String report() {
        StringBuilder b = new StringBuilder();
        Engine e = Engine.getInstance();                                   // loads libtorch, so its folder is known
        String dir;
        try {
            dir = ai.djl.pytorch.jni.LibUtils.getLibtorchPath();
        } catch (RuntimeException | UnsatisfiedLinkError x) {
            dir = "?";
        }
        String folder = dir == null ? "" : java.nio.file.Path.of(dir).getFileName() == null ? dir : java.nio.file.Path.of(dir).getFileName().toString();
        java.util.regex.Matcher named = java.util.regex.Pattern.compile("-(cpu|cu\\d+\\w*?)-(linux|osx|win)").matcher(folder);
        String flavor = System.getenv("PYTORCH_FLAVOR") != null ? System.getenv("PYTORCH_FLAVOR") : named.find() ? named.group(1) : "?";
        b.append(String.format(Locale.ROOT, "engine:      %s %s, libtorch %s (flavor %s)%n", e.getEngineName(), e.getVersion(), dir, flavor));
        int n = gpuCount();
        if (n == 0) b.append("GPUs:        none (").append(GPU_HELP).append(")\n");
        for (int i = 0; i < n; i++) {
            String line;
            try {
                java.lang.management.MemoryUsage m = ai.djl.util.cuda.CudaUtils.getGpuMemory(Device.gpu(i));
                line = String.format(Locale.ROOT, "gpu:%d compute capability %s, %.1f GB", i, ai.djl.util.cuda.CudaUtils.getComputeCapability(i),
                        m.getMax() / 1e9);
            } catch (RuntimeException | UnsatisfiedLinkError x) {
                line = "gpu:" + i;
            }
            b.append(i == 0 ? "GPUs:        " : "             ").append(line).append('\n');
        }
        Device auto = parse(DEFAULT);
        b.append("--device auto: ").append(auto.isGpu() ? "gpu:" + auto.getDeviceId() : "cpu").append('\n');
        return b.toString();
    }
}
