package dev.conversa.web.periodic;

import java.time.Duration;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A round of background work repeated every interval on this instance (a sweep, a purge, a dispatch tick), one round
 * at a time: a round slower than the interval is followed at once by the next one (one tick waits; the others that
 * come meanwhile are dropped, never queued), and a round that fails is logged and the next one runs as planned.
 *
 * <p>A {@code SmartLifecycle} bean owns it and hands its {@code start}, {@code stop} and {@code isRunning} to it, so
 * the bean keeps its own phase and what it does around them (a last flush on stop, say).
 */
public final class PeriodicRound {

    private final Logger log;
    private final String name;
    private final Duration initialDelay;
    private final Duration interval;
    private final Supplier<? extends Publisher<?>> round;
    private volatile @Nullable Disposable running;

    /**
     * @param owner        the class whose logger reports failed rounds
     * @param name         what a round does, for the log ("Outbound sweep")
     * @param initialDelay before the first round
     * @param interval     between the starts of rounds (longer when a round takes longer)
     * @param round        one round, subscribed anew each time
     */
    public PeriodicRound(Class<?> owner, String name, Duration initialDelay, Duration interval,
            Supplier<? extends Publisher<?>> round) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException(name + ": the interval must be positive, not " + interval);
        }
        this.log = LoggerFactory.getLogger(owner);
        this.name = name;
        this.initialDelay = initialDelay;
        this.interval = interval;
        this.round = round;
    }

    /** The first round after one interval. */
    public PeriodicRound(Class<?> owner, String name, Duration interval, Supplier<? extends Publisher<?>> round) {
        this(owner, name, interval, interval, round);
    }

    /** Starts the rounds; idempotent. */
    public synchronized void start() {
        if (running != null) {
            return;
        }
        running = Flux.interval(initialDelay, interval, Schedulers.parallel())
                .onBackpressureDrop()
                .concatMap(tick -> Mono.defer(() -> Flux.from(round.get()).then()).onErrorResume(error -> {
                    log.warn("{} failed; the next round runs in {}: {}", name, interval, error.toString());
                    return Mono.empty();
                }), 1)
                .subscribe();
    }

    /** Stops the rounds, cancelling the one in progress; idempotent. */
    public synchronized void stop() {
        Disposable current = running;
        if (current != null) {
            current.dispose();
            running = null;
        }
    }

    public boolean isRunning() {
        return running != null;
    }
}
