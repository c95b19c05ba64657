import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.*;
import java.time.format.DateTimeFormatter;
import java.util.*;
import java.util.jar.*;
import java.util.regex.*;
import java.util.stream.*;
import java.util.zip.*;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.*;

/**
 * Writes an ImageJ update site from the Fiji folder that `mvn package` assembles (plugin-imagej/target/fiji):
 * every file stored as {@code <path>-<timestamp>}, and db.xml.gz, the index the ImageJ updater reads, in the
 * format of imagej-updater's XMLFileWriter (plugin records with the current version's checksum, timestamp and
 * size, description, author, dependencies; platform for native jars; previous versions when an earlier index
 * is given). Checksums are imagej-updater's (UpdaterUtil.getDigest, see {@link #digest}); the test UpdateSiteIT holds
 * them to checksums the real updater computed (plugin-imagej/src/test/resources/updater).
 *
 * <pre>java src/fiji/UpdateSite.java FIJI_DIR SITE_DIR [PREVIOUS_DB_XML_GZ]
 * java src/fiji/UpdateSite.java --checksum PATH FILE [PATH FILE ...]    (prints each file's checksum under PATH)</pre>
 * Run by plugin-imagej's package phase (docs/fiji.md, "Update site"). JDK only, so it needs no class path.
 */
public class UpdateSite {
    /**
     * Timestamps as the updater's own uploader writes them (UpdaterUtil.timestamp(Calendar.getInstance())): the
     * time of the upload in the uploading machine's time zone, one for every file the release adds or changes.
     */
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneId.systemDefault());
    static final String AUTHOR = "nextscale developers";
    record Entry(String path, Path file, String checksum, long size, String platform) {}
    record Previous(String filename, String timestamp, String checksum, String obsoleteSince) {}
    /** A file's record: its entry, the timestamp of its current version (an unchanged file keeps the earlier one), its history. */
    record Record(Entry entry, String timestamp, List<Previous> previous) {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--checksum")) {
            if (args.length % 2 == 0) fail("--checksum takes pairs: PATH FILE [PATH FILE ...]");
            for (int i = 1; i < args.length; i += 2) System.out.println(digest(args[i], Path.of(args[i + 1])) + "\t" + args[i]);
            return;
        }
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: java src/fiji/UpdateSite.java FIJI_DIR SITE_DIR [PREVIOUS_DB_XML_GZ]");
            System.exit(2);
        }
        Path fiji = Path.of(args[0]), site = Path.of(args[1]);
        Path previousDb = args.length == 3 && !args[2].isBlank() ? Path.of(args[2]) : null;
        if (!Files.isDirectory(fiji.resolve("plugins")))
            fail("no Fiji folder at " + fiji + " (expected plugins/ in it): run mvn package in plugin-imagej first");
        if (previousDb != null && !Files.isRegularFile(previousDb))
            fail("no earlier db.xml.gz at " + previousDb + ": give the live site's index, or leave it out for a new site");
        write(fiji, site, previousDb);
    }

    static void fail(String message) {
        System.err.println("update site: " + message);
        System.exit(1);
    }

    static void write(Path fiji, Path site, Path previousDb) throws Exception {
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> files = Files.walk(fiji)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String path = fiji.relativize(f).toString().replace(File.separatorChar, '/');
                entries.add(new Entry(path, f, digest(path, f), Files.size(f), platform(path)));
            }
        }
        Map<String, Element> old = previousDb == null ? Map.of() : readRecords(previousDb);
        String release = releaseStamp(old.values());
        List<Record> records = new ArrayList<>();
        Map<String, String> stampOf = new HashMap<>();
        for (Entry e : entries) {
            Element before = old.get(unversioned(e.path));
            List<Previous> previous = previousVersions(before);
            String timestamp = release;
            Element v = before == null ? null : currentVersion(before);
            if (v != null) {
                if (v.getAttribute("checksum").equals(e.checksum)) timestamp = v.getAttribute("timestamp"); // unchanged: same version
                else previous.add(0, new Previous(before.getAttribute("filename"), v.getAttribute("timestamp"), v.getAttribute("checksum"), release));
            }
            records.add(new Record(e, timestamp, previous));
            stampOf.put(e.path, timestamp);
        }
        deleteTree(site);
        Files.createDirectories(site);
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n").append(DTD).append("<pluginRecords>\n");
        List<String> jars = entries.stream().map(Entry::path).filter(p -> p.startsWith("jars/")).toList();
        for (Record r : records) {
            Entry e = r.entry;
            Path stored = site.resolve(e.path + "-" + r.timestamp);
            Files.createDirectories(stored.getParent());
            Files.copy(e.file, stored, StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(stored, FileTime.from(STAMP.parse(r.timestamp, Instant::from)));
            xml.append(" <plugin filename=\"").append(esc(e.path)).append("\">\n");
            if (e.platform != null) xml.append("  <platform>").append(e.platform).append("</platform>\n");
            xml.append("  <category>").append(e.path.startsWith("plugins/") ? "Plugins" : e.path.startsWith("jars/") ? "Libraries" : "Data")
                    .append("</category>\n");
            xml.append("  <version timestamp=\"").append(r.timestamp).append("\" checksum=\"").append(e.checksum)
                    .append("\" filesize=\"").append(e.size).append("\">\n");
            xml.append("   <description>").append(esc(description(e.path))).append("</description>\n");
            if (e.path.startsWith("plugins/"))                  // the plugin needs every library of the site (Maven's runtime closure)
                for (String jar : jars)
                    xml.append("   <dependency filename=\"").append(esc(jar)).append("\" timestamp=\"").append(stampOf.get(jar)).append("\"/>\n");
            xml.append("   <author>").append(AUTHOR).append("</author>\n");
            xml.append("  </version>\n");
            for (Previous p : r.previous) appendPrevious(xml, p);
            xml.append(" </plugin>\n");
        }
        Set<String> current = new HashSet<>();
        for (Entry e : entries) current.add(unversioned(e.path));
        for (Map.Entry<String, Element> gone : new TreeMap<>(old).entrySet()) {   // no longer shipped: obsolete, kept as history
            if (current.contains(gone.getKey())) continue;
            Element before = gone.getValue();
            List<Previous> previous = previousVersions(before);
            Element v = currentVersion(before);
            if (v != null) previous.add(0, new Previous(before.getAttribute("filename"), v.getAttribute("timestamp"), v.getAttribute("checksum"), release));
            xml.append(" <plugin filename=\"").append(esc(before.getAttribute("filename"))).append("\">\n");
            for (Previous p : previous) appendPrevious(xml, p);
            xml.append(" </plugin>\n");
        }
        xml.append("</pluginRecords>\n");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(site.resolve("db.xml.gz")))) {
            out.write(xml.toString().getBytes(StandardCharsets.UTF_8));
        }
        System.err.printf("update site: %d files, db.xml.gz in %s%n", entries.size(), site);
    }

    /**
     * This release's timestamp: now, or one second after the newest timestamp of the earlier index when that is
     * later (a clock set back, or two releases within a second): a changed file must never get a version an
     * earlier file had, since its stored name and the users' download address come from it.
     */
    static String releaseStamp(Collection<Element> earlier) {
        LocalDateTime now = LocalDateTime.now(STAMP.getZone()).withNano(0);
        for (Element plugin : earlier)
            for (String tag : List.of("version", "previous-version")) {
                NodeList l = plugin.getElementsByTagName(tag);
                for (int i = 0; i < l.getLength(); i++) {
                    String t = ((Element) l.item(i)).getAttribute("timestamp");
                    if (!t.matches("\\d{14}")) continue;
                    LocalDateTime then = LocalDateTime.parse(t, DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
                    if (!then.isBefore(now)) now = then.plusSeconds(1);
                }
            }
        return DateTimeFormatter.ofPattern("yyyyMMddHHmmss").format(now);
    }

    static void appendPrevious(StringBuilder xml, Previous p) {
        xml.append("  <previous-version");
        if (!p.filename.isEmpty()) xml.append(" filename=\"").append(esc(p.filename)).append('"');
        xml.append(" timestamp=\"").append(p.timestamp).append('"');
        if (p.obsoleteSince != null && !p.obsoleteSince.isEmpty()) xml.append(" timestamp-obsolete=\"").append(p.obsoleteSince).append('"');
        xml.append(" checksum=\"").append(p.checksum).append("\"/>\n");
    }

    /** The updater's record key: the path without a version ("jars/gson-2.10.1.jar" -> "jars/gson.jar"). */
    static String unversioned(String path) {
        return path.replaceFirst("-\\d[\\w.+-]*?(-(?:linux|win|osx|macosx)[-\\w]*)?(\\.jar)$", "$1$2");
    }

    /** The updater's platform of a native jar (the one platform this project ships natives for), else null. */
    static String platform(String path) {
        return path.startsWith("jars/") && path.endsWith("-linux-x86_64.jar") ? "linux64" : null;
    }

    static String description(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (path.startsWith("plugins/")) return "nextscale: VAR (next-scale prediction) in Fiji: train, tokenize, generate and edit images (Plugins > VAR)";
        if (path.startsWith("macros/")) return "nextscale batch macro " + name + " (docs/fiji.md)";
        if (path.startsWith("models/")) return "nextscale model " + name + " (tokenizer, transformer and class names in one file; docs/models.md)";
        if (name.startsWith("nextscale-core")) return "nextscale core: tokenizer, transformer, sampling, editing and training on DJL's PyTorch engine";
        if (name.startsWith("pytorch-native")) return "PyTorch's native library for DJL (CPU build), as Maven Central ships it";
        return "library used by nextscale: " + name + ", from Maven Central";
    }

    // ---- imagej-updater's checksum (UpdaterUtil.getDigest / getJarDigest), as update-site-format.md states it ----

    /**
     * SHA-1 in lower-case hex. A path ending in ".jar" (lower case): over the entries sorted by name (String order),
     * each its name in ASCII, then its contents: a ".properties" entry through {@link #skipHashedLines}, the entry
     * META-INF/MANIFEST.MF not at all (the updater keeps only lines starting with "Main-Class:" after upper-casing
     * them, so none). Any other path: over the path in ASCII, then the raw bytes. Non-ASCII characters become '?'.
     */
    static String digest(String path, Path file) throws Exception {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        if (path.endsWith(".jar")) {
            try (JarFile jar = new JarFile(file.toFile(), false)) {
                List<JarEntry> list = Collections.list(jar.entries());
                list.sort(Comparator.comparing(JarEntry::getName));
                for (JarEntry entry : list) {
                    sha1.update(ascii(entry.getName()));
                    if (entry.getName().equals("META-INF/MANIFEST.MF")) continue;      // its name counts, its content does not
                    try (InputStream in = jar.getInputStream(entry)) {
                        byte[] bytes = in.readAllBytes();
                        sha1.update(entry.getName().endsWith(".properties") ? skipHashedLines(bytes) : bytes);
                    }
                }
            }
        } else {
            sha1.update(ascii(path));
            try (InputStream in = Files.newInputStream(file)) {
                in.transferTo(new java.security.DigestOutputStream(OutputStream.nullOutputStream(), sha1));
            }
        }
        return HexFormat.of().formatHex(sha1.digest());
    }

    /** A name's bytes as the updater hashes them: ASCII, each other character (a surrogate pair counting as one) one '?'. */
    static byte[] ascii(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        s.codePoints().forEach(c -> out.write(c < 128 ? c : '?'));
        return out.toByteArray();
    }

    /**
     * The updater's SkipHashedLines filter: a line that starts with '#' where a line starts loses its text but
     * keeps its '\n' (a '\r' before it goes with the comment; at the end of the input without a newline it leaves
     * nothing). Only '\n' ends a line. The line after an empty line, and after a comment made only of '#', is kept
     * as it is even when it starts with '#'. (Maven's pom.properties carries the build time in such a comment.)
     */
    static byte[] skipHashedLines(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        boolean lineStart = true;
        int i = 0;
        while (i < in.length) {
            byte c = in[i++];
            if (!lineStart) {
                out.write(c);
                lineStart = c == '\n';
            } else if (c != '#') {
                out.write(c);
                lineStart = false;                              // an empty line's '\n' too: the next line is kept as it is
            } else {
                while (i < in.length && in[i] == '#') i++;      // a run of '#'
                if (i == in.length) break;                      // at the end: nothing
                if (in[i] == '\n') {                            // a comment of '#' only: its newline, and the next line kept
                    out.write('\n');
                    i++;
                    lineStart = false;
                    continue;
                }
                while (i < in.length && in[i] != '\n') i++;     // the comment's text
                if (i == in.length) break;
                out.write('\n');
                i++;
                lineStart = true;
            }
        }
        return out.toByteArray();
    }

    // ---- reading an earlier index ----

    static Map<String, Element> readRecords(Path db) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setValidating(false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(db))) {
            doc = f.newDocumentBuilder().parse(in);
        }
        Map<String, Element> out = new HashMap<>();
        NodeList plugins = doc.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element p = (Element) plugins.item(i);
            out.put(unversioned(p.getAttribute("filename")), p);
        }
        return out;
    }

    static Element currentVersion(Element plugin) {
        NodeList v = plugin.getElementsByTagName("version");
        return v.getLength() == 0 ? null : (Element) v.item(0);
    }

    static List<Previous> previousVersions(Element plugin) {
        List<Previous> out = new ArrayList<>();
        if (plugin == null) return out;
        NodeList list = plugin.getElementsByTagName("previous-version");
        for (int i = 0; i < list.getLength(); i++) {
            Element p = (Element) list.item(i);
            out.add(new Previous(p.getAttribute("filename"), p.getAttribute("timestamp"), p.getAttribute("checksum"), p.getAttribute("timestamp-obsolete")));
        }
        return out;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** The document type imagej-updater's XMLFileWriter writes at the top of every db.xml.gz. */
    static final String DTD = """
            <!DOCTYPE pluginRecords [
            <!ELEMENT pluginRecords ((update-site | disabled-update-site)*, plugin*)>
            <!ELEMENT update-site (#PCDATA)>
            <!ELEMENT disabled-update-site (#PCDATA)>
            <!ELEMENT plugin (platform*, category*, version?, previous-version*)>
            <!ELEMENT version (description?, dependency*, link*, author*)>
            <!ELEMENT previous-version EMPTY>
            <!ELEMENT description (#PCDATA)>
            <!ELEMENT dependency EMPTY>
            <!ELEMENT link (#PCDATA)>
            <!ELEMENT author (#PCDATA)>
            <!ELEMENT platform (#PCDATA)>
            <!ELEMENT category (#PCDATA)>
            <!ATTLIST update-site name CDATA #REQUIRED>
            <!ATTLIST update-site url CDATA #REQUIRED>
            <!ATTLIST update-site keyfile CDATA #IMPLIED>
            <!ATTLIST update-site ssh-host CDATA #IMPLIED>
            <!ATTLIST update-site upload-directory CDATA #IMPLIED>
            <!ATTLIST update-site description CDATA #IMPLIED>
            <!ATTLIST update-site maintainer CDATA #IMPLIED>
            <!ATTLIST update-site timestamp CDATA #REQUIRED>
            <!ATTLIST disabled-update-site name CDATA #REQUIRED>
            <!ATTLIST disabled-update-site url CDATA #REQUIRED>
            <!ATTLIST disabled-update-site keyfile CDATA #IMPLIED>
            <!ATTLIST disabled-update-site ssh-host CDATA #IMPLIED>
            <!ATTLIST disabled-update-site upload-directory CDATA #IMPLIED>
            <!ATTLIST disabled-update-site description CDATA #IMPLIED>
            <!ATTLIST disabled-update-site maintainer CDATA #IMPLIED>
            <!ATTLIST disabled-update-site timestamp CDATA #REQUIRED>
            <!ATTLIST plugin update-site CDATA #IMPLIED>
            <!ATTLIST plugin filename CDATA #REQUIRED>
            <!ATTLIST plugin executable CDATA #IMPLIED>
            <!ATTLIST dependency filename CDATA #REQUIRED>
            <!ATTLIST dependency timestamp CDATA #IMPLIED>
            <!ATTLIST dependency overrides CDATA #IMPLIED>
            <!ATTLIST version timestamp CDATA #REQUIRED>
            <!ATTLIST version checksum CDATA #REQUIRED>
            <!ATTLIST version filesize CDATA #REQUIRED>
            <!ATTLIST previous-version filename CDATA #IMPLIED>
            <!ATTLIST previous-version timestamp CDATA #REQUIRED>
            <!ATTLIST previous-version timestamp-obsolete CDATA #IMPLIED>
            <!ATTLIST previous-version checksum CDATA #REQUIRED>
            ]>
            """;
}
