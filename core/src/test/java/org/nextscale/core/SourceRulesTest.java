package org.nextscale.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Device rules for the main code of every module, so that a GPU run puts nothing on a device nobody chose: no manager
 * made on the engine's default device (an argument-less NDManager.newBaseManager(): gpu:0 wherever CUDA is present,
 * whatever --device says), and no device named outside api/Devices (the one place that parses the option and names the
 * host).
 */
class SourceRulesTest {
    private static final Pattern DEFAULT_MANAGER = Pattern.compile("newBaseManager\\(\\s*\\)");
    private static final Pattern NAMED_DEVICE = Pattern.compile("\\bDevice\\.(cpu|gpu)\\(");

    @Test
    void noDefaultDeviceAndNoDeviceNamedOutsideDevices() throws IOException {
        List<Path> sources = new ArrayList<>();
        for (String module : List.of("core", "plugin-imagej", "kernel-extensions", "spark", "campaigns")) {
            Path main = TestPaths.repo().resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(main)) continue;
            try (Stream<Path> s = Files.walk(main)) {
                s.filter(p -> p.toString().endsWith(".java")).forEach(sources::add);
            }
        }
        assertTrue(sources.size() > 150, "main sources found: " + sources.size());
        List<String> broken = new ArrayList<>();
        for (Path p : sources) {
            List<String> lines = Files.readAllLines(p);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (DEFAULT_MANAGER.matcher(line).find()) broken.add(p.getFileName() + ":" + (i + 1) + " makes a manager on the default device: " + line.trim());
                if (NAMED_DEVICE.matcher(line).find() && !p.endsWith(Path.of("api", "Devices.java")))
                    broken.add(p.getFileName() + ":" + (i + 1) + " names a device outside Devices: " + line.trim());
            }
        }
        assertEquals(List.of(), broken);
    }
}
