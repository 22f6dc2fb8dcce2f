package dev.conversa.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per event of a step: its slowest receipt and how many receipts took longer than the target. With every client
 * getting every event, a p99 over N clients × E events is the slowest ~E/100 events' worth of receipts, so this
 * tells a tail made by a few slow events (a pause) from one that every event's fan-out has.
 */
final class SseEventSpread {

    private final long targetMicros;
    private final AtomicLongArray sentAt;
    private final AtomicLongArray slowest;
    private final AtomicLongArray overTarget;
    private final AtomicInteger sent = new AtomicInteger();

    SseEventSpread(int events, long targetMicros) {
        this.targetMicros = targetMicros;
        this.sentAt = new AtomicLongArray(events);
        this.slowest = new AtomicLongArray(events);
        this.overTarget = new AtomicLongArray(events);
    }

    /** The producer stamped event number {@link #sent} with {@code micros}. */
    void sent(long micros) {
        int index = sent.get();
        if (index < sentAt.length()) {
            sentAt.set(index, micros);
            sent.set(index + 1);
        }
    }

    void received(long sentMicros, long latencyMicros) {
        // the newest events are the most frequent: search from the end
        for (int i = sent.get() - 1; i >= 0; i--) {
            if (sentAt.get(i) == sentMicros) {
                slowest.accumulateAndGet(i, latencyMicros, Math::max);
                if (latencyMicros > targetMicros) {
                    overTarget.incrementAndGet(i);
                }
                return;
            }
        }
    }

    List<Double> slowestMillis() {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < sent.get(); i++) {
            millis.add(Report.round(slowest.get(i) / 1000.0, 1));
        }
        return millis;
    }

    List<Long> overTarget() {
        List<Long> counts = new ArrayList<>();
        for (int i = 0; i < sent.get(); i++) {
            counts.add(overTarget.get(i));
        }
        return counts;
    }
}
