package com.vibecraft.pipeline.flow;

import java.util.function.DoubleConsumer;
import java.util.function.IntConsumer;

/** Maps a detector's 0..1 progress onto a slice of the song's 0–100 progress, writing only on 5-point steps. */
final class ProgressReporter implements DoubleConsumer {

    private final IntConsumer sink;
    private final int from;
    private final int to;
    private int last = -1;

    ProgressReporter(IntConsumer sink, int from, int to) {
        this.sink = sink;
        this.from = from;
        this.to = to;
    }

    @Override
    public synchronized void accept(double fraction) {
        double f = Math.max(0, Math.min(1, fraction));
        int p = (int) Math.round(from + f * (to - from));
        if (p / 5 != last / 5) {
            last = p;
            sink.accept(p);
        }
    }
}
