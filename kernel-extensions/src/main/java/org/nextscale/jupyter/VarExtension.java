package org.nextscale.jupyter;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.magic.CellMagic;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;

/**
 * The %var magics as a JJava {@link Extension}: found through META-INF/services by any kernel built on
 * jjava-jupyter (the JJava kernel after {@code %maven} or {@code %jars}, and the nextscale kernel, which
 * preloads it). This class only adapts the kernel's output calls to {@link Notebook}.
 */
public final class VarExtension implements Extension {

    @Override
    public void install(BaseKernel kernel) {
        LineMagic<Void, BaseKernel> line = (k, args) -> {
            withOwnClassLoader(() -> VarMagics.line(args, notebook(k)));
            return null;
        };
        CellMagic<Void, BaseKernel> cell = (k, args, body) -> {
            withOwnClassLoader(() -> VarMagics.cell(args, body, notebook(k)));
            return null;
        };
        kernel.getMagicsRegistry().registerLineMagic("var", line);
        kernel.getMagicsRegistry().registerCellMagic("var", cell);
    }

    /** Output of one magic call on a jjava-jupyter kernel: stdout lines, image/png displays, a display id for progress. */
    static Notebook notebook(BaseKernel k) {
        return new Notebook() {
            @Override
            public void print(String text) {
                k.getIO().out.println(text);
                k.getIO().out.flush();
            }

            @Override
            public void show(BufferedImage image) {
                k.getIO().out.flush();
                k.display(png(image));
            }

            @Override
            public Picture picture() {
                String id = "nextscale-" + UUID.randomUUID();
                boolean[] shown = {false};
                return new Picture() {
                    @Override
                    public void update(BufferedImage image) {
                        DisplayData d = png(image);
                        d.setDisplayId(id);
                        k.getIO().out.flush();
                        if (shown[0]) k.getIO().display.updateDisplay(id, d);
                        else k.display(d);
                        shown[0] = true;
                    }

                    @Override
                    public void done() {}
                };
            }

            @Override
            public Progress progress(String firstLine) {
                String id = "nextscale-" + UUID.randomUUID();
                DisplayData first = new DisplayData(firstLine);
                first.setDisplayId(id);
                k.getIO().out.flush();
                k.display(first);
                return text -> k.getIO().display.updateDisplay(id, new DisplayData(text));
            }
        };
    }

    /** An image as image/png only (no text/plain "BufferedImage@..." beside it). */
    static DisplayData png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory stream: does not happen
        }
        DisplayData d = new DisplayData();
        d.putData("image/png", Base64.getEncoder().encodeToString(bytes.toByteArray()));
        return d;
    }

    /**
     * Runs with the thread's context class loader set to the one that loaded the magics, so that DJL
     * finds its engine and native library from the jars that came with them (JJava adds %maven jars to
     * its own loader, not to the thread's).
     */
    private static void withOwnClassLoader(Runnable r) {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(VarExtension.class.getClassLoader());
        try {
            r.run();
        } finally {
            t.setContextClassLoader(before);
        }
    }
}
