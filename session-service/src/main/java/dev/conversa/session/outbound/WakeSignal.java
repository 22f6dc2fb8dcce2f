package dev.conversa.session.outbound;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Wake-ups of one consumer, coalesced: while one is pending, more add nothing, so the signal queue holds at most one.
 * {@link #wake()} may be called from any thread, also while another thread's wake-up is being delivered; such a
 * concurrent emission is retried, never dropped — a dropped one would leave the pending flag set, and every later
 * wake-up would be swallowed with it. The consumer calls {@link #taken()} when it starts on a wake-up, so one that
 * arrives while it works is delivered after.
 */
final class WakeSignal {

    /** How long an emission waits for another thread's to finish; that takes microseconds. */
    private static final long MAX_SPIN_NANOS = Duration.ofSeconds(1).toNanos();

    private final AtomicBoolean pending = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Sinks.Many<Boolean> sink = Sinks.many().unicast().onBackpressureBuffer();

    /** The wake-ups; one subscriber. */
    Flux<Boolean> asFlux() {
        return sink.asFlux();
    }

    /** Asks for a look; nothing if one is pending already or the signal is closed. */
    void wake() {
        if (closed.get() || !pending.compareAndSet(false, true)) {
            return;
        }
        if (emit(() -> sink.tryEmitNext(Boolean.TRUE)).isFailure()) {
            // closed meanwhile, or still contended after a second: the next wake-up tries again
            pending.set(false);
        }
    }

    /** The consumer started on the pending wake-up: a later one is delivered after it. */
    void taken() {
        pending.set(false);
    }

    /** No more wake-ups; the flux completes. */
    void close() {
        if (closed.compareAndSet(false, true)) {
            emit(sink::tryEmitComplete);
        }
    }

    /** Emits, retrying while another thread is emitting (a sink refuses concurrent emissions). */
    private static Sinks.EmitResult emit(Supplier<Sinks.EmitResult> emission) {
        long deadline = System.nanoTime() + MAX_SPIN_NANOS;
        Sinks.EmitResult result = emission.get();
        while (result == Sinks.EmitResult.FAIL_NON_SERIALIZED && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            result = emission.get();
        }
        return result;
    }
}
