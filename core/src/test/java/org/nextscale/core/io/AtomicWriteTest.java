package org.nextscale.core.io;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nextscale.core.TestPaths;
import org.nextscale.core.api.Image;
import org.nextscale.core.config.ConfigJson;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.data.ImageFiles;
import org.nextscale.core.eval.Classifier;
import org.nextscale.core.model.ModelFile;
import org.nextscale.core.train.Checkpoint;

class AtomicWriteTest {

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void replacesTheFileAndAFailureLeavesTheOldOneAndNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("sub/a.bin");
        AtomicWrite.write(f, new byte[] {1, 2});
        AtomicWrite.write(f, new byte[] {3});
        assertArrayEquals(new byte[] {3}, Files.readAllBytes(f));
        IOException e = assertThrows(IOException.class, () -> AtomicWrite.write(f, out -> {
            out.write(new byte[1000]);
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertArrayEquals(new byte[] {3}, Files.readAllBytes(f));
        assertEquals(List.of("a.bin"), names(f.getParent()));
    }

    /**
     * Models, checkpoints, classifier weights and images get the permissions of any file the user creates
     * (0666 minus the umask, as Files.createFile gives), not the temporary file's owner-only 0600.
     */
    @Test
    void writtenFilesHaveTheUsersDefaultPermissions(@TempDir Path dir) throws IOException {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        Set<PosixFilePermission> usual = Files.getPosixFilePermissions(Files.createFile(dir.resolve("reference")));
        assertTrue(usual.contains(PosixFilePermission.OWNER_READ) && usual.contains(PosixFilePermission.OWNER_WRITE), usual.toString());

        Path p = TestPaths.parity("tiny-a");
        ModelConfig cfg = ConfigJson.parse(Files.readString(p.resolve("config.json")));
        Map<String, HostTensor> w = SafeTensors.read(p.resolve("weights.safetensors"));
        Path model = dir.resolve("model.zip");
        ModelFile.save(model, cfg, w, false);
        Path ckpt = dir.resolve("model.ckpt.zip");
        new Checkpoint("var", 1, cfg, w, Map.of(), Map.of("steps", "1"), new JsonObject()).write(ckpt);
        Path png = dir.resolve("image.png");
        ImageFiles.write(Image.zeros(1, 8, 8), png);
        Path clf = dir.resolve("classifier.safetensors");
        try (NDManager m = NDManager.newBaseManager()) {
            Classifier.init(0, m).save(clf, Map.of());
        }
        Path bytes = dir.resolve("plain.bin");
        AtomicWrite.write(bytes, new byte[] {7});

        for (Path f : List.of(model, ckpt, png, clf, bytes))
            assertEquals(usual, Files.getPosixFilePermissions(f), f.getFileName() + " should have the user's default permissions");
        assertEquals(ModelFile.load(model).weights().keySet(), w.keySet(), "the model file is complete");
        assertEquals(List.of("classifier.safetensors", "image.png", "model.ckpt.zip", "model.zip", "plain.bin", "reference"),
                names(dir), "no temporary file left behind");
    }
}
