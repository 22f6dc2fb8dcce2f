package dev.conversa.session.linked;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * One timer for the {@code delivery.ack}s of every socket: a socket with ids to acknowledge registers once, and the
 * next tick writes them. A timer per socket or per frame would cost thousands of scheduled tasks at 5,000 sessions;
 * this costs one tick per {@code ack-flush-interval}, whatever the number of sessions.
 */
final class AckFlusher implements Disposable {

    private static final Logger log = LoggerFactory.getLogger(AckFlusher.class);

    private final Queue<DeviceSocket> due = new ConcurrentLinkedQueue<>();
    private final Duration interval;
    private final Disposable.Swap ticker = Disposables.swap();
    private final AtomicBoolean started = new AtomicBoolean();

    AckFlusher(Duration interval) {
        this.interval = interval;
    }

    /** {@code socket} has ids to acknowledge; the caller makes sure it registers once until it is flushed. */
    void schedule(DeviceSocket socket) {
        due.add(socket);
        // the tick starts with the first acknowledgement, so an instance without linked sessions has no timer
        if (!started.get() && started.compareAndSet(false, true)) {
            ticker.update(Flux.interval(interval, interval, Schedulers.parallel()).subscribe(tick -> flush()));
        }
    }

    void flush() {
        // only the sockets due now: one that re-registers (buffer full) waits for the next tick
        for (int n = due.size(); n > 0; n--) {
            DeviceSocket socket = due.poll();
            if (socket == null) {
                return;
            }
            try {
                socket.flushAcks();
            }
            catch (RuntimeException e) {
                log.warn("Delivery acks of a linked session not written", e);
            }
        }
    }

    @Override
    public void dispose() {
        ticker.dispose();
    }

    @Override
    public boolean isDisposed() {
        return ticker.isDisposed();
    }
}
