package dev.conversa.session.outbound;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.conversa.events.command.SendMessageRequested;
import dev.conversa.events.command.SendPriority;
import dev.conversa.events.message.DeliveryStatus;

/**
 * One row of {@code session.outbound_messages}: a send command and what became of it.
 *
 * @param id             our id of the send; the transport's clientRef, so receipts name the row
 * @param command        the command as it arrived
 * @param deliveryStatus the furthest receipt reported for it, if any
 */
public record OutboundMessage(
        UUID id,
        String tenantId,
        UUID sessionId,
        SendMessageRequested command,
        SendPriority priority,
        OutboundState state,
        @Nullable DeliveryStatus deliveryStatus,
        int attempts,
        Instant notBefore,
        @Nullable String waMessageId,
        @Nullable Integer errorCode,
        @Nullable String errorTitle,
        Instant createdAt,
        Instant updatedAt) {

    public UUID messageId() {
        return command.messageId();
    }

    public String idempotencyKey() {
        return command.idempotencyKey();
    }

    public String correlationId() {
        return command.correlationId();
    }

    public String recipient() {
        return command.to();
    }
}
