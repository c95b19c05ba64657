package org.nextscale.core.train;

import java.util.ArrayList;
import java.util.List;
import org.nextscale.core.api.CancelToken;
import org.nextscale.core.api.TrainEvent;
import org.nextscale.core.api.TrainListener;

/** Records a run's events; optionally cancels after a given step. */
final class Recorder implements TrainListener {
    final List<TrainEvent> events = new ArrayList<>();
    final List<String> messages = new ArrayList<>();
    final CancelToken cancel = new CancelToken();
    private final long cancelAfter;

    Recorder() {
        this(-1);
    }

    Recorder(long cancelAfter) {
        this.cancelAfter = cancelAfter;
    }

    @Override
    public void onStep(TrainEvent e) {
        events.add(e);
        if (e.step() == cancelAfter) cancel.cancel();
    }

    @Override
    public void onMessage(String m) {
        messages.add(m);
        if (Boolean.getBoolean("nextscale.verboseTests")) System.out.println(m);
    }

    double meanLoss(int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += events.get(i).loss();
        return s / (to - from);
    }

    double meanAcc(int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += events.get(i).accuracy();
        return s / (to - from);
    }
}
