package dev.conversa.distribution.agents;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.conversa.distribution.api.CursorPage;
import dev.conversa.distribution.api.Validation;
import dev.conversa.distribution.engine.Announcements;
import dev.conversa.distribution.engine.AssignmentEngine;
import dev.conversa.security.ConversaPrincipal;
import dev.conversa.web.problem.ApiException;
import reactor.core.publisher.Mono;

/**
 * Agents' routing records. Every change runs under the tenant's lock (see {@link AssignmentEngine}) and ends with a
 * distribution of the tenant's queue: an agent coming online, or getting more capacity, takes the oldest waiting
 * conversations. An agent going offline releases their conversations back to the queue when the tenant's setting
 * {@code releaseOnOffline} says so (announced as unassigned, reason {@code agent-offline}); else keeps them.
 */
@Service
class AgentService {

    static final String OFFLINE_REASON = "agent-offline";
    private static final Logger log = LoggerFactory.getLogger(AgentService.class);

    private final DatabaseClient db;
    private final AssignmentEngine engine;
    private final Announcements announcements;
    private final TransactionalOperator transaction;

    AgentService(DatabaseClient db, AssignmentEngine engine, Announcements announcements,
            TransactionalOperator transaction) {
        this.db = db;
        this.engine = engine;
        this.announcements = announcements;
        this.transaction = transaction;
    }

    Mono<CursorPage<Agent>> list(ConversaPrincipal caller, @Nullable String status, @Nullable String cursor,
            int size) {
        return Mono.defer(() -> {
            CursorPage.checkSize(size);
            if (status != null && !Agent.STATUSES.contains(status)) {
                throw ApiException.badRequest("status must be one of " + Agent.STATUSES);
            }
            String after = CursorPage.decode("a1", cursor);
            return db.sql("""
                    SELECT %s FROM distribution.agents
                     WHERE tenant_id = :tenant AND (:status::text IS NULL OR status = :status)
                       AND (:after::text IS NULL OR user_id > :after)
                     ORDER BY user_id LIMIT :limit""".formatted(Agent.COLUMNS))
                    .bind("tenant", caller.tenantId())
                    .bind("status", Parameters.in(R2dbcType.VARCHAR, status))
                    .bind("after", Parameters.in(R2dbcType.VARCHAR, after))
                    .bind("limit", size + 1)
                    .map(Agent::from)
                    .all()
                    .collectList()
                    .map(rows -> rows.size() > size
                            ? new CursorPage<>(rows.subList(0, size), CursorPage.encode("a1", rows.get(size - 1)
                                    .userId()))
                            : new CursorPage<>(rows, null));
        });
    }

    Mono<Agent> get(ConversaPrincipal caller, String userId) {
        return find(caller.tenantId(), userId)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("agent", userId)));
    }

    private Mono<Agent> find(String tenantId, String userId) {
        return db.sql("SELECT %s FROM distribution.agents WHERE tenant_id = :tenant AND user_id = :user"
                        .formatted(Agent.COLUMNS))
                .bind("tenant", tenantId).bind("user", userId)
                .map(Agent::from)
                .one();
    }

    /** The caller's own status; the record is created on first use from the token (subject, username). */
    Mono<Agent> changeStatus(ConversaPrincipal caller, String status) {
        String tenant = caller.tenantId();
        String name = caller.username() == null || caller.username().isBlank() ? caller.userId()
                : caller.username();
        return Mono.defer(() -> {
            Announcements.Collector out = new Announcements.Collector();
            return engine.lockTenants(List.of(tenant))
                    .then(db.sql("""
                            INSERT INTO distribution.agents AS a (tenant_id, user_id, display_name, status)
                            VALUES (:tenant, :user, :name, :status)
                            ON CONFLICT (tenant_id, user_id) DO UPDATE
                               SET status = excluded.status, version = a.version + 1, updated_at = now()
                             WHERE a.status <> excluded.status""")
                            .bind("tenant", tenant).bind("user", caller.userId()).bind("name", name)
                            .bind("status", status)
                            .fetch().rowsUpdated())
                    .then("offline".equals(status) ? releaseIfConfigured(tenant, caller.userId(), out)
                            : Mono.empty())
                    .then(engine.distribute(tenant, out))
                    .as(transaction::transactional)
                    .then(Mono.defer(() -> announcements.publish(out)))
                    .then(find(tenant, caller.userId()))
                    .doOnNext(agent -> log.info("Agent {} of tenant {} is {} ({} conversations)", agent.userId(),
                            tenant, agent.status(), agent.activeConversations()));
        });
    }

    private Mono<Void> releaseIfConfigured(String tenant, String userId, Announcements.Collector out) {
        return db.sql("SELECT release_on_offline FROM distribution.tenant_settings WHERE tenant_id = :tenant")
                .bind("tenant", tenant)
                .map(row -> row.get(0, Boolean.class))
                .one()
                .defaultIfEmpty(false)
                .filter(Boolean::booleanValue)
                .flatMap(release -> db.sql("""
                                SELECT conversation_id FROM distribution.conversations
                                 WHERE tenant_id = :tenant AND state = 'assigned' AND agent_id = :agent""")
                        .bind("tenant", tenant).bind("agent", userId)
                        .map(row -> row.get(0, UUID.class))
                        .all()
                        .collectList())
                .flatMap(ids -> engine.move(tenant, ids.toArray(UUID[]::new), null, Set.of(AssignmentEngine.ASSIGNED),
                        AssignmentEngine.WAITING, Announcements.UNASSIGNED, OFFLINE_REASON))
                .doOnNext(rows -> {
                    rows.forEach(out::add);
                    if (!rows.isEmpty()) {
                        log.info("Agent {} of tenant {} went offline: {} conversations back to the queue", userId,
                                tenant, rows.size());
                    }
                })
                .then();
    }

    Mono<Agent> patch(ConversaPrincipal caller, String userId, @Nullable String ifMatch, AgentRequests.Patch patch) {
        String tenant = caller.tenantId();
        return Mono.defer(() -> {
            patch.validate();
            Announcements.Collector out = new Announcements.Collector();
            String[] skills = patch.skills() == null ? null
                    : patch.skills().stream().map(String::strip).distinct().toArray(String[]::new);
            return engine.lockTenants(List.of(tenant))
                    .then(get(caller, userId))
                    .doOnNext(current -> Validation.ifMatch(ifMatch, current.version()))
                    .then(db.sql("""
                            UPDATE distribution.agents
                               SET display_name = coalesce(:name, display_name),
                                   max_concurrent = coalesce(:capacity, max_concurrent),
                                   skills = coalesce(:skills::text[], skills),
                                   team = CASE WHEN :team::text IS NULL THEN team ELSE nullif(:team, '') END,
                                   version = version + 1, updated_at = now()
                             WHERE tenant_id = :tenant AND user_id = :user""")
                            .bind("name", Parameters.in(R2dbcType.VARCHAR, patch.displayName() == null ? null
                                    : patch.displayName().strip()))
                            .bind("capacity", Parameters.in(R2dbcType.INTEGER, patch.maxConcurrent()))
                            .bind("skills", skills == null ? Parameters.in(String[].class) : skills)
                            .bind("team", Parameters.in(R2dbcType.VARCHAR, patch.team() == null ? null
                                    : patch.team().strip()))
                            .bind("tenant", tenant).bind("user", userId)
                            .then())
                    .then(engine.distribute(tenant, out))
                    .as(transaction::transactional)
                    .then(Mono.defer(() -> announcements.publish(out)))
                    .then(get(caller, userId));
        });
    }
}
