package org.nextscale.jupyter;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The notebooks as committed: the three expected files, the nextscale kernel, and no outputs. */
class NotebookFilesTest {

    private final Path repo = Path.of(System.getProperty("nextscale.repo", "..")).toAbsolutePath().normalize();

    @Test
    void committedNotebooksHaveNoOutputs() throws IOException {
        try (Stream<Path> files = Files.list(repo.resolve("notebooks"))) {
            assertEquals(NotebooksIT.NOTEBOOKS, files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ipynb")).sorted().toList());
        }
        for (String name : NotebooksIT.NOTEBOOKS) {
            JsonObject nb = JsonParser.parseString(Files.readString(repo.resolve("notebooks").resolve(name))).getAsJsonObject();
            assertEquals("nextscale", nb.getAsJsonObject("metadata").getAsJsonObject("kernelspec").get("name").getAsString(), name);
            for (JsonElement c : nb.getAsJsonArray("cells")) {
                JsonObject cell = c.getAsJsonObject();
                if (!cell.get("cell_type").getAsString().equals("code")) continue;
                assertEquals(0, cell.getAsJsonArray("outputs").size(), name + " is committed with outputs");
                assertTrue(cell.get("execution_count").isJsonNull(), name + " is committed with execution counts");
            }
        }
    }

}
