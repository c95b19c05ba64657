package org.nextscale.imagej;

import ij.ImagePlus;
import java.util.Map;

/**
 * What a result image says about how it was made: the run's settings in its Info (Image > Show Info) and as image
 * properties a macro reads with Property.get("cfg"); and titles that are safe as file names, since File > Save
 * proposes the title ("T-shirt/top" would become a folder).
 */
final class ResultInfo {
    private ResultInfo() {}

    /** {@code title} with characters a file name cannot hold (/ \ : * ? " < > |) replaced by '-'. */
    static String safe(String title) {
        return title.replaceAll("[/\\\\:*?\"<>|]", "-");
    }

    /** Sets the Info text ("VAR Generate" then one "key: value" line per setting) and one property per setting. */
    static ImagePlus attach(ImagePlus imp, String command, Map<String, String> settings) {
        if (imp == null) return null;
        StringBuilder info = new StringBuilder(command).append('\n');
        settings.forEach((k, v) -> {
            info.append(k).append(": ").append(v).append('\n');
            imp.setProp(k, v);
        });
        imp.setProperty("Info", info.toString());
        return imp;
    }
}
