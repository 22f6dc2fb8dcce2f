package dev.conversa.session.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.conversa.events.session.SessionStatus;
import dev.conversa.events.session.SessionTransport;
import dev.conversa.session.authstate.AuthStateStore;
import dev.conversa.session.cloudapi.CloudApiConnector;
import dev.conversa.session.linked.LinkedCredentials;
import dev.conversa.session.linked.LinkedDeviceClient;
import dev.conversa.session.linked.LinkedDeviceSession;
import dev.conversa.session.outbound.OutboundDispatchers;
import dev.conversa.session.outbound.SendObserver;
import dev.conversa.session.ownership.CommandPartitionOwnership;
import dev.conversa.session.ownership.CommandPartitions;
import dev.conversa.session.ownership.OwnershipListener;
import dev.conversa.session.ownership.SessionLeases;
import dev.conversa.session.sessions.CloudApiCredentialsStore;
import dev.conversa.session.sessions.IllegalSessionTransitionException;
import dev.conversa.session.sessions.Session;
import dev.conversa.session.sessions.SessionActivity;
import dev.conversa.session.sessions.SessionLifecycle;
import dev.conversa.session.sessions.SessionNotFoundException;
import dev.conversa.session.sessions.SessionRepository;
import dev.conversa.session.transport.LiveConnection;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the sessions this instance owns: the ones whose {@code wa.commands} partition the consumer group assigned
 * to it.
 *
 * <ul>
 * <li>Partitions assigned → every restorable session of them is opened from its stored auth state, a bounded
 * number at a time, each only after its Redis lease is ours (a previous owner that died keeps it until it
 * expires, so two instances never hold the same device: no 440 replacement).</li>
 * <li>Partitions revoked → their sessions are closed and their leases released before Kafka hands the partitions
 * on (the ownership listener waits for this).</li>
 * <li>A lease lost (renewal failed: this instance was fenced off) → the session is closed here at once.</li>
 * <li>Commands from {@code wa.commands}: restart, logout, pairing code.</li>
 * <li>Zombies: a session whose sends or pings go unanswered {@code zombieThreshold} times in a row is marked
 * disconnected (with the reason) and restarted.</li>
 * </ul>
 * Status changes go through {@link SessionLifecycle}, which emits their events.
 */
@Component
public class SessionRuntime implements OwnershipListener, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SessionRuntime.class);
    private static final int OPEN_QUEUE_CAPACITY = 16_384;

    private final Map<UUID, LiveSession> live = new ConcurrentHashMap<>();
    private final Set<UUID> opening = ConcurrentHashMap.newKeySet();
    private final SessionRepository sessions;
    private final SessionLifecycle lifecycle;
    private final AuthStateStore authState;
    private final CloudApiCredentialsStore cloudCredentials;
    private final LinkedDeviceClient linkedClient;
    private final CloudApiConnector cloudConnector;
    private final LinkedSessionEvents linkedEvents;
    private final SessionLeases leases;
    private final CommandPartitionOwnership ownership;
    private final OutboundDispatchers dispatchers;
    private final SessionActivity activity;
    private final SessionSignals signals;
    private final RuntimeProperties properties;
    private final ZombieDetector zombies;
    private final JsonMapper json;
    private volatile @Nullable Disposable lostLeases;
    private volatile @Nullable Disposable opener;
    private final Sinks.Many<UUID> openRequests = Sinks.many().unicast()
            .onBackpressureBuffer(Queues.<UUID>get(OPEN_QUEUE_CAPACITY).get());

    SessionRuntime(SessionRepository sessions, SessionLifecycle lifecycle, AuthStateStore authState,
            CloudApiCredentialsStore cloudCredentials, LinkedDeviceClient linkedClient,
            CloudApiConnector cloudConnector, LinkedSessionEvents linkedEvents, SessionLeases leases,
            CommandPartitionOwnership ownership, OutboundDispatchers dispatchers, SessionActivity activity,
            SessionSignals signals, RuntimeProperties properties, JsonMapper json) {
        this.sessions = sessions;
        this.lifecycle = lifecycle;
        this.authState = authState;
        this.cloudCredentials = cloudCredentials;
        this.linkedClient = linkedClient;
        this.cloudConnector = cloudConnector;
        this.linkedEvents = linkedEvents;
        this.leases = leases;
        this.ownership = ownership;
        this.dispatchers = dispatchers;
        this.activity = activity;
        this.signals = signals;
        this.properties = properties;
        this.zombies = new ZombieDetector(properties.zombieThreshold());
        this.json = json;
        linkedEvents.attach(this);
    }

    // ---------------------------------------------------------------- ownership

    @Override
    public Mono<Void> assigned(Set<Integer> partitions, int partitionCount) {
        long started = System.nanoTime();
        return sessions.restorable()
                .filter(session -> partitions.contains(CommandPartitions.partitionOf(session.id(), partitionCount)))
                .flatMap(session -> open(session, partitionCount)
                        .then(Mono.fromSupplier(() -> live.containsKey(session.id())))
                        .onErrorResume(error -> {
                            log.warn("Session {} could not be restored: {}", session.id(), error.toString());
                            return Mono.just(false);
                        }), properties.restoreConcurrency())
                .filter(Boolean::booleanValue)
                .count()
                .doOnNext(opened -> log.info("Partitions {} assigned: {} session(s) restored in {} ms", partitions,
                        opened, Duration.ofNanos(System.nanoTime() - started).toMillis()))
                .then();
    }

    @Override
    public Mono<Void> revoked(Set<Integer> partitions) {
        List<LiveSession> leaving = live.values().stream()
                .filter(session -> partitions.contains(session.partition()))
                .toList();
        return Flux.fromIterable(leaving)
                .flatMap(session -> close(session.sessionId()), properties.restoreConcurrency())
                .then()
                .doOnSuccess(ignored -> log.info("Partitions {} revoked: {} session(s) closed", partitions,
                        leaving.size()));
    }

    // ---------------------------------------------------------------- commands

    /**
     * Opens the session if it is closed, or closes and reopens it. Opening is queued (bounded) and done
     * {@code restoreConcurrency} at a time, so a burst of new sessions, or one whose lease a dead owner still holds,
     * does not hold up the commands behind it on the partition; a full queue is an error, and the command is
     * retried.
     */
    public Mono<Void> restart(UUID sessionId) {
        LiveSession current = live.get(sessionId);
        if (current != null && current.connection() instanceof LinkedDeviceSession linked) {
            log.info("Restarting linked session {}", sessionId);
            return linked.restart();
        }
        Mono<Void> closing = current == null ? Mono.empty() : close(sessionId);
        return closing.then(Mono.defer(() -> {
            Sinks.EmitResult queued = openRequests.tryEmitNext(sessionId);
            return queued.isSuccess() ? Mono.<Void>empty()
                    : Mono.error(new IllegalStateException("cannot queue the opening of session " + sessionId
                            + ": " + queued));
        }));
    }

    /** Logs the device out (a linked session unlinks itself) and wipes the auth state. */
    public Mono<Void> logout(UUID sessionId) {
        LiveSession current = live.get(sessionId);
        if (current != null && current.connection() instanceof LinkedDeviceSession linked) {
            // the 401 that answers the logout ends the session through LinkedSessionEvents: logged_out + wipe
            return linked.logout();
        }
        Mono<Void> closing = current == null ? Mono.empty() : close(sessionId);
        return closing
                .then(authState.wipe(sessionId))
                .then(move(sessionId, SessionStatus.LOGGED_OUT, 401, "logged out on request"));
    }

    /** Asks WhatsApp for a pairing code for {@code phoneNumber}; opens the linked session first if needed. */
    public Mono<Void> requestPairingCode(UUID sessionId, String phoneNumber) {
        Mono<LinkedDeviceSession> linked = Mono.defer(() -> {
            LiveSession current = live.get(sessionId);
            if (current != null) {
                return current.connection() instanceof LinkedDeviceSession device ? Mono.just(device)
                        : Mono.error(new IllegalStateException("session " + sessionId + " is not linked"));
            }
            return sessions.findById(sessionId)
                    .flatMap(session -> open(session, ownership.partitionCount()))
                    .then(Mono.fromSupplier(() -> live.get(sessionId)))
                    .map(LiveSession::connection)
                    .ofType(LinkedDeviceSession.class);
        });
        return linked
                .flatMap(device -> device.requestPairingCode(phoneNumber)
                        .retryWhen(reactor.util.retry.Retry.fixedDelay(properties.pairingCodeRetries(),
                                properties.pairingCodeRetryDelay())))
                .doOnSuccess(ignored -> log.info("Pairing code requested for session {}", sessionId));
    }

    // ---------------------------------------------------------------- what the transports and jobs tell

    /** The sessions live on this instance. */
    public Collection<LiveSession> liveSessions() {
        return List.copyOf(live.values());
    }

    public @Nullable LiveSession liveSession(UUID sessionId) {
        return live.get(sessionId);
    }

    /** A health ping of the session answered. */
    public void pingAnswered(UUID sessionId) {
        zombies.answered(sessionId);
    }

    /** A health ping of the session failed; may declare it a zombie and restart it. */
    public Mono<Void> pingFailed(UUID sessionId, Throwable error) {
        return unanswered(sessionId, "health ping failed: " + error.getClass().getSimpleName());
    }

    /** The linked session opened: sending may start, and sends from before the reconnect are reconciled. */
    void opened(UUID sessionId) {
        zombies.answered(sessionId);
        dispatchers.wake(sessionId);
        dispatchers.reconcile(sessionId, Instant.now())
                .subscribe(null, error -> log.warn("Reconciling the sends of session {} failed: {}", sessionId,
                        error.toString()));
    }

    /** The linked session stopped for good (a permanent reason, or waiting for a new QR): it leaves this instance. */
    Mono<Void> stopped(UUID sessionId) {
        LiveSession session = live.get(sessionId);
        return forget(sessionId)
                .then(leases.release(sessionId))
                // the socket is gone already; closing deregisters the session from the client, off this callback
                .then(Mono.fromRunnable(() -> {
                    if (session != null) {
                        session.connection().close().subscribe(null, error -> log.debug(
                                "Closing stopped session {}: {}", sessionId, error.toString()));
                    }
                }));
    }

    // ---------------------------------------------------------------- opening and closing

    private Mono<Void> open(Session session, int partitionCount) {
        UUID id = session.id();
        return Mono.defer(() -> {
            // one opening per session at a time: a restart and a pairing code may ask at once
            if (live.containsKey(id) || !opening.add(id)) {
                return Mono.empty();
            }
            return acquireAndOpen(session, partitionCount).doFinally(signal -> opening.remove(id));
        });
    }

    private Mono<Void> acquireAndOpen(Session session, int partitionCount) {
        UUID id = session.id();
        return leases.awaitAcquire(id, leases.ttl().plusSeconds(5))
                .flatMap(acquired -> {
                    if (!acquired) {
                        log.warn("Session {} not opened: another instance still holds its lease", id);
                        return Mono.empty();
                    }
                    leases.keep(id);
                    int partition = CommandPartitions.partitionOf(id, partitionCount);
                    return session.transport() == SessionTransport.CLOUD_API ? openCloudApi(session, partition)
                            : openLinked(session, partition);
                });
    }

    private Mono<Void> openLinked(Session session, int partition) {
        UUID id = session.id();
        return authState.load(id)
                .map(bytes -> json.readValue(new String(bytes, StandardCharsets.UTF_8), LinkedCredentials.class))
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .map(credentials -> {
                    LinkedDeviceSession device = linkedClient.open(id, credentials.orElse(null), linkedEvents);
                    register(new LiveSession(id, session.tenantId(), SessionTransport.LINKED, partition, device));
                    return device;
                })
                .then();
    }

    private Mono<Void> openCloudApi(Session session, int partition) {
        UUID id = session.id();
        String phoneNumberId = session.cloudPhoneNumberId();
        if (phoneNumberId == null) {
            return Mono.error(new IllegalStateException("cloud-api session " + id + " has no phone-number id"));
        }
        return cloudCredentials.load(id)
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(credentials -> {
                    if (credentials.isEmpty()) {
                        return leases.release(id)
                                .then(move(id, SessionStatus.FAILED, null, "no stored Cloud API credentials"));
                    }
                    register(new LiveSession(id, session.tenantId(), SessionTransport.CLOUD_API, partition,
                            cloudConnector.connect(id, phoneNumberId, credentials.get().accessToken())));
                    return moveToConnected(session);
                });
    }

    /** A Cloud API number needs no socket: once its credentials are loaded it is connected. */
    private Mono<Void> moveToConnected(Session session) {
        if (session.status() == SessionStatus.CONNECTED) {
            return Mono.empty();
        }
        return move(session.id(), SessionStatus.CONNECTING, null, null)
                .then(move(session.id(), SessionStatus.CONNECTED, null, null));
    }

    private void register(LiveSession session) {
        LiveSession previous = live.put(session.sessionId(), session);
        if (previous != null && previous.connection() != session.connection()) {
            previous.connection().close().subscribe();
        }
        dispatchers.start(session.sessionId(), session.connection(), observer(session.sessionId()));
    }

    private SendObserver observer(UUID sessionId) {
        return new SendObserver() {
            @Override
            public void answered() {
                zombies.answered(sessionId);
            }

            @Override
            public void unanswered(Throwable error) {
                SessionRuntime.this.unanswered(sessionId, "send unanswered: " + error.getClass().getSimpleName())
                        .subscribe(null, failure -> log.warn("Zombie handling of session {} failed: {}", sessionId,
                                failure.toString()));
            }
        };
    }

    private Mono<Void> unanswered(UUID sessionId, String what) {
        if (!zombies.failed(sessionId)) {
            return Mono.empty();
        }
        LiveSession session = live.get(sessionId);
        if (session == null) {
            return Mono.empty();
        }
        String reason = "zombie: " + properties.zombieThreshold() + " failures in a row (last: " + what + ")";
        log.warn("Session {} looks connected but does not answer; restarting it ({})", sessionId, reason);
        return signals.health(session.tenantId(), sessionId, SessionStatus.CONNECTED, false, null, Instant.now())
                .then(move(sessionId, SessionStatus.DISCONNECTED, 408, reason))
                .then(restart(sessionId));
    }

    /** Closes the session here without changing its status: it is handed to another instance. */
    Mono<Void> close(UUID sessionId) {
        LiveSession session = live.get(sessionId);
        if (session == null) {
            return Mono.empty();
        }
        return forget(sessionId)
                .then(session.connection().close())
                .then(leases.release(sessionId))
                .onErrorResume(error -> {
                    log.warn("Closing session {} failed: {}", sessionId, error.toString());
                    return Mono.empty();
                });
    }

    private Mono<Void> forget(UUID sessionId) {
        return Mono.fromRunnable(() -> {
            dispatchers.stop(sessionId);
            leases.forget(sessionId);
            zombies.forget(sessionId);
            activity.forget(sessionId);
            live.remove(sessionId);
        });
    }

    /** Moves the session's status; a move the lifecycle refuses (already there) or a deleted session is no error. */
    Mono<Void> move(UUID sessionId, SessionStatus to, @Nullable Integer code, @Nullable String reason) {
        return lifecycle.transition(sessionId, to, code, reason)
                .then()
                .onErrorResume(IllegalSessionTransitionException.class, refused -> Mono.empty())
                .onErrorResume(SessionNotFoundException.class, gone -> Mono.empty());
    }

    // ---------------------------------------------------------------- lifecycle of the instance

    @Override
    public void start() {
        opener = openRequests.asFlux()
                .flatMap(sessionId -> sessions.findById(sessionId)
                        .flatMap(session -> open(session, ownership.partitionCount()))
                        .onErrorResume(error -> {
                            log.warn("Session {} could not be opened: {}", sessionId, error.toString());
                            return Mono.empty();
                        }), properties.restoreConcurrency())
                .subscribe();
        lostLeases = leases.lost()
                .concatMap(sessionId -> {
                    log.warn("Lease of session {} lost: another instance owns it now; closing it here", sessionId);
                    LiveSession session = live.get(sessionId);
                    return session == null ? Mono.empty()
                            : forget(sessionId).then(session.connection().close())
                                    .onErrorResume(error -> Mono.empty());
                })
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable subscription = lostLeases;
        if (subscription != null) {
            subscription.dispose();
        }
        Disposable opening = opener;
        if (opening != null) {
            opening.dispose();
        }
        // a graceful stop hands the sessions over like a revocation: close them and free their leases now
        Flux.fromIterable(List.copyOf(live.keySet()))
                .flatMap(this::close, properties.restoreConcurrency())
                .then()
                .block(Duration.ofSeconds(20));
    }

    @Override
    public boolean isRunning() {
        return lostLeases != null && !lostLeases.isDisposed();
    }

    /** Stop after the Kafka bindings (their revocation already closed most sessions) and before the web server. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }
}
