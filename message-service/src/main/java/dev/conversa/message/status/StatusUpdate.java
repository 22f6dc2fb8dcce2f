package dev.conversa.message.status;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.conversa.events.message.DeliveryStatus;

/**
 * One status to apply to one stored outbound message, and WhatsApp's id for it when known.
 *
 * @param errorCode  for {@code failed}: the transport's code
 * @param errorTitle for {@code failed}: the transport's text
 * @param retryable  for {@code failed}: whether sending again may succeed
 */
public record StatusUpdate(
        UUID messageId,
        DeliveryStatus status,
        @Nullable String waMessageId,
        @Nullable Integer errorCode,
        @Nullable String errorTitle,
        @Nullable Boolean retryable) {

    public StatusUpdate {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(status, "status");
        if (status == DeliveryStatus.PENDING) {
            throw new IllegalArgumentException("pending is where a message starts, not a status update");
        }
    }

    /**
     * Several statuses of one message, in the order they arrived, as the one update that has the same effect on any
     * stored status as applying them one after another with {@link DeliveryStatus#canMoveTo}: the first terminal
     * one ({@code read} or {@code failed}) if any, since nothing moves after it, else the furthest one. WhatsApp's
     * id is the first one given.
     */
    public static StatusUpdate fold(List<StatusUpdate> arrived) {
        StatusUpdate result = null;
        String waMessageId = null;
        for (StatusUpdate update : arrived) {
            if (waMessageId == null) {
                waMessageId = update.waMessageId();
            }
            if (result == null || (!result.status().isTerminal() && update.status().isTerminal())
                    || (!result.status().isTerminal() && update.status().ordinal() > result.status().ordinal())) {
                result = update;
            }
        }
        if (result == null) {
            throw new IllegalArgumentException("No status to fold");
        }
        return new StatusUpdate(result.messageId(), result.status(), waMessageId, result.errorCode(),
                result.errorTitle(), result.retryable());
    }
}
