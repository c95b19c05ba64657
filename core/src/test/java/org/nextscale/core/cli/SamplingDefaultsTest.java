package org.nextscale.core.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.nextscale.core.api.SampleOptions;
import picocli.CommandLine;

/** Each subcommand lists only its own options, and the sampling defaults come from SampleOptions.defaults() alone. */
class SamplingDefaultsTest {
    static String help(String sub) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.getSubcommands().get(sub).usage(new PrintWriter(out, true));
        return out.toString();
    }

    @Test
    void tokenizeAndReconstructShowNoSamplingOption() {
        for (String sub : new String[] {"reconstruct", "tokenize"}) {
            String h = help(sub);
            for (String o : new String[] {"--cfg", "--top-k", "--top-p", "--seed", "--smooth"})
                assertFalse(h.contains(o), sub + " --help lists " + o + ":\n" + h);
            assertTrue(h.contains("--scale") && h.contains("--model"), h);
        }
        String[] r = EvalCommandTest.run("reconstruct", "x.png", "--cfg", "2", "--out", "y.png");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("--cfg"), r[2]);
    }

    @Test
    void everySamplingSubcommandTakesItsDefaultsFromSampleOptions() {
        SampleOptions d = SampleOptions.defaults();
        for (String sub : new String[] {"generate", "inpaint", "outpaint", "edit", "demo", "eval"}) {
            CommandLine cl = Main.commandLine();
            CommandLine.ParseResult p = cl.parseArgs(sub.equals("generate") || sub.equals("demo") || sub.equals("eval")
                    ? new String[] {sub} : sub.equals("edit") ? new String[] {sub, "a.png", "--class", "1", "--out", "b.png"}
                    : new String[] {sub, "a.png", "--out", "b.png"});
            CommandLine.Model.CommandSpec spec = p.subcommand().commandSpec();
            assertEquals(d.cfg(), (double) spec.findOption("--cfg").getValue(), sub);
            assertEquals(d.topK(), (int) spec.findOption("--top-k").getValue(), sub);
            assertEquals(d.topP(), (double) spec.findOption("--top-p").getValue(), sub);
            assertEquals(d.seed(), (long) spec.findOption("--seed").getValue(), sub);
            String h = help(sub);
            assertTrue(h.contains("(default: " + d.cfg() + ")"), sub + " help shows the default cfg:\n" + h);
        }
        // options of other meaning keep their own defaults (train's --seed is not a sampling seed)
        assertNull(new SamplingDefaults().defaultValue(CommandLine.Model.OptionSpec.builder("--steps").build()));
    }
}
