package dev.conversa.session.outbound;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.conversa.events.message.DeliveryStatus;

/**
 * A delivery status of a message the session sent, from either transport (a linked device's {@code receipt}, a
 * Cloud API webhook status).
 *
 * @param clientRef   the send's reference as the transport echoed it (our outbound row id), when it did
 * @param recipient   the recipient, E.164, when the transport says it (Cloud API does, the linked receipt does not)
 */
public record DeliveryReport(
        UUID sessionId,
        String tenantId,
        @Nullable String clientRef,
        String waMessageId,
        @Nullable String recipient,
        DeliveryStatus status,
        Instant occurredAt,
        @Nullable Integer errorCode,
        @Nullable String errorTitle) {

    public DeliveryReport {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(waMessageId, "waMessageId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
