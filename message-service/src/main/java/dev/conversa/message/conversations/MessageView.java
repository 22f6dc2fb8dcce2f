package dev.conversa.message.conversations;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;

/**
 * A message as the API shows it, in both directions.
 *
 * @param id                 our id of the message
 * @param conversationId     its conversation
 * @param sessionId          the session that received or sends it
 * @param direction          {@code inbound} (from the contact) or {@code outbound}
 * @param type               {@code text}, {@code image}, {@code location} …
 * @param status             delivery status: {@code pending → accepted → sent → delivered → read}, or
 *                           {@code failed}; inbound messages are {@code delivered}
 * @param text               the text, if any
 * @param media              the media file, if any, as stored
 * @param content            other content: location, reaction, button reply, template
 * @param waMessageId        WhatsApp's id, once known
 * @param replyToWaMessageId the WhatsApp id of the message it quotes
 * @param sentBy             who asked for an outbound message ({@code user:<id>}, {@code campaign-service} …)
 * @param errorCode          why a send failed
 * @param errorTitle         the failure's description
 * @param timestamp          when WhatsApp received or sent it, else when we stored it
 * @param createdAt          when we stored it
 * @param updatedAt          when its status last changed
 */
public record MessageView(
        UUID id,
        UUID conversationId,
        UUID sessionId,
        String direction,
        String type,
        String status,
        @Nullable String text,
        @Nullable JsonNode media,
        @Nullable JsonNode content,
        @Nullable String waMessageId,
        @Nullable String replyToWaMessageId,
        @Nullable String sentBy,
        @Nullable Integer errorCode,
        @Nullable String errorTitle,
        Instant timestamp,
        Instant createdAt,
        Instant updatedAt) {
}
