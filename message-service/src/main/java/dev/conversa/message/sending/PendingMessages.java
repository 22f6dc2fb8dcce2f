package dev.conversa.message.sending;

import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.conversa.events.message.Location;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * SQL of the outbound rows the send API writes: a {@code pending} message, unique per
 * {@code (tenant_id, idempotency_key)} — the same unique key the {@code wa.commands} consumer inserts with, so
 * it finds this row and adds none.
 */
@Repository
class PendingMessages {

    /** The stored message of an idempotency key, and whether it was stored for the same request. */
    record Existing(UUID messageId, boolean sameRequest) {
    }

    private static final int PREVIEW_LENGTH = 120;

    private final DatabaseClient db;
    private final JsonMapper json;

    PendingMessages(DatabaseClient db, dev.conversa.events.cloudevents.CloudEventCodec codec) {
        this.db = db;
        this.json = codec.json();
    }

    /** Inserts the pending message; empty when a message with this idempotency key exists already. */
    Mono<UUID> insert(UUID id, String tenantId, UUID conversationId, UUID sessionId, ValidSend send,
            @Nullable String replyToWaMessageId, String idempotencyKey, String sentBy) {
        return db.sql("""
                        INSERT INTO message.messages (id, tenant_id, conversation_id, session_id, direction, type, text,
                                                      media, content, status, idempotency_key, correlation_id,
                                                      reply_to_wa_message_id, sent_by)
                        VALUES (:id, :tenantId, :conversationId, :sessionId, 'outbound', :type, :text,
                                CAST(:media AS jsonb), CAST(:content AS jsonb), 'pending', :key, :correlationId,
                                :replyTo, :sentBy)
                        ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
                        RETURNING id""")
                .bind("id", id)
                .bind("tenantId", tenantId)
                .bind("conversationId", conversationId)
                .bind("sessionId", sessionId)
                .bind("type", send.type().value())
                .bind("text", text(send.text()))
                .bind("media", text(mediaJson(send)))
                .bind("content", text(contentJson(send)))
                .bind("key", idempotencyKey)
                .bind("correlationId", conversationId.toString())
                .bind("replyTo", text(replyToWaMessageId))
                .bind("sentBy", sentBy)
                .map(row -> row.get("id", UUID.class))
                .one();
    }

    /**
     * The message stored under {@code idempotencyKey}, and whether it is the same request: same conversation, type,
     * text, media, content and quoted message. Empty when there is none.
     */
    Mono<Existing> findByKey(String tenantId, String idempotencyKey, UUID conversationId, ValidSend send,
            @Nullable String replyToWaMessageId) {
        return db.sql("""
                        SELECT id, (direction = 'outbound'
                                    AND conversation_id = :conversationId
                                    AND type = :type
                                    AND text IS NOT DISTINCT FROM :text
                                    AND media IS NOT DISTINCT FROM CAST(:media AS jsonb)
                                    AND content IS NOT DISTINCT FROM CAST(:content AS jsonb)
                                    AND reply_to_wa_message_id IS NOT DISTINCT FROM :replyTo) AS same_request
                          FROM message.messages
                         WHERE tenant_id = :tenantId AND idempotency_key = :key""")
                .bind("conversationId", conversationId)
                .bind("type", send.type().value())
                .bind("text", text(send.text()))
                .bind("media", text(mediaJson(send)))
                .bind("content", text(contentJson(send)))
                .bind("replyTo", text(replyToWaMessageId))
                .bind("tenantId", tenantId)
                .bind("key", idempotencyKey)
                .map(row -> new Existing(row.get("id", UUID.class),
                        Boolean.TRUE.equals(row.get("same_request", Boolean.class))))
                .one();
    }

    /** The WhatsApp id of a message of the conversation; empty when it is not there or has none yet. */
    Mono<String> waMessageId(String tenantId, UUID conversationId, UUID messageId) {
        return db.sql("""
                        SELECT wa_message_id FROM message.messages
                         WHERE id = :id AND tenant_id = :tenantId AND conversation_id = :conversationId
                           AND wa_message_id IS NOT NULL""")
                .bind("id", messageId)
                .bind("tenantId", tenantId)
                .bind("conversationId", conversationId)
                .map(row -> row.get("wa_message_id", String.class))
                .one();
    }

    /** The sent message becomes the conversation's last one: time, preview and a new version. */
    Mono<Long> touchConversation(UUID conversationId, String preview) {
        return db.sql("""
                        UPDATE message.conversations
                           SET last_message_at = GREATEST(COALESCE(last_message_at, now()), now()),
                               last_message_preview = :preview,
                               version = version + 1,
                               updated_at = now()
                         WHERE id = :id""")
                .bind("preview", preview.length() <= PREVIEW_LENGTH ? preview : preview.substring(0, PREVIEW_LENGTH))
                .bind("id", conversationId)
                .fetch().rowsUpdated();
    }

    private @Nullable String mediaJson(ValidSend send) {
        return send.media() == null ? null : json.writeValueAsString(send.media());
    }

    private @Nullable String contentJson(ValidSend send) {
        Location location = send.location();
        return location == null ? null : json.writeValueAsString(Map.of("location", location));
    }

    private static Object text(@Nullable String value) {
        return Parameters.in(R2dbcType.VARCHAR, value);
    }
}
