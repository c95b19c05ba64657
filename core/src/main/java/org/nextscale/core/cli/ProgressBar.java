package org.nextscale.core.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.nextscale.core.api.TrainEvent;
import org.nextscale.core.api.TrainListener;
import org.nextscale.core.api.TrainPreview;
import org.nextscale.core.api.ValidationEvent;

/**
 * The training progress bar on stderr: step/total, loss, accuracy, images/s and time left, redrawn in place
 * at most a few times a second on a terminal (one line per 5% otherwise); messages go on their own lines.
 */
final class ProgressBar implements TrainListener {
    private static final int WIDTH = 24;
    private final PrintStream out;
    private final boolean terminal;
    private long lastDraw;
    private long lastPercentLine = -1;
    private boolean barShown;

    ProgressBar(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public synchronized void onStep(TrainEvent e) {
        long now = System.nanoTime();
        boolean last = e.step() == e.totalSteps();
        if (terminal) {
            if (!last && now - lastDraw < 250_000_000L) return;
            lastDraw = now;
            out.print("\r" + line(e) + "\033[K");
            barShown = true;
            if (last) { out.println(); barShown = false; }
        } else {
            long pct = e.step() * 20 / Math.max(1, e.totalSteps());
            if (pct == lastPercentLine && !last) return;
            lastPercentLine = pct;
            out.println(line(e));
        }
        out.flush();
    }

    @Override
    public synchronized void onMessage(String message) {
        if (barShown) { out.print("\r\033[K"); barShown = false; }
        out.println(message);
        out.flush();
    }

    /** Each validation on a line of its own: the validation loss, the best so far, and the training loss since the last one. */
    @Override
    public synchronized void onValidation(ValidationEvent e) {
        onMessage(e.describe());
    }

    private boolean previewNamed;

    /** The first preview's files are named once (they are rewritten in place every preview_every steps). */
    @Override
    public synchronized void onPreview(TrainPreview p) {
        if (previewNamed) return;
        previewNamed = true;
        onMessage("loss plot " + p.lossPlotFile() + (p.pictureFile() != null ? ", preview " + p.pictureFile() : "") + " (rewritten as the run goes)");
    }

    static String line(TrainEvent e) {
        int filled = (int) (WIDTH * e.step() / Math.max(1, e.totalSteps()));
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < WIDTH; i++) b.append(i < filled ? '=' : i == filled ? '>' : ' ');
        b.append("] ").append(e.step()).append('/').append(e.totalSteps());
        b.append(String.format(Locale.ROOT, " loss %.4f", e.loss()));
        if (!Double.isNaN(e.accuracy())) b.append(String.format(Locale.ROOT, " acc %.3f", e.accuracy()));
        if (Double.isFinite(e.imagesPerSecond())) b.append(String.format(Locale.ROOT, " %.0f img/s", e.imagesPerSecond()));
        if (Double.isFinite(e.etaSeconds())) b.append(" ETA ").append(duration(e.etaSeconds()));
        return b.toString();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
