package dev.conversa.events.session;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Payload of {@code conversa.session.{created,pending,qr-ready,connecting,connected,disconnected,logged-out,banned,
 * failed,inactive,deleted}.v1}: a session moved to a new lifecycle status. For {@code deleted}, {@code status} is the
 * last status the session had.
 *
 * @param tenantId       the tenant owning the session
 * @param sessionId      the session; also the record key
 * @param status         the new status
 * @param previousStatus the status before; absent for {@code created}
 * @param transport      how the session talks to WhatsApp
 * @param phoneNumber    the session's WhatsApp number, E.164, once known (after linking)
 * @param reasonCode     the disconnect reason code, e.g. 401 logged out, 403 banned, 408 timed out, 515 restart
 * @param reason         a readable reason
 * @param attempts       reconnect attempts made so far (0 when connected)
 * @param occurredAt     when the status changed
 */
public record SessionStateChanged(
        String tenantId,
        UUID sessionId,
        SessionStatus status,
        @Nullable SessionStatus previousStatus,
        SessionTransport transport,
        @Nullable String phoneNumber,
        @Nullable Integer reasonCode,
        @Nullable String reason,
        int attempts,
        Instant occurredAt) {

    public SessionStateChanged {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
