package dev.conversa.session.outbound;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.conversa.events.session.SessionTransport;
import dev.conversa.session.media.OutboundMediaUploads;
import dev.conversa.session.ownership.SessionLeases;
import dev.conversa.session.pacing.DuplicateContentGuard;
import dev.conversa.session.pacing.SendPacer;
import dev.conversa.session.sessions.SessionActivity;
import dev.conversa.session.transport.LiveConnection;
import dev.conversa.web.periodic.PeriodicRound;
import reactor.core.publisher.Mono;

/**
 * The outbound dispatchers of the sessions live on this instance, and the sweep that keeps the queue moving.
 *
 * <p>The runtime {@link #start starts} a dispatcher when a session's connection opens and {@link #stop stops} it
 * when the connection goes. {@link #wake} is called when a send is queued. Every {@code sweepInterval} the sweep
 * wakes local sessions with due sends (retries whose back-off ended, wake-ups lost to a rebalance) and fails sends
 * that expired in the queue or never got an answer; every instance sweeps, and the conditional updates make sure
 * each row is failed and announced once.
 */
@Component
public class OutboundDispatchers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboundDispatchers.class);
    private static final Duration PURGE_EVERY = Duration.ofHours(1);

    /** What a dispatcher needs, in one place. */
    record Collaborators(OutboundQueue queue, OutboundStatuses statuses, SendPacer pacer,
            DuplicateContentGuard duplicates, SessionLeases leases, SessionActivity activity,
            OutboundMediaUploads media, OutboundProperties properties, MeterRegistry meters) {

        /**
         * {@code conversa.session.send{transport,outcome}}: from handing a message to the transport to its answer
         * (accepted, rejected) or to giving up waiting for one (unanswered).
         */
        void sent(SessionTransport transport, String outcome, long startNanos) {
            Timer.builder("conversa.session.send").tag("transport", transport.name().toLowerCase())
                    .tag("outcome", outcome).description("Time from a send to WhatsApp's answer")
                    .register(meters).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        }
    }

    private final Collaborators with;
    private final Map<UUID, OutboundDispatcher> dispatchers = new ConcurrentHashMap<>();
    private final PeriodicRound sweeping;
    private volatile Instant lastPurge = Instant.EPOCH;

    OutboundDispatchers(OutboundQueue queue, OutboundStatuses statuses, SendPacer pacer,
            DuplicateContentGuard duplicates, SessionLeases leases, SessionActivity activity,
            OutboundMediaUploads media, OutboundProperties properties, MeterRegistry meters) {
        this.with = new Collaborators(queue, statuses, pacer, duplicates, leases, activity, media, properties,
                meters);
        this.sweeping = new PeriodicRound(OutboundDispatchers.class, "Outbound sweep", properties.sweepInterval(),
                this::sweep);
    }

    /** Starts sending the session's queue through {@code connection} (replacing an earlier dispatcher). */
    public void start(UUID sessionId, LiveConnection connection, SendObserver observer) {
        OutboundDispatcher started = new OutboundDispatcher(sessionId, connection, with, observer);
        OutboundDispatcher previous = dispatchers.put(sessionId, started);
        if (previous != null) {
            previous.stop();
        }
        started.wake();
    }

    /** Stops sending for the session; a send in flight finishes, nothing new starts. */
    public void stop(UUID sessionId) {
        OutboundDispatcher stopped = dispatchers.remove(sessionId);
        if (stopped != null) {
            stopped.stop();
        }
    }

    /** Something was queued (or the connection reopened): the session's dispatcher looks at its queue. */
    public void wake(UUID sessionId) {
        OutboundDispatcher dispatcher = dispatchers.get(sessionId);
        if (dispatcher != null) {
            dispatcher.wake();
        }
    }

    /** How many sessions send from this instance. */
    public int size() {
        return dispatchers.size();
    }

    /**
     * After a linked session reopened at {@code openedAt}: sends handed to the transport before that which no ack
     * nor redelivered receipt has settled within {@code reconcileDelay} never reached WhatsApp (a send WhatsApp
     * took always produces a receipt, which the protocol redelivers until acknowledged), so they are queued again
     * and sent with the same clientRef.
     */
    public Mono<Long> reconcile(UUID sessionId, Instant openedAt) {
        return Mono.delay(with.properties().reconcileDelay())
                .thenMany(with.queue().unanswered(sessionId, openedAt))
                .concatMap(unanswered -> with.queue().requeue(unanswered.id(), Instant.now(), null, null))
                .count()
                .doOnNext(requeued -> {
                    if (requeued > 0) {
                        log.info("Session {} reopened: {} unanswered send(s) queued again", sessionId, requeued);
                        wake(sessionId);
                    }
                });
    }

    /** One sweep: wake due sessions, fail expired and unanswered sends, purge old rows now and then. */
    Mono<Void> sweep() {
        Instant now = Instant.now();
        Mono<Void> wakeDue = with.queue().sessionsWithDueSends()
                .filter(dispatchers::containsKey)
                .doOnNext(this::wake)
                .then();
        Mono<Void> expire = with.queue().expireQueued(now.minus(with.properties().maxQueueAge()))
                .concatMap(expired -> with.statuses().failed(expired, null, String.valueOf(expired.errorTitle()),
                        true))
                .thenMany(with.queue().expireUnanswered(now.minus(with.properties().unknownOutcomeTimeout())))
                .concatMap(unknown -> with.statuses().failed(unknown, null, String.valueOf(unknown.errorTitle()),
                        false))
                .then();
        Mono<Void> purge = Mono.defer(() -> {
            if (lastPurge.plus(PURGE_EVERY).isAfter(now)) {
                return Mono.empty();
            }
            lastPurge = now;
            return with.queue().purge(now.minus(with.properties().retention()))
                    .doOnNext(purged -> {
                        if (purged > 0) {
                            log.info("Purged {} outbound row(s) older than {}", purged,
                                    with.properties().retention());
                        }
                    })
                    .then();
        });
        return wakeDue.then(expire).then(purge);
    }

    @Override
    public void start() {
        sweeping.start();
    }

    @Override
    public void stop() {
        sweeping.stop();
        dispatchers.keySet().forEach(this::stop);
    }

    @Override
    public boolean isRunning() {
        return sweeping.isRunning();
    }
}
