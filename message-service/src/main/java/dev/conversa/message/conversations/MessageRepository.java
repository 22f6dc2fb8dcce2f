package dev.conversa.message.conversations;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.conversa.web.paging.KeysetCursor;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** SQL of {@code message.messages} for the API: a conversation's messages, newest first, and one message by id. */
@Repository
public class MessageRepository {

    static final String COLUMNS = """
            m.id, m.conversation_id, m.session_id, m.direction, m.type, m.status, m.text, m.media::text AS media,
            m.content::text AS content, m.wa_message_id, m.reply_to_wa_message_id, m.sent_by, m.error_code,
            m.error_title, m.wa_timestamp, m.created_at, m.updated_at""";

    private final DatabaseClient db;
    private final JsonMapper json = JsonMapper.builder().build();

    MessageRepository(DatabaseClient db) {
        this.db = db;
    }

    /** The message of the tenant with this id; empty when there is none. */
    public Mono<MessageView> findById(String tenantId, UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM message.messages m WHERE m.id = :id AND m.tenant_id = :tenantId")
                .bind("id", id)
                .bind("tenantId", tenantId)
                .map(this::message)
                .one();
    }

    /** One page (plus one row) of a conversation's messages, newest first, then by id. */
    Flux<MessageView> page(String tenantId, UUID conversationId, @Nullable KeysetCursor after, int limit) {
        String keyset = after == null ? ""
                : " AND (m.created_at < :afterAt OR (m.created_at = :afterAt AND m.id < :afterId))";
        DatabaseClient.GenericExecuteSpec spec = db.sql("SELECT " + COLUMNS + " FROM message.messages m"
                        + " WHERE m.conversation_id = :conversationId AND m.tenant_id = :tenantId" + keyset
                        + " ORDER BY m.created_at DESC, m.id DESC LIMIT :limit")
                .bind("conversationId", conversationId)
                .bind("tenantId", tenantId)
                .bind("limit", limit);
        if (after != null) {
            spec = spec.bind("afterAt", after.at().atOffset(ZoneOffset.UTC)).bind("afterId", after.id());
        }
        return spec.map(this::message).all();
    }

    MessageView message(Readable row) {
        Instant createdAt = row.get("created_at", OffsetDateTime.class).toInstant();
        OffsetDateTime waTimestamp = row.get("wa_timestamp", OffsetDateTime.class);
        return new MessageView(
                row.get("id", UUID.class),
                row.get("conversation_id", UUID.class),
                row.get("session_id", UUID.class),
                row.get("direction", String.class),
                row.get("type", String.class),
                row.get("status", String.class),
                row.get("text", String.class),
                tree(row.get("media", String.class)),
                tree(row.get("content", String.class)),
                row.get("wa_message_id", String.class),
                row.get("reply_to_wa_message_id", String.class),
                row.get("sent_by", String.class),
                row.get("error_code", Integer.class),
                row.get("error_title", String.class),
                waTimestamp == null ? createdAt : waTimestamp.toInstant(),
                createdAt,
                row.get("updated_at", OffsetDateTime.class).toInstant());
    }

    private @Nullable JsonNode tree(@Nullable String value) {
        return value == null ? null : json.readTree(value);
    }
}
