package dev.conversa.events.message;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Payload of {@code conversa.message.received.v1}: a message a contact sent to one of our sessions.
 * Which optional part is filled depends on {@code type}: {@code text} for text, {@code media} for image, audio,
 * video, document and sticker, {@code location}, {@code reaction}, {@code buttonReply} for button and interactive
 * replies. Consumers deduplicate on {@code (sessionId, waMessageId)}.
 *
 * @param tenantId           the tenant owning the session
 * @param sessionId          the session (WhatsApp number) that received the message
 * @param waMessageId        WhatsApp's id of the message, unique per session
 * @param from               the sender, E.164
 * @param contactName        the sender's profile name, when WhatsApp gives it
 * @param type               the kind of message
 * @param text               the text, or the body of a text-bearing message
 * @param media              the attached media file
 * @param location           the shared location
 * @param reaction           the reaction and the message it applies to
 * @param buttonReply        the chosen button or list row
 * @param contextWaMessageId the WhatsApp id of the message this one replies to (quoted)
 * @param timestamp          when the sender sent it (WhatsApp's timestamp)
 * @param receivedAt         when session-service received it
 */
public record MessageReceived(
        String tenantId,
        UUID sessionId,
        String waMessageId,
        String from,
        @Nullable String contactName,
        MessageType type,
        @Nullable String text,
        @Nullable MediaAttachment media,
        @Nullable Location location,
        @Nullable Reaction reaction,
        @Nullable ButtonReply buttonReply,
        @Nullable String contextWaMessageId,
        Instant timestamp,
        Instant receivedAt) {

    public MessageReceived {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(waMessageId, "waMessageId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
