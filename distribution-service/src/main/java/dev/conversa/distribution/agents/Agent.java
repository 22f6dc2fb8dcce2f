package dev.conversa.distribution.agents;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;

/** An agent's routing record and current load, as the API shows it ({@code ETag} = version). */
public record Agent(String userId, String displayName, String status, int maxConcurrent, int activeConversations,
        List<String> skills, @Nullable String team, long version, Instant updatedAt) {

    static final String COLUMNS = "user_id, display_name, status, max_concurrent, active, skills, team, version, "
            + "updated_at";
    static final List<String> STATUSES = List.of("online", "away", "busy", "offline");

    static Agent from(Readable row) {
        return new Agent(row.get("user_id", String.class), row.get("display_name", String.class),
                row.get("status", String.class), row.get("max_concurrent", Integer.class),
                row.get("active", Integer.class), List.of(row.get("skills", String[].class)),
                row.get("team", String.class), row.get("version", Long.class),
                row.get("updated_at", OffsetDateTime.class).toInstant());
    }
}
