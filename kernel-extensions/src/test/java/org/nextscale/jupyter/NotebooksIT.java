package org.nextscale.jupyter;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs every notebook in notebooks/ headless, the way CI does: Debian's {@code jupyter nbconvert
 * --execute} with the nextscale kernel installed from the packaged jars into a temporary prefix (nothing
 * goes to the user's home), in quick mode (NEXTSCALE_QUICK=1, set by the pom). An executed notebook must
 * contain inline images and no error. Runs in Maven's integration-test phase, after package.
 */
class NotebooksIT {

    static final List<String> NOTEBOOKS = List.of("01-quickstart.ipynb", "02-train-your-own.ipynb", "03-scaling.ipynb", "04-your-own-images.ipynb");

    static Path repo, out, jupyterRoot;

    @BeforeAll
    static void installKernel() throws Exception {
        repo = Path.of(System.getProperty("nextscale.repo", "..")).toAbsolutePath().normalize();
        Path jar = Path.of(System.getProperty("nextscale.kernel.jar", "target/nextscale-kernel-extensions.jar"));
        Path lib = Path.of(System.getProperty("nextscale.kernel.lib", "target/lib"));
        assertTrue(Files.isRegularFile(jar) && Files.isDirectory(lib), "packaged kernel missing at " + jar + " and " + lib
                + ": run through 'mvn verify' (the notebooks run after package)");
        ensureJupyter();

        out = jar.toAbsolutePath().getParent().resolve("notebooks");
        jupyterRoot = out.resolve("jupyter");
        deleteTree(out);
        Files.createDirectories(jupyterRoot);
        List<String> cp = new ArrayList<>(List.of(jar.toAbsolutePath().toString()));
        try (Stream<Path> jars = Files.list(lib)) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> cp.add(p.toAbsolutePath().toString()));
        }
        ByteArrayOutputStream msg = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(msg, true, StandardCharsets.UTF_8);
        int rc = KernelCli.run(new String[] {"install", "--prefix", jupyterRoot.resolve("prefix").toString(),
                "--class-path", String.join(File.pathSeparator, cp), "--home", repo.toString()}, System.getenv(), ps, ps);
        assertEquals(0, rc, msg.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"01-quickstart.ipynb", "02-train-your-own.ipynb", "03-scaling.ipynb", "04-your-own-images.ipynb"})
    void notebookRunsWithImagesAndNoErrors(String name) throws Exception {
        Path work = Files.createDirectories(out.resolve("work-" + name.replace(".ipynb", "")));
        Files.copy(repo.resolve("notebooks").resolve(name), work.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        Path log = out.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/jupyter", "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.timeout=600", "--ExecutePreprocessor.startup_timeout=120",
                "--ExecutePreprocessor.kernel_name=" + KernelSpec.NAME,
                "--output-dir", out.toString(), "--output", name, work.resolve(name).toString())
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("JUPYTER_PATH", jupyterRoot.resolve("prefix/share/jupyter").toString());
        env.put("JUPYTER_DATA_DIR", jupyterRoot.resolve("data").toString());
        env.put("JUPYTER_RUNTIME_DIR", jupyterRoot.resolve("runtime").toString());
        env.put("JUPYTER_CONFIG_DIR", jupyterRoot.resolve("config").toString());
        env.putIfAbsent("NEXTSCALE_QUICK", "1");
        Process p = pb.start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail(name + " did not finish in 15 minutes; log: " + log);
        }
        String logText = Files.readString(log);
        assertEquals(0, p.exitValue(), name + " failed (nbconvert exit " + p.exitValue() + "):\n" + tail(logText, 60));

        JsonObject nb = JsonParser.parseString(Files.readString(out.resolve(name))).getAsJsonObject();
        int images = 0;
        List<String> errors = new ArrayList<>();
        Map<String, Integer> outputTypes = new HashMap<>();
        int scaleCells = 0, liveTrainingCells = 0;
        for (JsonElement c : nb.getAsJsonArray("cells")) {
            JsonObject cell = c.getAsJsonObject();
            if (!cell.get("cell_type").getAsString().equals("code")) continue;
            if (source(cell).contains("scales=true")) {
                scaleCells++;
                // the strip was redrawn in place after each scale: one picture, and the note of what it shows
                int pictures = 0;
                for (JsonElement o : cell.getAsJsonArray("outputs"))
                    if (o.getAsJsonObject().has("data") && o.getAsJsonObject().getAsJsonObject("data").has("image/png")) pictures++;
                assertEquals(1, pictures, "the coarse-to-fine cell shows one picture updated in place: " + cell.getAsJsonArray("outputs").size() + " outputs");
                assertTrue(cell.getAsJsonArray("outputs").toString().contains("coarse to fine: 6 scales per image"), cell.getAsJsonArray("outputs").toString());
            }
            if (name.startsWith("04") && source(cell).startsWith("%%var train")) {
                // the loss plot and the preview were redrawn in place: two pictures, and the validation lines
                int pictures = 0;
                for (JsonElement o : cell.getAsJsonArray("outputs"))
                    if (o.getAsJsonObject().has("data") && o.getAsJsonObject().getAsJsonObject("data").has("image/png")) pictures++;
                assertEquals(2, pictures, "a training cell shows its loss plot and preview, each updated in place");
                String text = cell.getAsJsonArray("outputs").toString();
                assertTrue(text.contains("val_loss") && text.contains("patches of 32 px"), text);
                liveTrainingCells++;
            }
            for (JsonElement o : cell.getAsJsonArray("outputs")) {
                JsonObject output = o.getAsJsonObject();
                String type = output.get("output_type").getAsString();
                outputTypes.merge(type, 1, Integer::sum);
                if (type.equals("error")) errors.add(output.get("ename").getAsString() + ": " + output.get("evalue").getAsString());
                if (output.has("data") && output.getAsJsonObject("data").has("image/png")) images++;
            }
        }
        assertEquals(List.of(), errors, name + " has error outputs");
        if (name.startsWith("01")) assertEquals(1, scaleCells, "the quick start watches an image form");
        if (name.startsWith("04")) assertEquals(2, liveTrainingCells, "both trainers show their run live");
        assertTrue(images >= 2, name + " shows " + images + " inline images; outputs: " + outputTypes);
    }

    private static String source(JsonObject cell) {
        JsonElement src = cell.get("source");
        if (src.isJsonPrimitive()) return src.getAsString();
        StringBuilder b = new StringBuilder();
        for (JsonElement line : src.getAsJsonArray()) b.append(line.getAsString());
        return b.toString();
    }

    /** Debian's nbconvert and nbclient; installed with apt-get when missing and running as root. */
    static void ensureJupyter() throws Exception {
        if (run("/usr/bin/jupyter", "nbconvert", "--version") == 0 && run("/usr/bin/python3", "-c", "import nbclient") == 0) return;
        String pkgs = "jupyter-nbconvert python3-nbclient jupyter-client";
        if (!System.getProperty("user.name").equals("root"))
            fail("jupyter nbconvert is missing: install it with 'sudo apt-get install -y --no-install-recommends " + pkgs + "'");
        assertEquals(0, run("apt-get", "update", "-qq"), "apt-get update failed");
        List<String> cmd = new ArrayList<>(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends"));
        cmd.addAll(List.of(pkgs.split(" ")));
        assertEquals(0, run(cmd.toArray(String[]::new)), "apt-get install " + pkgs + " failed");
    }

    private static int run(String... cmd) throws Exception {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1; // not installed
        }
    }

    private static String tail(String s, int lines) {
        String[] l = s.split("\n");
        return String.join("\n", List.of(l).subList(Math.max(0, l.length - lines), l.length));
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) Files.delete(q);
        }
    }
}
