package dev.conversa.message.conversations;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.conversa.events.conversation.ConversationStatus;
import dev.conversa.security.ConversaPrincipal;
import dev.conversa.web.paging.KeysetCursor;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * SQL of {@code message.conversations} for the API. Every query is scoped to the caller's tenant and to what the
 * caller may see ({@link Visibility}); a conversation outside either is simply not there.
 */
@Repository
public class ConversationRepository {

    static final String COLUMNS = """
            c.id, c.tenant_id, c.session_id, c.contact_phone, c.contact_name, c.status, c.assigned_agent_id,
            c.bot_enabled, c.unread_count, c.last_message_at, c.last_message_preview, c.version, c.created_at,
            c.updated_at""";

    private final DatabaseClient db;

    ConversationRepository(DatabaseClient db) {
        this.db = db;
    }

    /** The conversation if it is of the caller's tenant and the caller may see it; empty otherwise. */
    public Mono<Conversation> findVisible(ConversaPrincipal caller, UUID id) {
        Map<String, Object> binds = new LinkedHashMap<>();
        binds.put("id", id);
        binds.put("tenantId", caller.tenantId());
        String sql = "SELECT " + COLUMNS + " FROM message.conversations c WHERE c.id = :id AND c.tenant_id = :tenantId"
                + " AND " + visibility(caller, binds);
        return bindAll(db.sql(sql), binds).map(ConversationRepository::conversation).one();
    }

    /** One page (plus one row, to tell whether more follow), newest activity first, then by id. */
    Flux<Conversation> list(ConversaPrincipal caller, ConversationFilter filter, @Nullable KeysetCursor after, int limit) {
        Map<String, Object> binds = new LinkedHashMap<>();
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS)
                .append(" FROM message.conversations c WHERE c.tenant_id = :tenantId AND ")
                .append(visibility(caller, binds));
        binds.put("tenantId", caller.tenantId());
        if (!filter.statuses().isEmpty()) {
            sql.append(" AND c.status IN (:statuses)");
            binds.put("statuses", filter.statuses().stream().map(ConversationStatus::value).toList());
        }
        if (filter.unassigned()) {
            sql.append(" AND c.assigned_agent_id IS NULL");
        }
        else if (filter.assignee() != null) {
            sql.append(" AND c.assigned_agent_id = :assignee");
            binds.put("assignee", filter.assignee());
        }
        if (filter.sessionId() != null) {
            sql.append(" AND c.session_id = :sessionId");
            binds.put("sessionId", filter.sessionId());
        }
        if (filter.unread() != null) {
            sql.append(filter.unread() ? " AND c.unread_count > 0" : " AND c.unread_count = 0");
        }
        if (filter.text() != null) {
            sql.append(" AND (c.contact_name ILIKE :text ESCAPE '\\' OR c.contact_phone ILIKE :text ESCAPE '\\'"
                    + " OR c.last_message_preview ILIKE :text ESCAPE '\\')");
            binds.put("text", "%" + likeEscaped(filter.text()) + "%");
        }
        if (after != null) {
            binds.put("afterId", after.id());
            if (after.at() == null) {
                sql.append(" AND c.last_message_at IS NULL AND c.id < :afterId");
            }
            else {
                sql.append(" AND (c.last_message_at < :afterAt OR (c.last_message_at = :afterAt AND c.id < :afterId)"
                        + " OR c.last_message_at IS NULL)");
                binds.put("afterAt", after.at().atOffset(ZoneOffset.UTC));
            }
        }
        sql.append(" ORDER BY c.last_message_at DESC NULLS LAST, c.id DESC LIMIT :limit");
        binds.put("limit", limit);
        return bindAll(db.sql(sql.toString()), binds).map(ConversationRepository::conversation).all();
    }

    /**
     * Sets status and bot flag if the row still has {@code expectedVersion}, bumping the version; empty when another
     * change came first.
     */
    Mono<Conversation> update(String tenantId, UUID id, long expectedVersion, ConversationStatus status,
            boolean botEnabled) {
        return db.sql("""
                        UPDATE message.conversations c
                           SET status = :status, bot_enabled = :botEnabled, version = c.version + 1,
                               updated_at = now()
                         WHERE c.id = :id AND c.tenant_id = :tenantId AND c.version = :version
                        RETURNING\s""" + COLUMNS)
                .bind("status", status.value())
                .bind("botEnabled", botEnabled)
                .bind("id", id)
                .bind("tenantId", tenantId)
                .bind("version", expectedVersion)
                .map(ConversationRepository::conversation)
                .one();
    }

    /** A conversation read: how many were unread before, and the row after. */
    record Cleared(Conversation conversation, int previouslyUnread) {
    }

    /**
     * Sets the unread count to 0 (bumping the version) if it is not already; empty when nothing was unread. Locks
     * the row, so two concurrent reads clear it once. Run it in a transaction with what depends on the old count.
     */
    Mono<Cleared> clearUnread(String tenantId, UUID id) {
        return db.sql("SELECT unread_count FROM message.conversations WHERE id = :id AND tenant_id = :tenantId"
                        + " FOR UPDATE")
                .bind("id", id)
                .bind("tenantId", tenantId)
                .map(row -> row.get("unread_count", Integer.class))
                .one()
                .filter(unread -> unread > 0)
                .flatMap(unread -> db.sql("""
                                UPDATE message.conversations c
                                   SET unread_count = 0, version = c.version + 1, updated_at = now()
                                 WHERE c.id = :id AND c.tenant_id = :tenantId
                                RETURNING\s""" + COLUMNS)
                        .bind("id", id)
                        .bind("tenantId", tenantId)
                        .map(ConversationRepository::conversation)
                        .one()
                        .map(conversation -> new Cleared(conversation, unread)));
    }

    /** WhatsApp ids of the newest {@code limit} inbound messages of a conversation, oldest first. */
    Mono<List<String>> newestInboundWaIds(String tenantId, UUID conversationId, int limit) {
        return db.sql("""
                        SELECT wa_message_id FROM (
                            SELECT wa_message_id, created_at, id FROM message.messages
                             WHERE conversation_id = :conversationId AND tenant_id = :tenantId
                               AND direction = 'inbound' AND wa_message_id IS NOT NULL
                             ORDER BY created_at DESC, id DESC
                             LIMIT :limit) newest
                         ORDER BY created_at, id""")
                .bind("conversationId", conversationId)
                .bind("tenantId", tenantId)
                .bind("limit", limit)
                .map(row -> row.get("wa_message_id", String.class))
                .all()
                .collectList();
    }

    private static String visibility(ConversaPrincipal caller, Map<String, Object> binds) {
        if (Visibility.needsViewer(caller)) {
            binds.put(Visibility.VIEWER, caller.userId());
        }
        return Visibility.condition(caller, "c");
    }

    static DatabaseClient.GenericExecuteSpec bindAll(DatabaseClient.GenericExecuteSpec spec, Map<String, Object> binds) {
        DatabaseClient.GenericExecuteSpec bound = spec;
        for (Map.Entry<String, Object> bind : binds.entrySet()) {
            bound = bound.bind(bind.getKey(), bind.getValue());
        }
        return bound;
    }

    /** {@code %}, {@code _} and {@code \} of a user's text match themselves in {@code ILIKE … ESCAPE '\'}. */
    static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    static Conversation conversation(Readable row) {
        return new Conversation(
                row.get("id", UUID.class),
                row.get("tenant_id", String.class),
                row.get("session_id", UUID.class),
                row.get("contact_phone", String.class),
                row.get("contact_name", String.class),
                ConversationStatus.fromValue(row.get("status", String.class)),
                row.get("assigned_agent_id", String.class),
                Boolean.TRUE.equals(row.get("bot_enabled", Boolean.class)),
                row.get("unread_count", Integer.class),
                instant(row.get("last_message_at", OffsetDateTime.class)),
                row.get("last_message_preview", String.class),
                row.get("version", Long.class),
                row.get("created_at", OffsetDateTime.class).toInstant(),
                row.get("updated_at", OffsetDateTime.class).toInstant());
    }

    static @Nullable Instant instant(@Nullable OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
