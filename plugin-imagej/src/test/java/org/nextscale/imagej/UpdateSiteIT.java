package org.nextscale.imagej;

import static org.junit.jupiter.api.Assertions.*;

import java.io.*;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import java.util.stream.Stream;
import java.util.zip.*;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.util.FileUtils;
import org.w3c.dom.*;
import org.xml.sax.*;

/**
 * The update site `mvn package` writes (src/fiji/UpdateSite.java, plugin-imagej/target/update-site), held to the
 * real ImageJ updater: its checksums equal the ones imagej-updater's own {@code UpdaterUtil.getDigest} computed
 * (src/test/resources/updater, 27 rows over Central jars and fixtures for every rule), records are keyed as the
 * updater keys files (scijava-common's {@code FileUtils.stripFilenameVersion}, the function it calls), the site
 * ships nothing Fiji already ships, and an upgrade from one build's site to the next shows exactly the changed
 * files as updatable, then everything up to date. Runs after package.
 */
class UpdateSiteIT {
    private final Path site = Path.of(System.getProperty("nextscale.update.site", "target/update-site")).toAbsolutePath();
    private final Path fiji = Path.of(System.getProperty("nextscale.fiji.dir", "target/fiji")).toAbsolutePath();
    private final Path goldenJars = Path.of(System.getProperty("nextscale.updater.golden", "target/updater-golden")).toAbsolutePath();
    /** Libraries Fiji ships itself (ImageJ, SciJava, and at pom-scijava 45.0.0's versions gson, commons-*, jna, slf4j). */
    static final Set<String> FIJI_SHIPS = Set.of("jars/ij.jar", "jars/scijava-common.jar", "jars/parsington.jar", "jars/slf4j-api.jar",
            "jars/slf4j-simple.jar", "jars/gson.jar", "jars/commons-io.jar", "jars/commons-codec.jar", "jars/commons-compress.jar", "jars/jna.jar");

    /** One row of updater-checksums.tsv: what the real updater computed for {@code path} over the bytes of {@code file}. */
    record Golden(String checksum, String path, long size, Path file) {}

    @Test
    void theWritersChecksumIsTheRealUpdatersOnEveryGoldenRow() throws Exception {
        List<Golden> rows = golden();
        assertEquals(27, rows.size(), "rows of updater-checksums.tsv");
        List<String> pairs = new ArrayList<>();
        for (Golden g : rows) {
            assertTrue(Files.isRegularFile(g.file), g.path + ": no file at " + g.file);
            assertEquals(g.size, Files.size(g.file), g.path + ": not the bytes the golden checksum was computed from");
            pairs.add(g.path);
            pairs.add(g.file.toString());
        }
        List<String> ours = checksums(pairs);
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++)
            if (!rows.get(i).checksum.equals(ours.get(i))) wrong.add(rows.get(i).path + ": updater " + rows.get(i).checksum + ", ours " + ours.get(i));
        assertEquals(List.of(), wrong, "checksums that differ from imagej-updater's UpdaterUtil.getDigest");
        System.out.println("update site: " + rows.size() + " golden checksums of the real ImageJ updater, " + rows.size() + " equal");
    }

    @Test
    void everyFileOfTheFijiFolderIsOnTheSiteWithTheUpdatersChecksumAndSize() throws Exception {
        Document db = read(site.resolve("db.xml.gz"));
        Map<String, Element> records = records(db);
        List<String> folder = files(fiji);
        assertEquals(folder, new ArrayList<>(new TreeSet<>(records.keySet())), "one record per file of the Fiji folder");
        assertTrue(folder.contains("plugins/" + pluginJar()), folder.toString());
        Set<String> keys = new HashSet<>();
        for (String path : folder)
            assertTrue(keys.add(FileUtils.stripFilenameVersion(path)), "two files the updater takes for one: " + path);
        List<String> fijiOwn = folder.stream().filter(p -> FIJI_SHIPS.contains(FileUtils.stripFilenameVersion(p))).toList();
        assertEquals(List.of(), fijiOwn, "Fiji ships these itself; a site that ships them shadows Fiji's copy");

        Set<String> stored = new TreeSet<>();
        List<String> pairs = new ArrayList<>();
        for (Map.Entry<String, Element> r : records.entrySet()) {
            String path = r.getKey();
            Element version = only(r.getValue(), "version");
            String stamp = version.getAttribute("timestamp");
            assertTrue(stamp.matches("\\d{14}"), path + ": timestamp " + stamp);
            Path file = site.resolve(path + "-" + stamp);
            stored.add(path + "-" + stamp);
            assertTrue(Files.isRegularFile(file), "not stored: " + file);
            assertEquals(Long.parseLong(version.getAttribute("filesize")), Files.size(file), path + ": filesize");
            assertEquals(Files.mismatch(fiji.resolve(path), file), -1L, path + ": not the Fiji folder's file");
            assertFalse(text(version, "description").isBlank(), path + ": no description");
            assertFalse(text(version, "author").isBlank(), path + ": no author");
            List<String> platforms = texts(r.getValue(), "platform");
            if (path.endsWith("-linux-x86_64.jar")) {
                assertEquals(List.of("linux64"), platforms, path);
                assertTrue(path.startsWith("jars/linux64/"), "native jars live in Fiji's platform folder: " + path);
            } else {
                assertEquals(List.of(), platforms, path + " is for every platform");
            }
            pairs.add(path);
            pairs.add(file.toString());
        }
        stored.add("db.xml.gz");
        assertEquals(stored, new TreeSet<>(files(site)), "the site holds the index and the records' files, nothing else");

        // every jar the site shares with the golden table carries exactly the updater's checksum
        Map<String, String> updater = new HashMap<>();
        for (Golden g : golden()) updater.put(g.path, g.checksum);
        List<String> checked = new ArrayList<>();
        List<String> ours = checksums(pairs);
        int i = 0;
        for (Map.Entry<String, Element> r : records.entrySet()) {
            String recorded = only(r.getValue(), "version").getAttribute("checksum");
            assertEquals(ours.get(i++), recorded, r.getKey() + ": checksum of the stored file");
            if (updater.containsKey(r.getKey())) {
                assertEquals(updater.get(r.getKey()), recorded, r.getKey() + ": not the real updater's checksum");
                checked.add(r.getKey());
            }
        }
        assertTrue(checked.size() >= 6, "jars of the site with a golden checksum: " + checked);

        Element plugin = only(records.get("plugins/" + pluginJar()), "version");
        NodeList deps = plugin.getElementsByTagName("dependency");
        Set<String> needed = new TreeSet<>();
        for (int d = 0; d < deps.getLength(); d++) {
            Element dep = (Element) deps.item(d);
            Element target = records.get(dep.getAttribute("filename"));
            assertNotNull(target, "the plugin depends on a file the site lacks: " + dep.getAttribute("filename"));
            assertEquals(only(target, "version").getAttribute("timestamp"), dep.getAttribute("timestamp"), dep.getAttribute("filename"));
            needed.add(dep.getAttribute("filename"));
        }
        Set<String> jars = new TreeSet<>(folder.stream().filter(p -> p.startsWith("jars/")).toList());
        assertEquals(jars, needed, "the plugin depends on every library it ships");
        assertTrue(needed.contains("jars/linux64/pytorch-native-cpu-2.7.1-linux-x86_64.jar"), needed.toString());
        System.out.println("update site: " + records.size() + " records (" + checked.size() + " with the real updater's checksum: " + checked
                + "), none of what Fiji ships");
    }

    /**
     * Two builds' sites, and a user between them. Build 2 changes a macro and the plugin's classes, bumps a
     * library's version, drops a macro, adds a file, and rebuilds the core jar from the same classes (other entry
     * times, manifest and pom.properties date). The user installs build 1 from its site; build 2's index then
     * shows exactly the changed files as updatable (none as locally modified, the rebuilt jar up to date);
     * after the update every file is up to date and the dropped one is gone.
     */
    @Test
    void anUpgradeShowsExactlyTheChangedFilesThenEverythingUpToDate(@TempDir Path tmp) throws Exception {
        Path build = tmp.resolve("build");
        for (String path : files(fiji)) {                       // build 1: the Fiji folder, without the 110 MB native jar
            if (path.contains("pytorch-native")) continue;
            Path to = build.resolve(path);
            Files.createDirectories(to.getParent());
            Files.copy(fiji.resolve(path), to);
        }
        String core = only(files(build), "jars/nextscale-core-"), plugin = "plugins/" + pluginJar(), pickle = only(files(build), "jars/pickle-");
        String macro = "macros/VAR/tokenize_folder.ijm", dropped = "macros/VAR/inpaint_folder.ijm";
        Path v1 = tmp.resolve("site1"), v2 = tmp.resolve("site2");
        run(build, v1, null);
        Map<String, Element> index1 = records(read(v1.resolve("db.xml.gz")));

        Path user = tmp.resolve("Fiji.app");
        Map<String, String> done = update(user, v1, index1);
        assertEquals(index1.keySet(), done.keySet(), "a fresh install takes every file");
        assertEquals(Map.of(), status(user, index1, "UPDATEABLE", "MODIFIED", "NOT_INSTALLED"), "after installing build 1");

        Files.writeString(build.resolve(macro), "// build 2\n", StandardOpenOption.APPEND);
        rezip(build.resolve(plugin), build.resolve(plugin), Map.of("org/nextscale/imagej/Added.class", "new class"), false);
        String pickle2 = pickle.replace("-1.5.jar", "-1.6.jar");
        rezip(build.resolve(pickle), build.resolve(pickle2), Map.of("net/razorvine/pickle/Added.class", "1.6"), false);
        Files.delete(build.resolve(pickle));
        rezip(build.resolve(core), build.resolve(core), Map.of(), true);           // the same classes, built again
        Files.delete(build.resolve(dropped));
        Files.writeString(build.resolve("macros/VAR/new_macro.ijm"), "print(\"new\");\n");
        run(build, v2, v1.resolve("db.xml.gz"));
        Map<String, Element> index2 = records(read(v2.resolve("db.xml.gz")));

        String release = only(index2.get(macro), "version").getAttribute("timestamp");
        for (String changed : List.of(macro, plugin, pickle2, "macros/VAR/new_macro.ijm"))
            assertEquals(release, only(index2.get(changed), "version").getAttribute("timestamp"), changed + ": one timestamp per release");
        assertTrue(release.compareTo(only(index1.get(macro), "version").getAttribute("timestamp")) > 0, "build 2 is later than build 1");
        assertEquals(only(index1.get(core), "version").getAttribute("timestamp"), only(index2.get(core), "version").getAttribute("timestamp"),
                "a rebuilt jar with the same classes keeps its version");
        Element pickleRecord = index2.get(pickle2);
        assertEquals(pickle, only(pickleRecord, "previous-version").getAttribute("filename"), "a version bump keeps the old name as history");
        assertNull(index2.get(pickle), "one record per library, under its new name");

        Map<String, String> before = status(user, index2, "UPDATEABLE", "MODIFIED", "NOT_INSTALLED", "OBSOLETE");
        assertEquals(Map.of(macro, "UPDATEABLE", plugin, "UPDATEABLE", pickle2, "UPDATEABLE", "macros/VAR/new_macro.ijm", "NOT_INSTALLED",
                dropped, "OBSOLETE"), before, "what the updater offers after build 2");
        update(user, v2, index2);
        assertEquals(Map.of(), status(user, index2, "UPDATEABLE", "MODIFIED", "NOT_INSTALLED", "OBSOLETE"), "after the update");
        assertFalse(Files.exists(user.resolve(pickle)), "the old version's file is replaced");
        assertFalse(Files.exists(user.resolve(dropped)), "a file the site no longer ships is removed");
        System.out.println("update site: upgrade from build 1 offered " + before + ", then all " + files(user).size() + " files up to date");
    }

    // ---- the updater's view of an installation (FileObject.setLocalVersion, Installer), over the golden-checked checksum ----

    /** Each record's status for the files in {@code root}, as the updater derives it; only those in {@code shown}. */
    private Map<String, String> status(Path root, Map<String, Element> index, String... shown) throws Exception {
        Map<String, String> local = localFiles(root), sums = checksumsOf(root, local.values());
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, Element> r : index.entrySet()) {
            String localPath = local.get(FileUtils.stripFilenameVersion(r.getKey()));
            NodeList v = r.getValue().getElementsByTagName("version");
            Set<String> previous = new HashSet<>();
            NodeList pv = r.getValue().getElementsByTagName("previous-version");
            for (int i = 0; i < pv.getLength(); i++) previous.add(((Element) pv.item(i)).getAttribute("checksum"));
            String status;
            if (localPath == null) status = v.getLength() == 0 ? "OBSOLETE_UNINSTALLED" : "NOT_INSTALLED";
            else {
                String sum = sums.get(localPath);
                if (v.getLength() == 0) status = previous.contains(sum) ? "OBSOLETE" : "OBSOLETE_MODIFIED";
                else if (sum.equals(((Element) v.item(0)).getAttribute("checksum"))) status = "INSTALLED";
                else status = previous.contains(sum) ? "UPDATEABLE" : "MODIFIED";
            }
            if (Arrays.asList(shown).contains(status)) out.put(r.getKey(), status);
        }
        return out;
    }

    /** The Installer: every file that is new or updatable downloaded and verified (size, then checksum) before any moves; obsolete ones removed. */
    private Map<String, String> update(Path root, Path siteDir, Map<String, Element> index) throws Exception {
        Map<String, String> todo = status(root, index, "UPDATEABLE", "NOT_INSTALLED", "OBSOLETE");
        Path staging = Files.createDirectories(root.resolve("update"));
        List<String> downloads = new ArrayList<>();
        for (Map.Entry<String, String> t : todo.entrySet()) {
            if (t.getValue().equals("OBSOLETE")) continue;
            Element v = only(index.get(t.getKey()), "version");
            Path download = staging.resolve(t.getKey());
            Files.createDirectories(download.getParent());
            Files.copy(siteDir.resolve(t.getKey() + "-" + v.getAttribute("timestamp")), download, StandardCopyOption.REPLACE_EXISTING);
            assertEquals(Long.parseLong(v.getAttribute("filesize")), Files.size(download), t.getKey() + ": size of the download");
            downloads.add(t.getKey());
        }
        Map<String, String> sums = checksumsOf(staging, downloads);
        for (String d : downloads) assertEquals(only(index.get(d), "version").getAttribute("checksum"), sums.get(d), d + ": checksum of the download");
        Map<String, String> local = localFiles(root);
        for (Map.Entry<String, String> t : todo.entrySet()) {
            String old = local.get(FileUtils.stripFilenameVersion(t.getKey()));
            if (old != null) Files.delete(root.resolve(old));
            if (t.getValue().equals("OBSOLETE")) continue;
            Path to = root.resolve(t.getKey());
            Files.createDirectories(to.getParent());
            Files.move(staging.resolve(t.getKey()), to);
        }
        deleteTree(staging);
        return todo;
    }

    /** path -> checksum of the files at those paths under {@code root}, in one run of the writer. */
    private static Map<String, String> checksumsOf(Path root, Collection<String> paths) throws Exception {
        List<String> ordered = new ArrayList<>(paths), pairs = new ArrayList<>();
        for (String p : ordered) { pairs.add(p); pairs.add(root.resolve(p).toString()); }
        List<String> sums = ordered.isEmpty() ? List.of() : checksums(pairs);
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < ordered.size(); i++) out.put(ordered.get(i), sums.get(i));
        return out;
    }

    /** The installation's files by the updater's key (path without version), outside its update/ staging folder. */
    private static Map<String, String> localFiles(Path root) throws IOException {
        Map<String, String> out = new HashMap<>();
        if (!Files.isDirectory(root)) return out;
        for (String path : files(root))
            if (!path.startsWith("update/")) assertNull(out.put(FileUtils.stripFilenameVersion(path), path), "two versions installed: " + path);
        return out;
    }

    // ---- helpers ----

    private List<Golden> golden() throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getResource("/updater/updater-checksums.tsv").toURI()).getParent();
        List<Golden> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("updater-checksums.tsv"), StandardCharsets.UTF_8)) {
            if (line.startsWith("#") || line.isBlank()) continue;
            String[] f = line.split("\t");
            assertEquals(6, f.length, line);
            Path file;
            if (!f[4].equals("-")) file = dir.resolve(f[4]);
            else if (f[1].startsWith("jars/linux64/")) file = fiji.resolve(f[1]);        // the native jar: the Fiji folder's copy
            else {
                String[] c = f[3].split(":");
                file = goldenJars.resolve(c[1] + "-" + c[2] + ".jar");
            }
            out.add(new Golden(f[0], f[1], Long.parseLong(f[2]), file));
        }
        return out;
    }

    /** Checksums by the site writer itself ({@code UpdateSite.java --checksum PATH FILE ...}), one per pair, in order. */
    private static List<String> checksums(List<String> pairs) throws Exception {
        List<String> args = new ArrayList<>(List.of("--checksum"));
        args.addAll(pairs);
        List<String> out = new ArrayList<>();
        for (String line : writer(args).split("\n")) if (line.matches("[0-9a-f]{40}\t.*")) out.add(line.substring(0, 40));
        assertEquals(pairs.size() / 2, out.size(), "checksums printed");
        return out;
    }

    private static void run(Path folder, Path out, Path previous) throws Exception {
        List<String> args = new ArrayList<>(List.of(folder.toString(), out.toString()));
        if (previous != null) args.add(previous.toString());
        writer(args);
    }

    private static String writer(List<String> args) throws Exception {
        Path program = Path.of(System.getProperty("nextscale.update.site.writer", "../src/fiji/UpdateSite.java")).toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), program.toString()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), log);
        return log;
    }

    /**
     * {@code from} written again to {@code to} with {@code added} entries; {@code rebuilt}: as another build of the same
     * classes makes it (entries in reverse order, other times, another manifest and pom.properties date).
     */
    private static void rezip(Path from, Path to, Map<String, String> added, boolean rebuilt) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(from.toFile())) {
            for (ZipEntry e : Collections.list(z.entries())) try (InputStream in = z.getInputStream(e)) { entries.put(e.getName(), in.readAllBytes()); }
        }
        List<String> names = new ArrayList<>(entries.keySet());
        if (rebuilt) Collections.reverse(names);
        Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
            for (String name : names) {
                byte[] bytes = entries.get(name);
                if (rebuilt && name.equals("META-INF/MANIFEST.MF"))
                    bytes = ("Manifest-Version: 1.0\r\nCreated-By: Maven JAR Plugin 3.4.1\r\nBuild-Jdk-Spec: 17\r\nBuilt-By: someone-else\r\n\r\n").getBytes(StandardCharsets.UTF_8);
                if (rebuilt && name.endsWith("pom.properties"))
                    bytes = new String(bytes, StandardCharsets.UTF_8).replaceAll("(?m)^#(?!Generated).*$", "#Tue Jan 05 10:11:12 CET 2027").getBytes(StandardCharsets.UTF_8);
                ZipEntry e = new ZipEntry(name);
                if (rebuilt) e.setTime(1_800_000_000_000L);
                out.putNextEntry(e);
                out.write(bytes);
                out.closeEntry();
            }
            for (Map.Entry<String, String> a : added.entrySet()) {
                out.putNextEntry(new ZipEntry(a.getKey()));
                out.write(a.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING);
    }

    private String pluginJar() throws IOException {
        try (Stream<Path> s = Files.list(fiji.resolve("plugins"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("nextscale_VAR")).findFirst().orElseThrow();
        }
    }

    private static String only(List<String> paths, String prefix) {
        List<String> l = paths.stream().filter(p -> p.startsWith(prefix)).toList();
        assertEquals(1, l.size(), prefix + "*: " + l);
        return l.get(0);
    }

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace(File.separatorChar, '/')).sorted().toList();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /** db.xml.gz, checked against the document type it declares (which also makes its indentation ignorable to the updater's reader). */
    private static Document read(Path gz) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setValidating(true);
        var builder = f.newDocumentBuilder();
        List<String> problems = new ArrayList<>();
        builder.setErrorHandler(new ErrorHandler() {
            public void warning(SAXParseException e) { problems.add(e.getMessage()); }
            public void error(SAXParseException e) { problems.add("line " + e.getLineNumber() + ": " + e.getMessage()); }
            public void fatalError(SAXParseException e) throws SAXException { throw e; }
        });
        Document d;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            d = builder.parse(in);
        }
        assertEquals(List.of(), problems, "db.xml.gz does not follow its document type");
        assertEquals("pluginRecords", d.getDocumentElement().getTagName());
        return d;
    }

    private static Map<String, Element> records(Document d) {
        Map<String, Element> out = new TreeMap<>();
        NodeList l = d.getElementsByTagName("plugin");
        for (int i = 0; i < l.getLength(); i++) {
            Element e = (Element) l.item(i);
            assertNull(out.put(e.getAttribute("filename"), e), "two records for " + e.getAttribute("filename"));
        }
        return out;
    }

    private static Element only(Element parent, String tag) {
        NodeList l = parent.getElementsByTagName(tag);
        assertEquals(1, l.getLength(), parent.getAttribute("filename") + ": <" + tag + "> elements");
        return (Element) l.item(0);
    }

    private static String text(Element parent, String tag) {
        return only(parent, tag).getTextContent();
    }

    private static List<String> texts(Element parent, String tag) {
        List<String> out = new ArrayList<>();
        NodeList l = parent.getElementsByTagName(tag);
        for (int i = 0; i < l.getLength(); i++) out.add(l.item(i).getTextContent());
        return out;
    }
}
