package org.nextscale.imagej;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The Fiji folder `mvn package` writes holds none of the libraries Fiji ships itself (gson, commons-io, commons-codec,
 * commons-compress, jna, SciJava, ImageJ) and no library at another version than Fiji's own: every jar whose artifact
 * pom-scijava (Fiji's bill of materials) manages has pom-scijava's version, so no second copy lands on Fiji's class
 * path. Runs after package (the folder must exist).
 */
class FijiFolderIT {
    static final Pattern VAR = Pattern.compile("\\$\\{([^}]+)}");

    /** artifactId -> version of every dependency pom-scijava manages, its ${...} properties resolved. */
    static Map<String, String> managed(Path pom) throws Exception {
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        Map<String, String> props = new HashMap<>();
        Element project = d.getDocumentElement();
        for (Node p = project.getFirstChild(); p != null; p = p.getNextSibling())          // the project's own <properties>
            if (p instanceof Element e && e.getTagName().equals("properties"))
                for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling())
                    if (n instanceof Element v) props.put(v.getTagName(), v.getTextContent().trim());
        Map<String, String> out = new HashMap<>();
        Element dm = (Element) d.getElementsByTagName("dependencyManagement").item(0);
        NodeList deps = dm.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element dep = (Element) deps.item(i);
            if (dep.getParentNode().getParentNode() != dm) continue;               // not an exclusion's
            String a = text(dep, "artifactId"), v = text(dep, "version");
            if (a == null || v == null) continue;
            out.put(a, resolve(v, props));
        }
        return out;
    }

    static String text(Element e, String tag) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling())
            if (n instanceof Element c && c.getTagName().equals(tag)) return c.getTextContent().trim();
        return null;
    }

    static String resolve(String v, Map<String, String> props) {
        for (int depth = 0; depth < 20; depth++) {
            Matcher m = VAR.matcher(v);
            if (!m.find()) return v;
            String r = props.get(m.group(1));
            if (r == null) return v;
            v = v.substring(0, m.start()) + r + v.substring(m.end());
        }
        return v;
    }

    @Test
    void everyJarFijiAlsoManagesHasFijisVersion() throws Exception {
        Path pom = Path.of(System.getProperty("nextscale.pomscijava"));
        Path jars = Path.of(System.getProperty("nextscale.fiji.dir")).resolve("jars");
        assertTrue(Files.isRegularFile(pom), "pom-scijava not found at " + pom);
        Map<String, String> fiji = managed(pom);
        assertTrue(fiji.size() > 500, "pom-scijava manages hundreds of artifacts, read " + fiji.size());
        assertEquals("2.10.1", fiji.get("gson"), "read pom-scijava's gson");
        List<String> names = new ArrayList<>();
        try (var s = Files.list(jars)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).sorted().forEach(names::add);
        }
        assertFalse(names.isEmpty(), "no jars in " + jars);
        List<String> wrong = new ArrayList<>(), aligned = new ArrayList<>();
        for (String name : names) {
            // artifactId-version[-classifier].jar: the longest managed artifactId followed by "-<digit>"
            String artifact = null;
            for (String a : fiji.keySet())
                if (name.startsWith(a + "-") && name.length() > a.length() + 1 && Character.isDigit(name.charAt(a.length() + 1))
                        && (artifact == null || a.length() > artifact.length())) artifact = a;
            if (artifact == null) continue;                                          // a library Fiji does not manage
            String version = name.substring(artifact.length() + 1, name.length() - 4);
            String want = fiji.get(artifact);
            assertFalse(want.contains("${"), name + ": pom-scijava's version " + want + " did not resolve");
            if (version.equals(want) || version.startsWith(want + "-")) aligned.add(name);
            else wrong.add(name + " (Fiji: " + artifact + " " + want + ")");
        }
        System.out.println("Fiji folder: " + names.size() + " jars, at Fiji's versions: " + aligned);
        assertEquals(List.of(), wrong, "jars at another version than pom-scijava " + pom.getFileName() + " manages");
        assertTrue(aligned.contains("picocli-4.7.7.jar"), aligned.toString());
        List<String> fijis = names.stream().filter(n -> UpdateSiteIT.FIJI_SHIPS.contains(org.scijava.util.FileUtils.stripFilenameVersion("jars/" + n))).toList();
        assertEquals(List.of(), fijis, "Fiji ships these itself (at pom-scijava's versions); the folder must not bring a copy");
    }
}
