package dev.conversa.distribution.settings;

import java.util.List;
import java.util.UUID;

import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.conversa.distribution.api.Validation;
import dev.conversa.distribution.routing.EscalationKeywords;
import dev.conversa.security.ConversaPrincipal;
import reactor.core.publisher.Mono;

/**
 * {@code /api/v1/routing}: how a session's new conversations are routed ({@code sessions/{sessionId}}: bot first or
 * not, team, required skill, escalation keywords) and the tenant's settings ({@code tenant}: whether agents going
 * offline release their conversations, default escalation keywords). Absent settings answer the defaults.
 */
@RestController
@RequestMapping("/api/v1/routing")
class RoutingSettingsController {

    private static final int MAX_KEYWORDS = 50;

    private final DatabaseClient db;

    RoutingSettingsController(DatabaseClient db) {
        this.db = db;
    }

    /** A session's routing; {@code escalationKeywords} null = the tenant's. */
    record SessionRouting(@Nullable Boolean botEnabled, @Nullable String team, @Nullable String skill,
            @Nullable List<String> escalationKeywords) {
    }

    /** The tenant's settings; {@code escalationKeywords} null = the defaults (agente, humano, asesor). */
    record TenantSettings(@Nullable Boolean releaseOnOffline, @Nullable List<String> escalationKeywords) {
    }

    @GetMapping("/sessions/{sessionId}")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR')")
    Mono<SessionRouting> session(@PathVariable UUID sessionId, ConversaPrincipal caller) {
        return db.sql("""
                SELECT bot_enabled, team, skill, escalation_keywords FROM distribution.session_routing
                 WHERE tenant_id = :tenant AND session_id = :session""")
                .bind("tenant", caller.tenantId()).bind("session", sessionId)
                .map(row -> new SessionRouting(row.get("bot_enabled", Boolean.class),
                        emptyToNull(row.get("team", String.class)), row.get("skill", String.class),
                        list(row.get("escalation_keywords", String[].class))))
                .one()
                .defaultIfEmpty(new SessionRouting(false, null, null, null));
    }

    @PutMapping("/sessions/{sessionId}")
    @PreAuthorize("hasRole('ADMIN')")
    Mono<SessionRouting> putSession(@PathVariable UUID sessionId, @RequestBody SessionRouting body,
            ConversaPrincipal caller) {
        return Mono.defer(() -> {
            new Validation()
                    .require(body.botEnabled() != null, "botEnabled", "is required")
                    .require(body.team() == null || body.team().length() <= 64, "team", "at most 64 characters")
                    .require(body.skill() == null || (!body.skill().isBlank() && body.skill().length() <= 64),
                            "skill", "1 to 64 characters")
                    .require(validKeywords(body.escalationKeywords()), "escalationKeywords",
                            "at most " + MAX_KEYWORDS + " keywords of 1 to 64 characters")
                    .check();
            return db.sql("""
                    INSERT INTO distribution.session_routing (tenant_id, session_id, bot_enabled, team, skill,
                                                              escalation_keywords)
                    VALUES (:tenant, :session, :bot, :team, :skill, :keywords)
                    ON CONFLICT (tenant_id, session_id) DO UPDATE
                       SET bot_enabled = excluded.bot_enabled, team = excluded.team, skill = excluded.skill,
                           escalation_keywords = excluded.escalation_keywords, updated_at = now()""")
                    .bind("tenant", caller.tenantId()).bind("session", sessionId)
                    .bind("bot", body.botEnabled())
                    .bind("team", body.team() == null ? "" : body.team().strip())
                    .bind("skill", Parameters.in(R2dbcType.VARCHAR, body.skill() == null ? null : body.skill().strip()))
                    .bind("keywords", keywords(body.escalationKeywords()))
                    .then()
                    .then(session(sessionId, caller));
        });
    }

    @GetMapping("/tenant")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR')")
    Mono<TenantSettings> tenant(ConversaPrincipal caller) {
        return db.sql("""
                SELECT release_on_offline, escalation_keywords FROM distribution.tenant_settings
                 WHERE tenant_id = :tenant""")
                .bind("tenant", caller.tenantId())
                .map(row -> new TenantSettings(row.get("release_on_offline", Boolean.class),
                        list(row.get("escalation_keywords", String[].class))))
                .one()
                .defaultIfEmpty(new TenantSettings(false, null));
    }

    @PutMapping("/tenant")
    @PreAuthorize("hasRole('ADMIN')")
    Mono<TenantSettings> putTenant(@RequestBody TenantSettings body, ConversaPrincipal caller) {
        return Mono.defer(() -> {
            new Validation()
                    .require(body.releaseOnOffline() != null, "releaseOnOffline", "is required")
                    .require(validKeywords(body.escalationKeywords()), "escalationKeywords",
                            "at most " + MAX_KEYWORDS + " keywords of 1 to 64 characters")
                    .check();
            return db.sql("""
                    INSERT INTO distribution.tenant_settings (tenant_id, release_on_offline, escalation_keywords)
                    VALUES (:tenant, :release, :keywords)
                    ON CONFLICT (tenant_id) DO UPDATE
                       SET release_on_offline = excluded.release_on_offline,
                           escalation_keywords = excluded.escalation_keywords, updated_at = now()""")
                    .bind("tenant", caller.tenantId()).bind("release", body.releaseOnOffline())
                    .bind("keywords", keywords(body.escalationKeywords()))
                    .then()
                    .then(tenant(caller));
        });
    }

    private static boolean validKeywords(@Nullable List<String> keywords) {
        return keywords == null || (keywords.size() <= MAX_KEYWORDS && keywords.stream()
                .allMatch(k -> k != null && !EscalationKeywords.normalize(k).isBlank() && k.length() <= 64));
    }

    private static Object keywords(@Nullable List<String> keywords) {
        String[] values = array(keywords);
        return values == null ? Parameters.in(String[].class) : values;
    }

    private static String @Nullable [] array(@Nullable List<String> keywords) {
        return keywords == null ? null : keywords.stream().map(String::strip).distinct().toArray(String[]::new);
    }

    private static @Nullable List<String> list(String @Nullable [] values) {
        return values == null ? null : List.of(values);
    }

    private static @Nullable String emptyToNull(@Nullable String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
