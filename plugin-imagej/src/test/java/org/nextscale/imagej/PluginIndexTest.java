package org.nextscale.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;

/** Fiji finds the commands through the SciJava plugin index; ImageJ 1.x through plugins.config. Both list the same eight. */
class PluginIndexTest {
    static final Map<String, Class<? extends VarCommand>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("VAR Generate", GenerateCommand.class);
        COMMANDS.put("VAR Tokenize", TokenizeCommand.class);
        COMMANDS.put("VAR Reconstruct", ReconstructCommand.class);
        COMMANDS.put("VAR Inpaint", InpaintCommand.class);
        COMMANDS.put("VAR Outpaint", OutpaintCommand.class);
        COMMANDS.put("VAR Class Edit", ClassEditCommand.class);
        COMMANDS.put("VAR Train Tokenizer", TrainTokenizerCommand.class);
        COMMANDS.put("VAR Train", TrainVarCommand.class);
    }

    @Test
    void everyCommandIsIndexedHeadlessAndListedOnceInTheMenu() throws IOException {
        String index = resource("META-INF/json/org.scijava.plugin.Plugin");
        assertTrue(index.contains("\"class\":\"" + VarModelService.class.getName() + "\""), "the model service is not indexed");
        try (CommandHarness h = new CommandHarness()) {
            CommandService cs = h.context.service(CommandService.class);
            for (var e : COMMANDS.entrySet()) {
                assertTrue(index.contains("\"class\":\"" + e.getValue().getName() + "\""), e.getValue() + " is not in the plugin index");
                CommandInfo info = cs.getCommand(e.getValue());
                assertNotNull(info, e.getKey());
                assertTrue(info.canRunHeadless(), e.getKey() + " must be headless");
                assertEquals(e.getKey(), info.getLabel());
                // one menu entry per command in Fiji: the ImageJ 1.x one (plugins.config), which the macro recorder
                // writes; the SciJava command itself is for scripts and stays out of the menus
                assertTrue(info.getMenuPath().isEmpty(), e.getKey() + " would appear twice in Fiji's menu: " + info.getMenuPath());
            }
        }
    }

    @Test
    void pluginsConfigMapsEveryLabelToItsBridge() throws Exception {
        String config = resource("plugins.config");
        Matcher m = Pattern.compile("(?m)^Plugins>VAR, \"([^\"]+)\", (\\S+)$").matcher(config);
        Map<String, String> entries = new LinkedHashMap<>();
        while (m.find()) entries.put(m.group(1), m.group(2));
        // every entry that opens a dialog ends in "...", as ImageJ's menus do; then the Help entry
        List<String> menu = new java.util.ArrayList<>(COMMANDS.keySet().stream().map(l -> l + "...").toList());
        menu.add("VAR Help");
        assertEquals(menu, List.copyOf(entries.keySet()));
        assertTrue(Class.forName(entries.remove("VAR Help")).getDeclaredConstructor().newInstance() instanceof ij.plugin.PlugIn);
        // the names macros used before keep working, in a submenu of their own
        Matcher older = Pattern.compile("(?m)^Plugins>VAR>Older macro names, \"([^\"]+)\", (\\S+)$").matcher(config);
        Map<String, String> aliases = new LinkedHashMap<>();
        while (older.find()) aliases.put(older.group(1), older.group(2));
        assertEquals(List.copyOf(COMMANDS.keySet()), List.copyOf(aliases.keySet()));
        for (var e : aliases.entrySet()) assertEquals(entries.get(e.getKey() + "..."), e.getValue(), e.getKey());
        for (var e : aliases.entrySet()) {
            Object bridge = Class.forName(e.getValue()).getDeclaredConstructor().newInstance();
            assertTrue(bridge instanceof ij.plugin.PlugIn, e.getValue());
            var declared = bridge.getClass().getDeclaredMethod("label");
            declared.setAccessible(true);
            assertEquals(e.getKey(), declared.invoke(bridge), e.getValue() + " answers to another label");
            var command = bridge.getClass().getDeclaredMethod("command");
            command.setAccessible(true);
            assertEquals(COMMANDS.get(e.getKey()), command.invoke(bridge));
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = PluginIndexTest.class.getClassLoader().getResourceAsStream(name)) {
            assertNotNull(in, name + " is missing from the plugin jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
