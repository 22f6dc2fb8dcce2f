package dev.conversa.message.inbox;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;

import dev.conversa.events.conversation.ConversationChanged;
import dev.conversa.events.conversation.ConversationStatus;

/**
 * A {@code message.conversations} row as a statement left it; {@code created} when that statement inserted it.
 * Select or return {@link #COLUMNS} (unqualified) or {@link #qualified(String)} to read one with {@link #from}.
 */
public record ConversationRow(
        UUID id,
        String tenantId,
        UUID sessionId,
        String contactPhone,
        @Nullable String contactName,
        ConversationStatus status,
        @Nullable String assignedAgentId,
        boolean botEnabled,
        int unreadCount,
        @Nullable Instant lastMessageAt,
        @Nullable String lastMessagePreview,
        long version,
        Instant createdAt,
        Instant updatedAt,
        boolean created) {

    public static final String COLUMNS = qualified(null);

    /** The columns {@link #from} reads, each prefixed by {@code alias.} when an alias is given. */
    public static String qualified(@Nullable String alias) {
        String p = alias == null ? "" : alias + ".";
        return String.join(", ", p + "id", p + "tenant_id", p + "session_id", p + "contact_phone",
                p + "contact_name", p + "status", p + "assigned_agent_id", p + "bot_enabled", p + "unread_count",
                p + "last_message_at", p + "last_message_preview", p + "version", p + "created_at",
                p + "updated_at");
    }

    /** Reads a row that has {@link #COLUMNS}; {@code created} from a boolean column of that name if present. */
    public static ConversationRow from(Readable row, boolean created) {
        return new ConversationRow(
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
                instant(row.get("created_at", OffsetDateTime.class)),
                instant(row.get("updated_at", OffsetDateTime.class)),
                created);
    }

    /** The state as {@code conversa.conversation.{opened,updated,closed}.v1} carry it. */
    public ConversationChanged toEvent() {
        return new ConversationChanged(tenantId, id, sessionId, contactPhone, contactName, status, assignedAgentId,
                botEnabled, unreadCount, lastMessageAt, lastMessagePreview, version, updatedAt);
    }

    static @Nullable Instant instant(@Nullable OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
