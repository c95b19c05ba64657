package org.nextscale.core.api;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** Parses the device option every front end takes: "cpu", "gpu" (first GPU) or "gpu:N". */
public final class Devices {
    private Devices() {}

    public static Device parse(String spec) {
        String s = spec == null ? "cpu" : spec.trim().toLowerCase();
        if (s.isEmpty() || s.equals("cpu")) return Device.cpu();
        if (s.equals("gpu") || s.equals("cuda")) s = "gpu:0";
        if (s.startsWith("gpu:") || s.startsWith("cuda:")) {
            int id;
            try {
                id = Integer.parseInt(s.substring(s.indexOf(':') + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("device must be cpu, gpu or gpu:N, got '" + spec + "'");
            }
            int n = Engine.getInstance().getGpuCount();
            if (id < 0 || id >= n)
                throw new IllegalArgumentException("device " + spec + " is not available: this machine has "
                        + n + " GPU(s) usable by PyTorch; use --device cpu");
            return Device.gpu(id);
        }
        throw new IllegalArgumentException("device must be cpu, gpu or gpu:N, got '" + spec + "'");
    }
}
