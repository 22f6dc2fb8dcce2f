package dev.conversa.session.sessions;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.conversa.events.session.SessionStatus;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place that changes a session's status, for the transports, the reconnect policy, the health checks and
 * the API alike.
 *
 * <p>{@link #transition} reads the session, checks the move against {@link SessionTransitions}, writes it only if the
 * session's {@code version} is still the one read (optimistic locking; on a conflict it reads again, re-checks and
 * retries, so concurrent callers never overwrite each other), and then publishes the matching
 * {@code wa.session.events} event. The bookkeeping that goes with a status is done here too:
 * <ul>
 * <li>{@code connecting} from {@code disconnected} is a reconnect: {@code connection_attempts + 1};</li>
 * <li>{@code connected}: {@code connection_attempts = 0}, {@code last_connected_at = now};</li>
 * <li>{@code disconnected}, {@code logged_out}, {@code banned}, {@code failed}: the last disconnect reason code,
 * reason and time.</li>
 * </ul>
 * The status change is committed before its event is published; if publishing fails the returned {@code Mono}
 * fails, the change stays, and the event is not re-sent by this class.
 *
 * <p>The counters ({@link #recordActivity}, {@link #recordChats}) and device facts ({@link #recordDevice},
 * {@link #recordHealthCheck}) are plain atomic updates that never touch the status, so they need no version check.
 */
@Component
public class SessionLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SessionLifecycle.class);
    private static final int MAX_CONFLICT_RETRIES = 32;

    private final SessionRepository sessions;
    private final SessionEvents events;
    private final JsonMapper json = JsonMapper.builder().build();

    SessionLifecycle(SessionRepository sessions, SessionEvents events) {
        this.sessions = sessions;
        this.events = events;
    }

    /**
     * Moves the session to {@code to} and emits the event of that status.
     *
     * @param reasonCode the disconnect reason code (401, 403, 408, 428, 440, 500, 503, 515 …), if there is one
     * @param reason     a readable reason, if there is one; never personal data
     * @return the session as the transition left it; errors with {@link SessionNotFoundException} or
     *         {@link IllegalSessionTransitionException} (nothing written, nothing emitted)
     */
    public Mono<Session> transition(UUID sessionId, SessionStatus to, @Nullable Integer reasonCode,
            @Nullable String reason) {
        return Mono.defer(() -> sessions.findById(sessionId)
                        .switchIfEmpty(Mono.error(() -> new SessionNotFoundException(sessionId)))
                        .flatMap(current -> write(current, to, reasonCode, reason)))
                .retryWhen(Retry.backoff(MAX_CONFLICT_RETRIES, Duration.ofMillis(2))
                        .maxBackoff(Duration.ofMillis(100))
                        .jitter(0.75)
                        .filter(VersionConflict.class::isInstance)
                        .onRetryExhaustedThrow((spec, signal) -> new IllegalStateException(
                                "Session " + sessionId + " kept changing under " + signal.totalRetries()
                                        + " attempts to move it to " + to.value(), signal.failure())))
                .flatMap(moved -> events.transitioned(moved.session(), moved.previous(), reasonCode, reason)
                        .thenReturn(moved.session()));
    }

    /** Moves the session to {@code to} without a reason. */
    public Mono<Session> transition(UUID sessionId, SessionStatus to) {
        return transition(sessionId, to, null, null);
    }

    /**
     * Adds {@code sent} and {@code received} messages to the session's counters and marks it active now. Empty
     * completion either way; a session that no longer exists is ignored.
     */
    public Mono<Void> recordActivity(UUID sessionId, long sent, long received) {
        if (sent < 0 || received < 0) {
            return Mono.error(new IllegalArgumentException("message counts must not be negative"));
        }
        return sessions.addActivity(sessionId, sent, received, Instant.now()).then();
    }

    /** Stores the WhatsApp number the device is linked to (E.164) and what it reported about itself. */
    public Mono<Void> recordDevice(UUID sessionId, @Nullable String phoneNumber,
            @Nullable Map<String, ?> deviceMetadata) {
        return Mono.fromCallable(() -> deviceMetadata == null ? "" : json.writeValueAsString(deviceMetadata))
                .flatMap(metadata -> sessions.updateDevice(sessionId, phoneNumber,
                        metadata.isEmpty() ? null : metadata))
                .then();
    }

    /** Stores how many chats the device has. */
    public Mono<Void> recordChats(UUID sessionId, long chats) {
        return sessions.updateChats(sessionId, chats).then();
    }

    /** Stores when the session's health was last checked. */
    public Mono<Void> recordHealthCheck(UUID sessionId, Instant checkedAt) {
        return sessions.updateHealthCheck(sessionId, checkedAt).then();
    }

    private Mono<Moved> write(Session current, SessionStatus to, @Nullable Integer reasonCode,
            @Nullable String reason) {
        SessionStatus from = current.status();
        if (!SessionTransitions.allowed(from, to)) {
            return Mono.error(new IllegalSessionTransitionException(current.id(), from, to));
        }
        Instant now = Instant.now();
        int attempts = switch (to) {
            case CONNECTED -> 0;
            case CONNECTING -> from == SessionStatus.DISCONNECTED ? current.connectionAttempts() + 1
                    : current.connectionAttempts();
            default -> current.connectionAttempts();
        };
        boolean ended = SessionTransitions.endsConnection(to);
        return sessions.applyTransition(current, to, attempts,
                        ended ? reasonCode : current.lastDisconnectReasonCode(),
                        ended ? reason : current.lastDisconnectReason(),
                        ended ? now : current.lastDisconnectAt(),
                        to == SessionStatus.CONNECTED ? now : current.lastConnectedAt())
                .map(updated -> new Moved(from, updated))
                .switchIfEmpty(Mono.defer(() -> {
                    log.debug("Session {} changed while moving {} → {}; reading it again", current.id(),
                            from.value(), to.value());
                    return Mono.error(new VersionConflict());
                }));
    }

    private record Moved(SessionStatus previous, Session session) {
    }

    /** The session's version moved between read and write; internal, always retried. */
    private static final class VersionConflict extends RuntimeException {

        VersionConflict() {
            super("version conflict", null, false, false);
        }
    }
}
