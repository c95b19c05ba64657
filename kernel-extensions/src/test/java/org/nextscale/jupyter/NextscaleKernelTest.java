package org.nextscale.jupyter;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.ServiceLoader;
import org.dflib.jjava.jupyter.Extension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kernel without Jupyter: JShell evaluation, values as objects, the extension found through
 * META-INF/services, and magic errors coming out of JShell as the one-line {@link VarMagicError}.
 */
class NextscaleKernelTest {

    static NextscaleKernel kernel;

    @BeforeAll
    static void start() {
        kernel = NextscaleKernel.create();
    }

    @AfterAll
    static void stop() {
        kernel.onShutdown(false);
    }

    @Test
    void serviceFileNamesTheExtension() {
        List<String> found = ServiceLoader.load(Extension.class).stream().map(p -> p.type().getName()).toList();
        assertEquals(List.of(VarExtension.class.getName()), found);
        assertTrue(kernel.getMagicsRegistry().getLineMagicNames().contains("var"));
        assertTrue(kernel.getMagicsRegistry().getCellMagicNames().contains("var"));
    }

    @Test
    void cellsAreJavaAndTheLastValueIsAnObject() {
        assertEquals(42, kernel.evalRaw("int x = 6;\nx * 7"));
        assertNull(kernel.evalRaw("int y = x + 1;\nSystem.out.print(\"\");"));
        Object img = kernel.evalRaw("new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB)"); // startup imports
        assertEquals(3, assertInstanceOf(BufferedImage.class, img).getWidth());
        assertTrue(kernel.getClassLoader() != ClassLoader.getSystemClassLoader(), "JShell's loader, not the system loader");
        assertSame(VarSession.class, assertInstanceOf(Class.class, kernel.evalRaw("VarSession.class")));
    }

    @Test
    void magicPicturesArePngOnly() throws Exception {
        org.dflib.jjava.jupyter.kernel.display.DisplayData d = VarExtension.png(new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB));
        String json = new com.google.gson.Gson().toJson(d);
        assertTrue(json.contains("image/png"), json);
        assertFalse(json.contains("text/plain"), json);
        String base64 = (String) d.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.parse("image/png"));
        BufferedImage back = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(base64)));
        assertEquals(4, back.getWidth());
    }

    @Test
    void magicErrorsAreOneLine() {
        VarMagicError e = assertThrows(VarMagicError.class, () -> kernel.evalRaw("%var generate n=1"));
        assertEquals("%var generate: missing class= (usage: " + VarSyntax.USAGE.get("generate") + ")", e.getMessage());
        assertEquals(List.of(e.getMessage()), kernel.formatError(e).stream().map(s -> s.replaceAll("\u001B\\[[0-9;]*m", "")).toList());
        VarMagicError c = assertThrows(VarMagicError.class, () -> kernel.evalRaw("%%var train\nsteps 3"));
        assertTrue(c.getMessage().startsWith("%%var train: line 1 of the cell, 'steps 3', is not key=value"), c.getMessage());
    }

    @Test
    void compileErrorsAndExceptionsAreShort() {
        NextscaleKernel.CellError c = assertThrows(NextscaleKernel.CellError.class, () -> kernel.evalRaw("int z = \"text\";"));
        assertTrue(c.getMessage().startsWith("compilation failed: line 1: incompatible types"), c.getMessage());
        NextscaleKernel.CellError t = assertThrows(NextscaleKernel.CellError.class, () -> kernel.evalRaw("Integer.parseInt(\"x\")"));
        assertTrue(t.getMessage().startsWith("NumberFormatException: For input string: \"x\""), t.getMessage());
        assertTrue(t.lines.get(0).startsWith("java.lang.NumberFormatException"), t.lines.toString());
        NextscaleKernel.CellError i = assertThrows(NextscaleKernel.CellError.class, () -> kernel.evalRaw("int w = (3 + 4;"));
        assertTrue(i.getMessage().contains("')' expected") || i.getMessage().startsWith("incomplete input"), i.getMessage());
    }
}
