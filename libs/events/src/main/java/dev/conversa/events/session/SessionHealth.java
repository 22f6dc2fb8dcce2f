package dev.conversa.events.session;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Payload of {@code conversa.session.health.v1}: the result of a periodic health check of a session.
 *
 * @param tenantId      the tenant owning the session
 * @param sessionId     the session; also the record key
 * @param status        the session's status at the check
 * @param healthy       whether the check passed
 * @param latencyMillis the round trip of the check, when it got an answer
 * @param checkedAt     when the check ran
 */
public record SessionHealth(
        String tenantId,
        UUID sessionId,
        SessionStatus status,
        boolean healthy,
        @Nullable Long latencyMillis,
        Instant checkedAt) {

    public SessionHealth {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(checkedAt, "checkedAt");
    }
}
