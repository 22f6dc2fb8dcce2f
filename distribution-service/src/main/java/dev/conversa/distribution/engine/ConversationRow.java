package dev.conversa.distribution.engine;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;

/** A conversation's routing state (distribution.conversations) and the last change announced for it. */
public record ConversationRow(UUID conversationId, String tenantId, UUID sessionId, String contactPhone,
        String state, @Nullable String agentId, @Nullable String previousAgentId, @Nullable String lastEvent,
        @Nullable String lastReason, long version, @Nullable Instant waitingSince, Instant updatedAt) {

    public static final String COLUMNS = "conversation_id, tenant_id, session_id, contact_phone, state, agent_id, "
            + "previous_agent_id, last_event, last_reason, version, waiting_since, updated_at";

    /** {@link #COLUMNS} qualified by a table alias, for statements where a name would be ambiguous. */
    public static String columns(String alias) {
        return Arrays.stream(COLUMNS.split(", ")).map(column -> alias + "." + column)
                .collect(Collectors.joining(", "));
    }

    public static ConversationRow from(Readable row) {
        OffsetDateTime waiting = row.get("waiting_since", OffsetDateTime.class);
        return new ConversationRow(row.get("conversation_id", UUID.class), row.get("tenant_id", String.class),
                row.get("session_id", UUID.class), row.get("contact_phone", String.class),
                row.get("state", String.class), row.get("agent_id", String.class),
                row.get("previous_agent_id", String.class), row.get("last_event", String.class),
                row.get("last_reason", String.class), row.get("version", Long.class),
                waiting == null ? null : waiting.toInstant(), row.get("updated_at", OffsetDateTime.class).toInstant());
    }

    public boolean botEnabled() {
        return "bot".equals(state);
    }
}
