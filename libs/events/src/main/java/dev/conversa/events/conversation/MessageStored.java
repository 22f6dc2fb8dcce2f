package dev.conversa.events.conversation;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.message.MediaAttachment;
import dev.conversa.events.message.MessageType;

/**
 * Payload of {@code conversa.message.stored.v1}: a message entered the inbox, received from the contact or sent
 * to it, or an outbound message's status changed there ({@code status} follows {@link DeliveryStatus#canMoveTo}).
 *
 * @param tenantId       the tenant
 * @param conversationId the conversation it belongs to; also the record key
 * @param messageId      our id of the message
 * @param sessionId      the session that received or sent it
 * @param waMessageId    WhatsApp's id of the message, once known
 * @param direction      inbound (from the contact) or outbound (to the contact)
 * @param type           the kind of message
 * @param status         delivery status of an outbound message; {@code delivered} for inbound ones
 * @param contactPhone   the contact, E.164
 * @param text           the text, if any
 * @param media          the attached media file, if any
 * @param correlationId  the correlation id of the send command of an outbound message
 * @param timestamp      when the message was sent or received
 * @param storedAt       when the inbox stored (or last updated) it
 */
public record MessageStored(
        String tenantId,
        UUID conversationId,
        UUID messageId,
        UUID sessionId,
        @Nullable String waMessageId,
        MessageDirection direction,
        MessageType type,
        DeliveryStatus status,
        String contactPhone,
        @Nullable String text,
        @Nullable MediaAttachment media,
        @Nullable String correlationId,
        Instant timestamp,
        Instant storedAt) {

    public MessageStored {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(contactPhone, "contactPhone");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(storedAt, "storedAt");
    }
}
