package dev.conversa.session.sessions;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.conversa.web.periodic.PeriodicRound;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Counts the messages each session sends and receives in memory and adds them to the session's row every few
 * seconds, so a burst of thousands of inbound messages costs a handful of updates, not one per message. Counts
 * pending at shutdown are flushed; counts lost to a crash are at most one interval's worth (they are statistics,
 * the messages themselves are on Kafka).
 */
@Component
public class SessionActivity implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SessionActivity.class);

    private final SessionLifecycle lifecycle;
    private final Map<UUID, Counts> pending = new ConcurrentHashMap<>();
    private final PeriodicRound flushing;

    SessionActivity(SessionLifecycle lifecycle,
            @Value("${conversa.session.activity.flush-interval:5s}") Duration interval) {
        this.lifecycle = lifecycle;
        this.flushing = new PeriodicRound(SessionActivity.class, "Flushing session activity", interval, this::flush);
    }

    /** One message sent by the session. */
    public Mono<Void> sent(UUID sessionId) {
        counts(sessionId).sent.incrementAndGet();
        return Mono.empty();
    }

    /** One message received by the session. */
    public Mono<Void> received(UUID sessionId) {
        counts(sessionId).received.incrementAndGet();
        return Mono.empty();
    }

    /** Writes every pending count now. */
    public Mono<Void> flush() {
        return Flux.fromIterable(pending.entrySet())
                .flatMap(entry -> {
                    long sent = entry.getValue().sent.getAndSet(0);
                    long received = entry.getValue().received.getAndSet(0);
                    if (sent == 0 && received == 0) {
                        return Mono.empty();
                    }
                    return lifecycle.recordActivity(entry.getKey(), sent, received)
                            .onErrorResume(error -> {
                                log.warn("Activity of session {} not recorded: {}", entry.getKey(),
                                        error.toString());
                                return Mono.empty();
                            });
                }, 8)
                .then();
    }

    /** Forgets a session that is no longer served here (its pending counts are written by the next flush first). */
    public void forget(UUID sessionId) {
        Counts counts = pending.get(sessionId);
        if (counts != null && counts.sent.get() == 0 && counts.received.get() == 0) {
            pending.remove(sessionId, counts);
        }
    }

    private Counts counts(UUID sessionId) {
        return pending.computeIfAbsent(sessionId, id -> new Counts());
    }

    @Override
    public void start() {
        flushing.start();
    }

    @Override
    public void stop() {
        if (flushing.isRunning()) {
            flushing.stop();
            flush().block(Duration.ofSeconds(5));
        }
    }

    @Override
    public boolean isRunning() {
        return flushing.isRunning();
    }

    private static final class Counts {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong received = new AtomicLong();
    }
}
