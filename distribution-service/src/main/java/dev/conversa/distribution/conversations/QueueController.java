package dev.conversa.distribution.conversations;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.conversa.distribution.api.CursorPage;
import dev.conversa.distribution.engine.DistributionProperties;
import dev.conversa.security.ConversaPrincipal;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/queue}: the caller's tenant's conversations waiting for an agent, oldest first, with how long
 * they have waited and whether that is over {@code conversa.distribution.wait-alert}.
 */
@RestController
class QueueController {

    private final DatabaseClient db;
    private final DistributionProperties properties;

    QueueController(DatabaseClient db, DistributionProperties properties) {
        this.db = db;
        this.properties = properties;
    }

    /** One waiting conversation. */
    record Waiting(UUID conversationId, UUID sessionId, String contactPhone, @Nullable String team,
            @Nullable String skill, Instant waitingSince, long waitedSeconds, boolean overdue) {
    }

    @GetMapping("/api/v1/queue")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR')")
    Mono<CursorPage<Waiting>> queue(@RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "50") int size, ConversaPrincipal caller) {
        return Mono.defer(() -> {
            CursorPage.checkSize(size);
            String after = CursorPage.decode("q1", cursor);
            Long afterSeq = null;
            if (after != null) {
                try {
                    afterSeq = Long.parseLong(after);
                }
                catch (NumberFormatException e) {
                    throw dev.conversa.web.problem.ApiException.badRequest("cursor is not valid for this listing");
                }
            }
            Instant now = Instant.now();
            return db.sql("""
                    SELECT c.conversation_id, c.session_id, c.contact_phone, c.team, c.skill, c.waiting_since,
                           c.queue_seq
                      FROM distribution.conversations c
                     WHERE c.tenant_id = :tenant AND c.state = 'waiting'
                       AND (:after::bigint IS NULL OR (c.waiting_since, c.queue_seq) > (
                            SELECT p.waiting_since, p.queue_seq FROM distribution.conversations p
                             WHERE p.tenant_id = :tenant AND p.queue_seq = :after::bigint))
                     ORDER BY c.waiting_since, c.queue_seq LIMIT :limit""")
                    .bind("tenant", caller.tenantId())
                    .bind("after", io.r2dbc.spi.Parameters.in(io.r2dbc.spi.R2dbcType.BIGINT, afterSeq))
                    .bind("limit", size + 1)
                    .map(row -> {
                        Instant since = row.get("waiting_since", OffsetDateTime.class).toInstant();
                        Duration waited = Duration.between(since, now);
                        String team = row.get("team", String.class);
                        return java.util.Map.entry(row.get("queue_seq", Long.class), new Waiting(
                                row.get("conversation_id", UUID.class), row.get("session_id", UUID.class),
                                row.get("contact_phone", String.class), team == null || team.isEmpty() ? null : team,
                                row.get("skill", String.class), since, Math.max(0, waited.toSeconds()),
                                waited.compareTo(properties.waitAlert()) > 0));
                    })
                    .all()
                    .collectList()
                    .map(rows -> new CursorPage<>(rows.stream().limit(size).map(java.util.Map.Entry::getValue)
                            .toList(), rows.size() > size
                                    ? CursorPage.encode("q1", Long.toString(rows.get(size - 1).getKey())) : null));
        });
    }
}
