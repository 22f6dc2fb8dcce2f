package dev.conversa.distribution.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.conversa.distribution.routing.RoundRobin;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The assignment engine's SQL. Every method runs inside a transaction that first called {@link #lockTenants}: each
 * tenant's pointer row of team {@code ""} is locked {@code FOR UPDATE} (tenants in sorted order, so transactions never
 * deadlock), which serializes every change of a tenant's agents' load and queue across threads and instances. Under
 * that lock {@link #distribute} reads the free agents and the oldest waiting conversations, picks in Java
 * ({@link RoundRobin}) and writes the picks with one {@code UPDATE … FROM unnest(…)}, the agents' load with one more
 * (guarded by {@code active + n <= max_concurrent}: a pick beyond capacity fails the transaction) and the pointers.
 * Conversation rows are inserted once ({@code ON CONFLICT DO NOTHING}): a redelivered {@code opened} changes nothing.
 */
@Component
public class AssignmentEngine {

    public static final String BOT = "bot";
    public static final String WAITING = "waiting";
    public static final String ASSIGNED = "assigned";
    public static final String CLOSED = "closed";

    private static final Logger log = LoggerFactory.getLogger(AssignmentEngine.class);

    private final DatabaseClient db;
    private final DistributionProperties properties;
    private final Timer waited;

    AssignmentEngine(DatabaseClient db, DistributionProperties properties, MeterRegistry meters) {
        this.db = db;
        this.properties = properties;
        this.waited = Timer.builder("conversa.assignment.wait")
                .description("How long assigned conversations waited in the queue for an agent")
                .register(meters);
    }

    /** A conversation message-service opened. */
    public record Opened(String tenantId, UUID conversationId, UUID sessionId, String contactPhone, Instant at) {
    }

    /** Locks the tenants' pointer rows, in sorted order; creates them on first use. */
    public Mono<Void> lockTenants(Collection<String> tenants) {
        String[] sorted = new TreeSet<>(tenants).toArray(String[]::new);
        return db.sql("""
                INSERT INTO distribution.round_robin_pointers (tenant_id, team)
                SELECT t, '' FROM unnest(:tenants::text[]) AS t ORDER BY t
                ON CONFLICT DO NOTHING""")
                .bind("tenants", sorted)
                .then()
                .then(db.sql("""
                        SELECT tenant_id FROM distribution.round_robin_pointers
                         WHERE team = '' AND tenant_id = ANY(:tenants::text[])
                         ORDER BY tenant_id FOR UPDATE""")
                        .bind("tenants", sorted)
                        .map(row -> row.get(0, String.class))
                        .all()
                        .then());
    }

    /**
     * Inserts new conversations: with the bot when their session's routing has it enabled (announced as
     * returned-to-bot, reason {@code bot-first}), else into the queue (announced as unassigned, reason
     * {@code waiting-for-agent}, provisional: an assignment in the same transaction replaces it). A conversation
     * already known is announced again as it is (same event id).
     */
    public Mono<Void> open(List<Opened> opened, Announcements.Collector out) {
        if (opened.isEmpty()) {
            return Mono.empty();
        }
        int n = opened.size();
        UUID[] ids = new UUID[n];
        String[] tenants = new String[n];
        UUID[] sessions = new UUID[n];
        String[] phones = new String[n];
        String[] ats = new String[n];
        for (int i = 0; i < n; i++) {
            Opened o = opened.get(i);
            ids[i] = o.conversationId();
            tenants[i] = o.tenantId();
            sessions[i] = o.sessionId();
            phones[i] = o.contactPhone();
            ats[i] = o.at().toString();
        }
        return db.sql("""
                WITH input AS (
                    SELECT * FROM unnest(:ids::uuid[], :tenants::text[], :sessions::uuid[], :phones::text[],
                                         :ats::text[]) WITH ORDINALITY AS t(id, tenant, session, phone, at, ord)),
                routed AS (
                    SELECT i.*, coalesce(s.bot_enabled, false) AS bot, coalesce(s.team, '') AS team, s.skill
                      FROM input i
                      LEFT JOIN distribution.session_routing s ON s.tenant_id = i.tenant AND s.session_id = i.session)
                INSERT INTO distribution.conversations (conversation_id, tenant_id, session_id, contact_phone, state,
                       team, skill, opened_at, bot_since, waiting_since, queue_seq, last_event, last_reason, version)
                SELECT id, tenant, session, phone, CASE WHEN bot THEN 'bot' ELSE 'waiting' END, team, skill,
                       at::timestamptz, CASE WHEN bot THEN now() END, CASE WHEN bot THEN NULL ELSE at::timestamptz END,
                       CASE WHEN bot THEN NULL ELSE nextval('distribution.queue_seq') END,
                       CASE WHEN bot THEN 'returned-to-bot' ELSE 'unassigned' END,
                       CASE WHEN bot THEN 'bot-first' ELSE 'waiting-for-agent' END, 1
                  FROM routed ORDER BY ord
                ON CONFLICT (conversation_id) DO NOTHING
                RETURNING %s""".formatted(ConversationRow.COLUMNS))
                .bind("ids", ids).bind("tenants", tenants).bind("sessions", sessions).bind("phones", phones)
                .bind("ats", ats)
                .map(ConversationRow::from)
                .all()
                .collectList()
                .flatMap(inserted -> {
                    inserted.forEach(row -> out.add(row, WAITING.equals(row.state())));
                    Set<UUID> fresh = new java.util.HashSet<>();
                    inserted.forEach(row -> fresh.add(row.conversationId()));
                    UUID[] known = Arrays.stream(ids).filter(id -> !fresh.contains(id)).distinct()
                            .toArray(UUID[]::new);
                    if (known.length == 0) {
                        return Mono.<Void>empty();
                    }
                    return rows(known).doOnNext(out::add).then();
                });
    }

    /**
     * Routes again the tenant's conversations among {@code ids} that are closed here (the contact wrote after the
     * close): with the bot when their session's routing has it enabled (announced as returned-to-bot), else to the
     * tail of the queue (announced as unassigned, provisional like a new one's), reason {@code reopened}. Others
     * (open here, or unknown) are left alone, so a redelivered event changes nothing.
     */
    public Mono<Void> reopen(String tenantId, UUID[] ids, Announcements.Collector out) {
        return db.sql("""
                WITH target AS (
                    SELECT c.conversation_id, coalesce(s.bot_enabled, false) AS bot
                      FROM distribution.conversations c
                      LEFT JOIN distribution.session_routing s
                             ON s.tenant_id = c.tenant_id AND s.session_id = c.session_id
                     WHERE c.tenant_id = :tenant AND c.conversation_id = ANY(:ids::uuid[]) AND c.state = 'closed'
                     ORDER BY c.conversation_id
                     FOR UPDATE OF c)
                UPDATE distribution.conversations c
                   SET state = CASE WHEN t.bot THEN 'bot' ELSE 'waiting' END, agent_id = NULL,
                       bot_since = CASE WHEN t.bot THEN now() END,
                       waiting_since = CASE WHEN t.bot THEN NULL ELSE now() END,
                       queue_seq = CASE WHEN t.bot THEN NULL ELSE nextval('distribution.queue_seq') END,
                       assigned_at = NULL, wait_alerted = false,
                       last_event = CASE WHEN t.bot THEN 'returned-to-bot' ELSE 'unassigned' END,
                       last_reason = 'reopened', version = c.version + 1, updated_at = now()
                  FROM target t
                 WHERE c.conversation_id = t.conversation_id
                RETURNING %s""".formatted(ConversationRow.columns("c")))
                .bind("tenant", tenantId)
                .bind("ids", ids)
                .map(ConversationRow::from)
                .all()
                .doOnNext(row -> out.add(row, WAITING.equals(row.state())))
                .then();
    }

    /** The current rows of these conversations (any tenant). */
    public Flux<ConversationRow> rows(UUID[] ids) {
        return db.sql("SELECT %s FROM distribution.conversations WHERE conversation_id = ANY(:ids::uuid[])"
                        .formatted(ConversationRow.COLUMNS))
                .bind("ids", ids)
                .map(ConversationRow::from)
                .all();
    }

    /** The row of one conversation of the tenant. */
    public Mono<ConversationRow> row(String tenantId, UUID id) {
        return db.sql("SELECT %s FROM distribution.conversations WHERE conversation_id = :id AND tenant_id = :tenant"
                        .formatted(ConversationRow.COLUMNS))
                .bind("id", id).bind("tenant", tenantId)
                .map(ConversationRow::from)
                .one();
    }

    /**
     * Moves conversations of a tenant that are in one of {@code from} to {@code to} (with {@code agents[i]} for
     * {@code assigned}), frees the slots of the agents they leave and answers the changed rows (announced as
     * {@code event}, none when null). Conversations in another state are left alone. One statement, no separate
     * row lock: the caller holds the tenant's lock, and the SET reads the row's agent before it changes.
     */
    public Mono<List<ConversationRow>> move(String tenantId, UUID[] ids, String @Nullable [] agents,
            Set<String> from, String to, @Nullable String event, @Nullable String reason) {
        if (ids.length == 0) {
            return Mono.just(List.of());
        }
        String[] targets = agents == null ? new String[ids.length] : agents;
        return db.sql("""
                WITH input AS (SELECT * FROM unnest(:ids::uuid[], :agents::text[]) AS t(id, agent)),
                moved AS (
                    UPDATE distribution.conversations c
                       SET state = :to, agent_id = i.agent, previous_agent_id = c.agent_id,
                           bot_since = CASE WHEN :to = 'bot' THEN now() END,
                           waiting_since = CASE WHEN :to = 'waiting' THEN now() END,
                           queue_seq = CASE WHEN :to = 'waiting' THEN nextval('distribution.queue_seq') END,
                           assigned_at = CASE WHEN :to = 'assigned' THEN now() END,
                           wait_alerted = false,
                           last_event = coalesce(:event, c.last_event), last_reason = coalesce(:reason, c.last_reason),
                           version = c.version + CASE WHEN :event::text IS NULL THEN 0 ELSE 1 END,
                           updated_at = now()
                      FROM input i
                     WHERE c.conversation_id = i.id AND c.tenant_id = :tenant AND c.state = ANY(:from::text[])
                    RETURNING c.*),
                freed AS (
                    UPDATE distribution.agents a SET active = greatest(a.active - f.n, 0), updated_at = now()
                      FROM (SELECT previous_agent_id, count(*)::int AS n FROM moved
                             WHERE previous_agent_id IS NOT NULL GROUP BY 1) f
                     WHERE a.tenant_id = :tenant AND a.user_id = f.previous_agent_id)
                SELECT %s FROM moved""".formatted(ConversationRow.COLUMNS))
                .bind("ids", ids)
                .bind("agents", targets)
                .bind("tenant", tenantId)
                .bind("from", from.toArray(String[]::new))
                .bind("to", to)
                .bind("event", Parameters.in(R2dbcType.VARCHAR, event))
                .bind("reason", Parameters.in(R2dbcType.VARCHAR, reason))
                .map(ConversationRow::from)
                .all()
                .collectList();
    }

    /** Adds conversations to agents' load; fails (rolling the transaction back) if one would exceed capacity. */
    public Mono<Void> addLoad(String tenantId, Map<String, Integer> load) {
        if (load.isEmpty()) {
            return Mono.empty();
        }
        String[] agents = load.keySet().toArray(String[]::new);
        Integer[] counts = Arrays.stream(agents).map(load::get).toArray(Integer[]::new);
        return db.sql("""
                UPDATE distribution.agents a SET active = a.active + d.n, updated_at = now()
                  FROM unnest(:agents::text[], :counts::int[]) AS d(agent, n)
                 WHERE a.tenant_id = :tenant AND a.user_id = d.agent AND a.active + d.n <= a.max_concurrent""")
                .bind("agents", agents).bind("counts", counts).bind("tenant", tenantId)
                .fetch().rowsUpdated()
                .flatMap(updated -> updated == agents.length ? Mono.<Void>empty()
                        : Mono.error(new CapacityExceededException(tenantId)));
    }

    /**
     * Assigns the tenant's oldest waiting conversations to its free online agents, round robin per team, and
     * announces them as assigned.
     */
    public Mono<Void> distribute(String tenantId, Announcements.Collector out) {
        return db.sql("""
                SELECT user_id, coalesce(team, '') AS team, skills, max_concurrent, active
                  FROM distribution.agents
                 WHERE tenant_id = :tenant AND status = 'online' AND active < max_concurrent""")
                .bind("tenant", tenantId)
                .map(row -> new RoundRobin.Candidate(row.get("user_id", String.class), row.get("team", String.class),
                        Set.of(row.get("skills", String[].class)), row.get("max_concurrent", Integer.class),
                        row.get("active", Integer.class)))
                .all()
                .collectList()
                .flatMap(candidates -> candidates.isEmpty() ? Mono.empty()
                        : distribute(tenantId, candidates, out));
    }

    private Mono<Void> distribute(String tenantId, List<RoundRobin.Candidate> candidates,
            Announcements.Collector out) {
        int free = candidates.stream().mapToInt(c -> c.capacity() - c.active()).sum();
        long limit = Math.min((long) free + properties.queueScanLimit(), Integer.MAX_VALUE);
        Map<UUID, OffsetDateTime> waitingSince = new HashMap<>();
        Mono<List<RoundRobin.Waiting>> waiting = db.sql("""
                SELECT conversation_id, team, skill, waiting_since FROM distribution.conversations
                 WHERE tenant_id = :tenant AND state = 'waiting'
                 ORDER BY waiting_since, queue_seq LIMIT :limit""")
                .bind("tenant", tenantId).bind("limit", limit)
                .map(row -> {
                    UUID id = row.get("conversation_id", UUID.class);
                    waitingSince.put(id, row.get("waiting_since", OffsetDateTime.class));
                    return new RoundRobin.Waiting(id, row.get("team", String.class), row.get("skill", String.class));
                })
                .all()
                .collectList();
        Mono<Map<String, String>> pointers = db.sql("""
                SELECT team, last_agent_id FROM distribution.round_robin_pointers
                 WHERE tenant_id = :tenant AND last_agent_id IS NOT NULL""")
                .bind("tenant", tenantId)
                .map(row -> Map.entry(row.get("team", String.class), row.get("last_agent_id", String.class)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new);
        return Mono.zip(waiting, pointers).flatMap(t -> {
            if (t.getT1().isEmpty()) {
                return Mono.empty();
            }
            RoundRobin.Result result = RoundRobin.distribute(t.getT1(), candidates, t.getT2());
            if (result.picks().isEmpty()) {
                return Mono.empty();
            }
            UUID[] ids = result.picks().stream().map(RoundRobin.Pick::conversationId).toArray(UUID[]::new);
            String[] agents = result.picks().stream().map(RoundRobin.Pick::agentId).toArray(String[]::new);
            return move(tenantId, ids, agents, Set.of(WAITING), ASSIGNED, Announcements.ASSIGNED, "round-robin")
                    .flatMap(rows -> {
                        if (rows.size() != ids.length) {
                            return Mono.error(new IllegalStateException("Queue of tenant " + tenantId
                                    + " changed under its lock"));
                        }
                        rows.forEach(out::add);
                        recordWaits(ids, waitingSince);
                        log.debug("Tenant {}: {} waiting conversations assigned", tenantId, rows.size());
                        return addLoad(tenantId, result.load()).then(savePointers(tenantId, result.pointers()));
                    });
        });
    }

    /** {@code conversa.assignment.wait}: the queue time of each conversation just assigned. */
    private void recordWaits(UUID[] assigned, Map<UUID, OffsetDateTime> waitingSince) {
        Instant now = Instant.now();
        for (UUID id : assigned) {
            OffsetDateTime since = waitingSince.get(id);
            if (since != null) {
                waited.record(Duration.between(since.toInstant(), now).abs());
            }
        }
    }

    private Mono<Void> savePointers(String tenantId, Map<String, String> pointers) {
        if (pointers.isEmpty()) {
            return Mono.empty();
        }
        List<String> teams = new ArrayList<>(pointers.keySet());
        return db.sql("""
                INSERT INTO distribution.round_robin_pointers (tenant_id, team, last_agent_id)
                SELECT :tenant, t, a FROM unnest(:teams::text[], :agents::text[]) AS p(t, a)
                ON CONFLICT (tenant_id, team) DO UPDATE SET last_agent_id = excluded.last_agent_id""")
                .bind("tenant", tenantId)
                .bind("teams", teams.toArray(String[]::new))
                .bind("agents", teams.stream().map(pointers::get).toArray(String[]::new))
                .then();
    }

    /** Distributes for each tenant, one after the other (the caller holds their locks). */
    public Mono<Void> distributeAll(Collection<String> tenants, Announcements.Collector out) {
        return Flux.fromIterable(new TreeSet<>(tenants)).concatMap(tenant -> distribute(tenant, out)).then();
    }

    /** An assignment would have pushed an agent over capacity: the transaction is rolled back. */
    public static class CapacityExceededException extends RuntimeException {
        CapacityExceededException(String tenantId) {
            super("An agent of tenant " + tenantId + " has no capacity left");
        }
    }
}
