package dev.conversa.message.inbox;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;

import dev.conversa.events.conversation.MessageDirection;
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.message.MessageType;

/**
 * A {@code message.messages} row with what {@code conversa.message.stored.v1} needs from its conversation. Read it
 * with {@link #SELECT} (then a {@code WHERE} on {@code m.*}) and {@link #from}.
 *
 * @param timestamp             WhatsApp's time of the message, or when it was stored when there is none yet
 * @param media                 the {@code media} jsonb as text
 * @param openedItsConversation whether the transaction that stored this message also opened its conversation (read
 *                              back: both rows' {@code created_at} are that transaction's {@code now()})
 */
public record MessageRow(
        UUID id,
        String tenantId,
        UUID conversationId,
        UUID sessionId,
        @Nullable String waMessageId,
        MessageDirection direction,
        MessageType type,
        DeliveryStatus status,
        String contactPhone,
        @Nullable String text,
        @Nullable String media,
        @Nullable String correlationId,
        Instant timestamp,
        Instant createdAt,
        Instant updatedAt,
        boolean openedItsConversation) {

    public static final String SELECT = """
            SELECT m.id, m.tenant_id, m.conversation_id, m.session_id, m.wa_message_id, m.direction, m.type,
                   m.status, c.contact_phone, m.text, m.media::text AS media, m.correlation_id,
                   COALESCE(m.wa_timestamp, m.created_at) AS message_time, m.created_at, m.updated_at,
                   (c.created_at = m.created_at) AS opened_its_conversation
              FROM message.messages m
              JOIN message.conversations c ON c.id = m.conversation_id
            """;

    public static MessageRow from(Readable row) {
        return new MessageRow(
                row.get("id", UUID.class),
                row.get("tenant_id", String.class),
                row.get("conversation_id", UUID.class),
                row.get("session_id", UUID.class),
                row.get("wa_message_id", String.class),
                MessageDirection.fromValue(row.get("direction", String.class)),
                MessageType.fromValue(row.get("type", String.class)),
                DeliveryStatus.fromValue(row.get("status", String.class)),
                row.get("contact_phone", String.class),
                row.get("text", String.class),
                row.get("media", String.class),
                row.get("correlation_id", String.class),
                row.get("message_time", OffsetDateTime.class).toInstant(),
                row.get("created_at", OffsetDateTime.class).toInstant(),
                row.get("updated_at", OffsetDateTime.class).toInstant(),
                Boolean.TRUE.equals(row.get("opened_its_conversation", Boolean.class)));
    }
}
