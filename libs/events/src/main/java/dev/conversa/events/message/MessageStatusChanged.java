package dev.conversa.events.message;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Payload of {@code conversa.message.{accepted,sent,delivered,read,failed}.v1}: the delivery status of an
 * outbound message changed. Carries the {@code idempotencyKey} and {@code correlationId} of the send command, so
 * the requester (message-service, campaign-service) finds its own record; receipts may arrive out of order, apply
 * them with {@link DeliveryStatus#canMoveTo}.
 *
 * @param tenantId       the tenant owning the session
 * @param sessionId      the session that sent the message
 * @param messageId      our id of the message, from the send command; absent for messages sent outside Conversa
 * @param waMessageId    WhatsApp's id of the message; absent until WhatsApp accepted it (e.g. failed before)
 * @param idempotencyKey the send command's idempotency key
 * @param correlationId  the send command's correlation id
 * @param recipient      the recipient, E.164
 * @param status         the new status
 * @param errorCode      the transport's error code, for {@code failed}
 * @param errorTitle     the transport's error text, for {@code failed}
 * @param retryable      whether sending again may succeed, for {@code failed}
 * @param occurredAt     when the status changed (the receipt's time)
 */
public record MessageStatusChanged(
        String tenantId,
        UUID sessionId,
        @Nullable UUID messageId,
        @Nullable String waMessageId,
        @Nullable String idempotencyKey,
        @Nullable String correlationId,
        String recipient,
        DeliveryStatus status,
        @Nullable Integer errorCode,
        @Nullable String errorTitle,
        @Nullable Boolean retryable,
        Instant occurredAt) {

    public MessageStatusChanged {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
