package org.nextscale.imagej;

import static org.junit.jupiter.api.Assertions.*;

import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.security.MessageDigest;
import java.util.*;
import java.util.stream.Stream;
import java.util.zip.*;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.*;
import org.xml.sax.*;

/**
 * The update site `mvn package` writes (src/fiji/UpdateSite.java, plugin-imagej/target/update-site) read back:
 * db.xml.gz valid against the document type it declares, one record per file of the Fiji folder, every stored
 * file there under its timestamped name with the size and checksum its record gives (recomputed here, by this
 * test's own code), the native jar marked for its platform, the plugin's dependencies resolving to records of
 * the site; and an update against an earlier index keeping unchanged files, recording changed and removed ones
 * as previous versions. Runs after package.
 */
class UpdateSiteIT {
    private final Path site = Path.of(System.getProperty("nextscale.update.site", "target/update-site")).toAbsolutePath();
    private final Path fiji = Path.of(System.getProperty("nextscale.fiji.dir", "target/fiji")).toAbsolutePath();

    @Test
    void everyFileOfTheFijiFolderIsOnTheSiteWithItsChecksumAndSize() throws Exception {
        Document db = read(site.resolve("db.xml.gz"), true);
        Map<String, Element> records = records(db);
        List<String> folder = files(fiji);
        assertEquals(folder, new ArrayList<>(new TreeSet<>(records.keySet())), "one record per file of the Fiji folder");
        assertTrue(folder.contains("plugins/" + pluginJar()), folder.toString());
        Set<String> stored = new TreeSet<>();
        for (Map.Entry<String, Element> r : records.entrySet()) {
            String path = r.getKey();
            Element version = only(r.getValue(), "version");
            String stamp = version.getAttribute("timestamp");
            assertTrue(stamp.matches("\\d{14}"), path + ": timestamp " + stamp);
            Path file = site.resolve(path + "-" + stamp);
            stored.add(path + "-" + stamp);
            assertTrue(Files.isRegularFile(file), "not stored: " + file);
            assertEquals(Long.parseLong(version.getAttribute("filesize")), Files.size(file), path + ": filesize");
            assertEquals(version.getAttribute("checksum"), checksum(path, file), path + ": checksum");
            assertArrayEquals(Files.readAllBytes(fiji.resolve(path)), Files.readAllBytes(file), path + ": not the Fiji folder's file");
            assertFalse(text(version, "description").isBlank(), path + ": no description");
            assertFalse(text(version, "author").isBlank(), path + ": no author");
            List<String> platforms = texts(r.getValue(), "platform");
            if (path.endsWith("-linux-x86_64.jar")) {
                assertEquals(List.of("linux64"), platforms, path);
                assertTrue(path.startsWith("jars/linux64/"), "native jars live in Fiji's platform folder: " + path);
            } else {
                assertEquals(List.of(), platforms, path + " is for every platform");
            }
        }
        stored.add("db.xml.gz");
        assertEquals(stored, new TreeSet<>(files(site)), "the site holds the index and the records' files, nothing else");

        Element plugin = only(records.get("plugins/" + pluginJar()), "version");
        NodeList deps = plugin.getElementsByTagName("dependency");
        Set<String> needed = new TreeSet<>();
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            Element target = records.get(d.getAttribute("filename"));
            assertNotNull(target, "the plugin depends on a file the site lacks: " + d.getAttribute("filename"));
            assertEquals(only(target, "version").getAttribute("timestamp"), d.getAttribute("timestamp"), d.getAttribute("filename"));
            needed.add(d.getAttribute("filename"));
        }
        Set<String> jars = new TreeSet<>(folder.stream().filter(p -> p.startsWith("jars/")).toList());
        assertEquals(jars, needed, "the plugin depends on every library it ships");
        assertTrue(needed.contains("jars/linux64/pytorch-native-cpu-2.7.1-linux-x86_64.jar"), needed.toString());
        System.out.println("update site: " + records.size() + " records, every checksum and size recomputed from the stored files");
    }

    @Test
    void anUpdateKeepsUnchangedFilesAndRecordsChangedAndRemovedOnesAsPreviousVersions(@TempDir Path tmp) throws Exception {
        Path folder = tmp.resolve("fiji");
        for (String path : files(fiji)) {                       // a copy of the folder, without the 110 MB native jar
            if (path.contains("pytorch-native")) continue;
            Path to = folder.resolve(path);
            Files.createDirectories(to.getParent());
            Files.copy(fiji.resolve(path), to, StandardCopyOption.COPY_ATTRIBUTES);
        }
        Path v1 = tmp.resolve("v1"), v2 = tmp.resolve("v2");
        run(folder, v1, null);
        Map<String, Element> before = records(read(v1.resolve("db.xml.gz"), true));
        String macro = "macros/VAR/tokenize_folder.ijm", removed = "macros/VAR/inpaint_folder.ijm";
        Files.writeString(folder.resolve(macro), "// changed\n", StandardOpenOption.APPEND);
        Files.setLastModifiedTime(folder.resolve(macro), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        Files.delete(folder.resolve(removed));
        String gson = "jars/gson-2.10.1.jar";                   // same bytes, a later time (a fresh copy): still the same version
        Files.setLastModifiedTime(folder.resolve(gson), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        run(folder, v2, v1.resolve("db.xml.gz"));
        Map<String, Element> after = records(read(v2.resolve("db.xml.gz"), true));

        assertEquals(only(before.get(gson), "version").getAttribute("timestamp"), only(after.get(gson), "version").getAttribute("timestamp"),
                "an unchanged file keeps its version");
        assertEquals(0, after.get(gson).getElementsByTagName("previous-version").getLength());
        NodeList deps = only(after.get("plugins/" + pluginJar()), "version").getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {                // the plugin depends on the versions the index holds
            Element d = (Element) deps.item(i);
            assertEquals(only(after.get(d.getAttribute("filename")), "version").getAttribute("timestamp"), d.getAttribute("timestamp"), d.getAttribute("filename"));
        }

        Element old = only(before.get(macro), "version"), now = only(after.get(macro), "version");
        assertNotEquals(old.getAttribute("checksum"), now.getAttribute("checksum"));
        Element prev = only(after.get(macro), "previous-version");
        assertEquals(old.getAttribute("checksum"), prev.getAttribute("checksum"));
        assertEquals(old.getAttribute("timestamp"), prev.getAttribute("timestamp"));
        assertEquals(now.getAttribute("timestamp"), prev.getAttribute("timestamp-obsolete"));
        assertEquals(checksum(macro, v2.resolve(macro + "-" + now.getAttribute("timestamp"))), now.getAttribute("checksum"));

        Element gone = after.get(removed);
        assertNotNull(gone, "a removed file stays in the index, as history");
        assertEquals(0, gone.getElementsByTagName("version").getLength(), "a removed file has no current version");
        assertEquals(only(before.get(removed), "version").getAttribute("checksum"), only(gone, "previous-version").getAttribute("checksum"));
        assertFalse(Files.exists(v2.resolve(removed + "-" + only(before.get(removed), "version").getAttribute("timestamp"))));
    }

    @Test
    void aJarsChecksumIgnoresBuildTimesButNotContents(@TempDir Path tmp) throws Exception {
        Path a = tmp.resolve("a.jar"), b = tmp.resolve("b.jar"), c = tmp.resolve("c.jar");
        jar(a, "#Generated by Maven\n#Mon Dec 07 08:00:00 UTC 2026\nversion=1\n", "Manifest-Version: 1.0\nBuilt-By: x\nMain-Class: a.B\n", "x");
        jar(b, "#Generated by Maven\n#Tue Dec 08 09:30:00 UTC 2026\nversion=1\n", "Manifest-Version: 1.0\nBuilt-By: y\nMain-Class: a.B\n", "x");
        jar(c, "#Generated by Maven\n#Mon Dec 07 08:00:00 UTC 2026\nversion=1\n", "Manifest-Version: 1.0\nBuilt-By: x\nMain-Class: a.B\n", "y");
        Path folder = tmp.resolve("fiji");
        for (Path j : List.of(a, b, c)) {
            Files.createDirectories(folder.resolve("jars"));
            Files.copy(j, folder.resolve("jars").resolve(j.getFileName()));
        }
        Files.createDirectories(folder.resolve("plugins"));
        run(folder, tmp.resolve("site"), null);
        Map<String, Element> r = records(read(tmp.resolve("site/db.xml.gz"), true));
        String sa = only(r.get("jars/a.jar"), "version").getAttribute("checksum");
        assertEquals(sa, only(r.get("jars/b.jar"), "version").getAttribute("checksum"), "a rebuild (other build time, other builder) is the same file");
        assertNotEquals(sa, only(r.get("jars/c.jar"), "version").getAttribute("checksum"), "other contents, other checksum");
        assertEquals(checksum("jars/a.jar", a), sa);
    }

    // ---- helpers ----

    private static void jar(Path to, String properties, String manifest, String content) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(to))) {
            for (String[] e : new String[][] {{"META-INF/MANIFEST.MF", manifest}, {"META-INF/maven/a/b/pom.properties", properties}, {"a/B.txt", content}}) {
                z.putNextEntry(new ZipEntry(e[0]));
                z.write(e[1].getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
    }

    private void run(Path folder, Path out, Path previous) throws Exception {
        Path program = Path.of(System.getProperty("nextscale.update.site.writer", "../src/fiji/UpdateSite.java")).toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), program.toString(),
                folder.toString(), out.toString()));
        if (previous != null) cmd.add(previous.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), log);
    }

    private String pluginJar() throws IOException {
        try (Stream<Path> s = Files.list(fiji.resolve("plugins"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("nextscale_VAR")).findFirst().orElseThrow();
        }
    }

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace(File.separatorChar, '/')).sorted().toList();
        }
    }

    /** db.xml.gz, checked against its own document type when {@code validate}. */
    private static Document read(Path gz, boolean validate) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setValidating(validate);
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

    /**
     * imagej-updater's checksum, written here apart from the site writer: SHA-1 hex; a .jar over its entries in
     * name order (name, then contents; .properties without '#' lines, the manifest as its Main-Class line); any
     * other file over its path and its bytes.
     */
    static String checksum(String path, Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-1");
        if (!path.endsWith(".jar")) {
            md.update(path.getBytes(StandardCharsets.US_ASCII));
            md.update(Files.readAllBytes(file));
        } else {
            try (ZipFile zip = new ZipFile(file.toFile())) {
                List<? extends ZipEntry> entries = new ArrayList<>(Collections.list(zip.entries()));
                entries.sort(Comparator.comparing(ZipEntry::getName));
                for (ZipEntry e : entries) {
                    md.update(e.getName().getBytes(StandardCharsets.US_ASCII));
                    String name = e.getName();
                    byte[] bytes;
                    try (InputStream in = zip.getInputStream(e)) {
                        bytes = in.readAllBytes();
                    }
                    if (name.endsWith(".properties") || name.equals("META-INF/MANIFEST.MF")) {
                        StringBuilder kept = new StringBuilder();
                        String s = new String(bytes, StandardCharsets.UTF_8);
                        if (name.endsWith(".properties")) {
                            for (String line : s.split("(?<=\n)")) if (!line.startsWith("#")) kept.append(line);
                        } else {
                            for (String line : s.split("\r?\n")) if (line.startsWith("Main-Class:")) kept.append(line).append('\n');
                        }
                        bytes = kept.toString().getBytes(StandardCharsets.UTF_8);
                    }
                    md.update(bytes);
                }
            }
        }
        StringBuilder hex = new StringBuilder();
        for (byte b : md.digest()) hex.append(String.format("%02x", b));
        return hex.toString();
    }
}
