package org.nextscale.core.model;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Forged model files for the hostile-file tests here and the bad-input campaign (campaigns/, through the test-jar). */
public final class ForgedFiles {
    private ForgedFiles() {}

    /** A safetensors file whose one F32 tensor claims {@code numel} elements but whose data is 16 bytes. */
    public static byte[] forgedSafetensors(long numel) {
        byte[] json = ("{\"w\":{\"dtype\":\"F32\",\"shape\":[" + numel + "],\"data_offsets\":[0," + 4 * numel + "]}}").getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        return b.array();
    }

    /** Copies a zip, replacing or adding the given entries. */
    public static void rewrite(Path from, Path to, Map<String, byte[]> replace) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(from.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) entries.put(e.getName(), z.getInputStream(e).readAllBytes());
        }
        entries.putAll(replace);
        try (OutputStream out = Files.newOutputStream(to); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
    }
}
