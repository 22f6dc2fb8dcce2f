package dev.conversa.campaign.dispatch;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.conversa.security.ConversaPrincipal;
import dev.conversa.web.problem.ApiException;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;

/**
 * {@code /api/v1/sessions/{sessionId}/pacing}: the pace of a sending number, shared by every campaign that sends
 * from it. The row is made with the defaults on first use; a session whose pace another tenant owns answers 404.
 */
@RestController
class SessionPacingController {

    private static final String COLUMNS = """
            session_id, messages_per_minute, jitter_percent, daily_cap, warmup_days, warmup_start_cap, first_send_on,
            next_send_at, day, sent_on_day""";

    private final DatabaseClient db;
    private final DispatchProperties properties;
    private final Clock clock;

    SessionPacingController(DatabaseClient db, DispatchProperties properties, Clock clock) {
        this.db = db;
        this.properties = properties;
        this.clock = clock;
    }

    @GetMapping("/api/v1/sessions/{sessionId}/pacing")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR')")
    Mono<PacingSettings> get(@PathVariable UUID sessionId, ConversaPrincipal caller) {
        Instant now = clock.instant();
        return db.sql("""
                INSERT INTO campaign.session_pacing (session_id, tenant_id, next_send_at) VALUES (:session, :tenant, :now)
                ON CONFLICT (session_id) DO NOTHING""")
                .bind("session", sessionId)
                .bind("tenant", caller.tenantId())
                .bind("now", now)
                .fetch()
                .rowsUpdated()
                .then(db.sql("SELECT " + COLUMNS + " FROM campaign.session_pacing WHERE session_id = :session "
                                + "AND tenant_id = :tenant")
                        .bind("session", sessionId)
                        .bind("tenant", caller.tenantId())
                        .map(row -> view(row, now))
                        .one())
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("session", sessionId)));
    }

    @PutMapping("/api/v1/sessions/{sessionId}/pacing")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR')")
    Mono<PacingSettings> put(@PathVariable UUID sessionId, @RequestBody PacingSettings body,
            ConversaPrincipal caller) {
        return Mono.fromCallable(body::validated).flatMap(settings -> {
            Instant now = clock.instant();
            return db.sql("""
                    INSERT INTO campaign.session_pacing AS p (session_id, tenant_id, messages_per_minute,
                           jitter_percent, daily_cap, warmup_days, warmup_start_cap, next_send_at)
                    VALUES (:session, :tenant, :mpm, :jitter, :cap, :warmupDays, :warmupStart, :now)
                    ON CONFLICT (session_id) DO UPDATE
                       SET messages_per_minute = EXCLUDED.messages_per_minute,
                           jitter_percent = EXCLUDED.jitter_percent, daily_cap = EXCLUDED.daily_cap,
                           warmup_days = EXCLUDED.warmup_days, warmup_start_cap = EXCLUDED.warmup_start_cap,
                           version = p.version + 1, updated_at = now()
                     WHERE p.tenant_id = EXCLUDED.tenant_id
                    RETURNING\s""" + COLUMNS)
                    .bind("session", sessionId)
                    .bind("tenant", caller.tenantId())
                    .bind("mpm", settings.messagesPerMinute())
                    .bind("jitter", settings.jitterPercent())
                    .bind("cap", settings.dailyCap())
                    .bind("warmupDays", settings.warmupDays())
                    .bind("warmupStart", settings.warmupStartCap())
                    .bind("now", now)
                    .map(row -> view(row, now))
                    .one()
                    .switchIfEmpty(Mono.error(() -> ApiException.notFound("session", sessionId)));
        });
    }

    private PacingSettings view(Readable row, Instant now) {
        Pacing pacing = new Pacing(row.get("messages_per_minute", Integer.class),
                row.get("jitter_percent", Integer.class), row.get("daily_cap", Integer.class),
                row.get("warmup_days", Integer.class), row.get("warmup_start_cap", Integer.class),
                row.get("first_send_on", LocalDate.class), row.get("next_send_at", Instant.class),
                row.get("day", LocalDate.class), row.get("sent_on_day", Integer.class));
        LocalDate today = now.atZone(properties.pacingZone()).toLocalDate();
        return new PacingSettings(pacing.messagesPerMinute(), pacing.jitterPercent(), pacing.dailyCap(),
                pacing.warmupDays(), pacing.warmupStartCap(), row.get("session_id", UUID.class),
                pacing.firstSendOn(), pacing.nextSendAt(), today, pacing.sentOn(today), pacing.capOn(today));
    }
}
