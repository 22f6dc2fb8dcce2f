package dev.conversa.events.command;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.conversa.events.message.Location;
import dev.conversa.events.message.MessageType;

/**
 * Payload of {@code conversa.message.send-requested.v1} on {@code wa.commands}: send one message from a session.
 * The session's owner sends it at most once per {@code idempotencyKey} and reports the outcome on
 * {@code wa.message.status} with the same {@code idempotencyKey} and {@code correlationId}. Which optional part is
 * filled depends on {@code type}: {@code text}, {@code media} or {@code template}.
 *
 * @param tenantId          the tenant owning the session
 * @param sessionId         the session (WhatsApp number) to send from; also the record key
 * @param messageId         our id of the outbound message, chosen by the requester
 * @param idempotencyKey    the same key for every retry of the same send
 * @param correlationId     the requester's own reference (conversation, campaign recipient …), echoed in statuses
 * @param to                the recipient, E.164
 * @param type              the kind of message
 * @param text              the text of a text message
 * @param media             the file of a media message
 * @param template          the template of a template message
 * @param location          the place of a location message
 * @param replyToWaMessageId the WhatsApp id of the message to quote, or of the message a reaction applies to
 * @param priority          {@code conversational} (the default when absent) or {@code bulk} (campaigns)
 * @param requestedBy       who asked: a user id, or a service such as {@code campaign-service}
 * @param requestedAt       when it was asked
 */
public record SendMessageRequested(
        String tenantId,
        UUID sessionId,
        UUID messageId,
        String idempotencyKey,
        String correlationId,
        String to,
        MessageType type,
        @Nullable String text,
        @Nullable MediaRef media,
        @Nullable TemplateRef template,
        @Nullable Location location,
        @Nullable String replyToWaMessageId,
        @Nullable SendPriority priority,
        String requestedBy,
        Instant requestedAt) {

    public SendMessageRequested {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(requestedBy, "requestedBy");
        Objects.requireNonNull(requestedAt, "requestedAt");
    }

    /** The priority, {@link SendPriority#CONVERSATIONAL} when the requester gave none. */
    public SendPriority effectivePriority() {
        return priority == null ? SendPriority.CONVERSATIONAL : priority;
    }
}
