package dev.conversa.distribution.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * that lock {@link #admit} finds which opened conversations are new, reads the free agents, the oldest waiting
 * conversations and the pointers, picks in Java ({@link RoundRobin}) over the waiting and the new conversations in
 * queue order, and writes everything with one statement: the new rows (directly {@code assigned} when an agent took
 * them), the picked waiting rows, the agents' load (guarded by {@code active + n <= max_concurrent}: a pick beyond
 * capacity fails the transaction) and the pointers. Conversation rows are inserted once (the lock, and
 * {@code ON CONFLICT DO NOTHING} with a count check): a redelivered {@code opened} changes nothing.
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

    /**
     * Locks the tenants' pointer rows, in sorted order; creates them on first use. One tenant (the usual case) costs
     * one statement once its row exists.
     */
    public Mono<Void> lockTenants(Collection<String> tenants) {
        String[] sorted = new TreeSet<>(tenants).toArray(String[]::new);
        Mono<Void> createAndLock = db.sql("""
                INSERT INTO distribution.round_robin_pointers (tenant_id, team)
                SELECT t, '' FROM unnest(:tenants::text[]) AS t ORDER BY t
                ON CONFLICT DO NOTHING""")
                .bind("tenants", sorted)
                .then()
                .then(lock(sorted).then());
        if (sorted.length != 1) {
            return createAndLock;
        }
        // a single lock has no order to keep: try it first, create the row only when it is missing
        return lock(sorted).flatMap(locked -> locked == 1 ? Mono.<Void>empty() : createAndLock);
    }

    private Mono<Long> lock(String[] sorted) {
        return db.sql("""
                SELECT tenant_id FROM distribution.round_robin_pointers
                 WHERE team = '' AND tenant_id = ANY(:tenants::text[])
                 ORDER BY tenant_id FOR UPDATE""")
                .bind("tenants", sorted)
                .map(row -> row.get(0, String.class))
                .all()
                .count();
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
     * Admits the tenant's new conversations and distributes its queue, in one write: the conversations already known
     * (a redelivered {@code opened}) are announced again as they are; the new ones go to the bot when their
     * session's routing has it enabled (announced as returned-to-bot, reason {@code bot-first}), the others join the
     * waiting conversations in queue order (oldest {@code waiting_since} first, a new one's being its {@code opened}
     * time) and the free online agents take the oldest, round robin per team. So a new conversation that finds a free
     * agent is inserted directly as assigned (one row write instead of an insert and an update), and one that does
     * not is inserted waiting (announced as unassigned, reason {@code waiting-for-agent}, provisional: a later
     * assignment in the same transaction replaces it). The caller holds the tenant's lock.
     */
    public Mono<Void> admit(String tenantId, List<Opened> opened, Announcements.Collector out) {
        return arrivals(tenantId, opened)
                .flatMap(arrivals -> (arrivals.known().length == 0 ? Mono.<Void>empty()
                        : rows(arrivals.known()).doOnNext(out::add).then())
                        .then(snapshot(tenantId))
                        .flatMap(snapshot -> write(tenantId, arrivals.fresh(), plan(arrivals.fresh(), snapshot),
                                out)));
    }

    /** Assigns the tenant's oldest waiting conversations to its free online agents (the caller holds its lock). */
    public Mono<Void> distribute(String tenantId, Announcements.Collector out) {
        return admit(tenantId, List.of(), out);
    }

    /** A new conversation and how its session routes it. */
    record Fresh(Opened opened, boolean bot, String team, @Nullable String skill) {
    }

    /** The conversations of an {@code opened} list that are new (batch order, each once), and the known ones. */
    record Arrivals(List<Fresh> fresh, UUID[] known) {
        static final Arrivals NONE = new Arrivals(List.of(), new UUID[0]);
    }

    /**
     * What one distribution decided: {@code agents} per new conversation (null: not assigned), the waiting
     * conversations {@code picked} with their agents, the load added per agent, the moved pointers, and when each
     * assigned conversation started waiting (for {@code conversa.assignment.wait}).
     */
    record Plan(Map<UUID, String> freshAgents, List<RoundRobin.Pick> picked, Map<String, Integer> load,
            Map<String, String> pointers, Map<UUID, OffsetDateTime> since) {
        static final Plan NONE = new Plan(Map.of(), List.of(), Map.of(), Map.of(), Map.of());
    }

    /** A conversation in queue order: waiting in the table ({@code fresh} false) or new in this batch. */
    record Queued(RoundRobin.Waiting waiting, OffsetDateTime since, boolean fresh) {
    }

    /**
     * The order in which the free agents take conversations: the waiting ones (read oldest first) and the new ones
     * merged by when they started waiting; on a tie the one already waiting first, new ones in batch order (as their
     * {@code queue_seq} would be). When the queue was read only up to {@code truncated} rows, a new conversation
     * younger than the last one read is left out (unread older ones are ahead of it): it stays waiting.
     */
    static List<Queued> queueOrder(List<Queued> waiting, List<Queued> fresh, boolean truncated) {
        List<Queued> order = new ArrayList<>(waiting.size() + fresh.size());
        order.addAll(waiting);
        OffsetDateTime horizon = truncated && !waiting.isEmpty() ? waiting.getLast().since() : null;
        for (Queued one : fresh) {
            if (!truncated || (horizon != null && !one.since().isAfter(horizon))) {
                order.add(one);
            }
        }
        // stable: ties keep waiting ones first and new ones in batch order
        order.sort(Comparator.comparing(Queued::since));
        return order;
    }

    /** Which opened conversations are new, and their session's routing (team, skill, bot). */
    private Mono<Arrivals> arrivals(String tenantId, List<Opened> opened) {
        if (opened.isEmpty()) {
            return Mono.just(Arrivals.NONE);
        }
        Map<UUID, Opened> unique = new LinkedHashMap<>();
        opened.forEach(o -> unique.putIfAbsent(o.conversationId(), o));
        List<Opened> list = List.copyOf(unique.values());
        UUID[] ids = list.stream().map(Opened::conversationId).toArray(UUID[]::new);
        UUID[] sessions = list.stream().map(Opened::sessionId).toArray(UUID[]::new);
        return db.sql("""
                SELECT i.ord::int AS ord, c.conversation_id IS NOT NULL AS known,
                       coalesce(s.bot_enabled, false) AS bot, coalesce(s.team, '') AS team, s.skill
                  FROM unnest(:ids::uuid[], :sessions::uuid[]) WITH ORDINALITY AS i(id, session, ord)
                  LEFT JOIN distribution.conversations c ON c.conversation_id = i.id
                  LEFT JOIN distribution.session_routing s ON s.tenant_id = :tenant AND s.session_id = i.session
                 ORDER BY i.ord""")
                .bind("ids", ids).bind("sessions", sessions).bind("tenant", tenantId)
                .map(row -> {
                    Opened o = list.get(row.get("ord", Integer.class) - 1);
                    return Boolean.TRUE.equals(row.get("known", Boolean.class)) ? o.conversationId()
                            : new Fresh(o, Boolean.TRUE.equals(row.get("bot", Boolean.class)),
                                    row.get("team", String.class), row.get("skill", String.class));
                })
                .all()
                .collectList()
                .map(all -> new Arrivals(all.stream().filter(Fresh.class::isInstance).map(Fresh.class::cast).toList(),
                        all.stream().filter(UUID.class::isInstance).toArray(UUID[]::new)));
    }

    /**
     * What a distribution reads, in one statement: the tenant's online agents with free slots, its pointers and its
     * oldest waiting conversations (at most the free slots plus {@code queue-scan-limit}; none when no agent is free).
     */
    record Snapshot(List<RoundRobin.Candidate> candidates, Map<String, String> pointers, List<Queued> waiting,
            long limit) {
    }

    private Mono<Snapshot> snapshot(String tenantId) {
        List<RoundRobin.Candidate> candidates = new ArrayList<>();
        Map<String, String> pointers = new HashMap<>();
        List<Queued> waiting = new ArrayList<>();
        Map<Queued, Long> positions = new HashMap<>();
        long[] limit = {0};
        return db.sql("""
                WITH free AS (
                    SELECT user_id, coalesce(team, '') AS team, skills, max_concurrent, active
                      FROM distribution.agents
                     WHERE tenant_id = :tenant AND status = 'online' AND active < max_concurrent),
                scan AS (
                    SELECT CASE WHEN count(*) = 0 THEN 0 ELSE sum(max_concurrent - active) + :scan END AS n FROM free)
                SELECT 'agent' AS kind, user_id AS agent, team, skills, max_concurrent, active,
                       NULL::uuid AS conversation_id, NULL::text AS skill, NULL::timestamptz AS since,
                       (SELECT n FROM scan) AS position
                  FROM free
                UNION ALL
                SELECT 'pointer', last_agent_id, team, NULL, NULL, NULL, NULL, NULL, NULL, NULL
                  FROM distribution.round_robin_pointers
                 WHERE tenant_id = :tenant AND last_agent_id IS NOT NULL AND EXISTS (SELECT 1 FROM free)
                UNION ALL
                SELECT 'waiting', NULL, team, NULL, NULL, NULL, conversation_id, skill, waiting_since,
                       row_number() OVER (ORDER BY waiting_since, queue_seq)
                  FROM (SELECT * FROM distribution.conversations
                         WHERE tenant_id = :tenant AND state = 'waiting'
                         ORDER BY waiting_since, queue_seq LIMIT (SELECT n FROM scan)) w""")
                .bind("tenant", tenantId)
                .bind("scan", (long) properties.queueScanLimit())
                .map(row -> {
                    switch (row.get("kind", String.class)) {
                        case "agent" -> {
                            candidates.add(new RoundRobin.Candidate(row.get("agent", String.class),
                                    row.get("team", String.class), Set.of(row.get("skills", String[].class)),
                                    row.get("max_concurrent", Integer.class), row.get("active", Integer.class)));
                            limit[0] = row.get("position", Long.class);
                        }
                        case "pointer" -> pointers.put(row.get("team", String.class), row.get("agent", String.class));
                        default -> {
                            Queued queued = new Queued(new RoundRobin.Waiting(row.get("conversation_id", UUID.class),
                                    row.get("team", String.class), row.get("skill", String.class)),
                                    row.get("since", OffsetDateTime.class), false);
                            waiting.add(queued);
                            positions.put(queued, row.get("position", Long.class));
                        }
                    }
                    return 1;
                })
                .all()
                .then(Mono.fromSupplier(() -> {
                    waiting.sort(Comparator.comparing(positions::get));
                    return new Snapshot(candidates, pointers, waiting, limit[0]);
                }));
    }

    /** Decides round robin (in Java) over the waiting conversations and the new ones, in queue order. */
    private static Plan plan(List<Fresh> fresh, Snapshot snapshot) {
        if (snapshot.candidates().isEmpty()) {
            return Plan.NONE;
        }
        List<Queued> arriving = fresh.stream().filter(f -> !f.bot())
                .map(f -> new Queued(new RoundRobin.Waiting(f.opened().conversationId(), f.team(), f.skill()),
                        f.opened().at().atOffset(ZoneOffset.UTC), true))
                .toList();
        List<Queued> order = queueOrder(snapshot.waiting(), arriving, snapshot.waiting().size() >= snapshot.limit());
        if (order.isEmpty()) {
            return Plan.NONE;
        }
        Map<UUID, Queued> byId = new HashMap<>();
        order.forEach(q -> byId.put(q.waiting().conversationId(), q));
        RoundRobin.Result result = RoundRobin.distribute(order.stream().map(Queued::waiting).toList(),
                snapshot.candidates(), snapshot.pointers());
        Map<UUID, String> freshAgents = new HashMap<>();
        List<RoundRobin.Pick> picked = new ArrayList<>();
        Map<UUID, OffsetDateTime> since = new HashMap<>();
        for (RoundRobin.Pick pick : result.picks()) {
            Queued q = byId.get(pick.conversationId());
            since.put(pick.conversationId(), q.since());
            if (q.fresh()) {
                freshAgents.put(pick.conversationId(), pick.agentId());
            }
            else {
                picked.add(pick);
            }
        }
        return new Plan(freshAgents, picked, result.load(), result.pointers(), since);
    }

    /**
     * Inserts the new conversations (bot, assigned or waiting), assigns the picked waiting ones, adds the agents'
     * load (guarded by {@code active + n <= max_concurrent}) and saves the pointers, in one statement; announces the
     * rows. Fails (rolling the transaction back) when an agent would exceed capacity or a row changed under the lock.
     */
    private Mono<Void> write(String tenantId, List<Fresh> fresh, Plan plan, Announcements.Collector out) {
        if (fresh.isEmpty() && plan.picked().isEmpty()) {
            return Mono.empty();
        }
        int n = fresh.size();
        UUID[] ids = new UUID[n];
        UUID[] sessions = new UUID[n];
        String[] phones = new String[n];
        String[] ats = new String[n];
        Boolean[] bots = new Boolean[n];
        String[] teams = new String[n];
        String[] skills = new String[n];
        String[] agents = new String[n];
        for (int i = 0; i < n; i++) {
            Fresh f = fresh.get(i);
            ids[i] = f.opened().conversationId();
            sessions[i] = f.opened().sessionId();
            phones[i] = f.opened().contactPhone();
            ats[i] = f.opened().at().toString();
            bots[i] = f.bot();
            teams[i] = f.team();
            skills[i] = f.skill();
            agents[i] = plan.freshAgents().get(ids[i]);
        }
        UUID[] picks = plan.picked().stream().map(RoundRobin.Pick::conversationId).toArray(UUID[]::new);
        String[] pickAgents = plan.picked().stream().map(RoundRobin.Pick::agentId).toArray(String[]::new);
        String[] loadAgents = plan.load().keySet().toArray(String[]::new);
        Integer[] loadCounts = Arrays.stream(loadAgents).map(plan.load()::get).toArray(Integer[]::new);
        String[] pointerTeams = plan.pointers().keySet().toArray(String[]::new);
        String[] pointerAgents = Arrays.stream(pointerTeams).map(plan.pointers()::get).toArray(String[]::new);
        int[] counts = new int[3];
        return db.sql("""
                WITH input AS (
                    SELECT * FROM unnest(:ids::uuid[], :sessions::uuid[], :phones::text[], :ats::text[],
                                         :bots::boolean[], :teams::text[], :skills::text[], :agents::text[])
                           WITH ORDINALITY AS t(id, session, phone, at, bot, team, skill, agent, ord)),
                inserted AS (
                    INSERT INTO distribution.conversations (conversation_id, tenant_id, session_id, contact_phone,
                           state, agent_id, team, skill, opened_at, bot_since, waiting_since, queue_seq, assigned_at,
                           last_event, last_reason, version)
                    SELECT id, :tenant, session, phone,
                           CASE WHEN bot THEN 'bot' WHEN agent IS NOT NULL THEN 'assigned' ELSE 'waiting' END,
                           agent, team, skill, at::timestamptz, CASE WHEN bot THEN now() END,
                           CASE WHEN NOT bot AND agent IS NULL THEN at::timestamptz END,
                           CASE WHEN NOT bot AND agent IS NULL THEN nextval('distribution.queue_seq') END,
                           CASE WHEN agent IS NOT NULL THEN now() END,
                           CASE WHEN bot THEN 'returned-to-bot' WHEN agent IS NOT NULL THEN 'assigned'
                                ELSE 'unassigned' END,
                           CASE WHEN bot THEN 'bot-first' WHEN agent IS NOT NULL THEN 'round-robin'
                                ELSE 'waiting-for-agent' END, 1
                      FROM input ORDER BY ord
                    ON CONFLICT (conversation_id) DO NOTHING
                    RETURNING %1$s),
                picked AS (
                    UPDATE distribution.conversations c
                       SET state = 'assigned', agent_id = p.agent, previous_agent_id = c.agent_id, bot_since = NULL,
                           waiting_since = NULL, queue_seq = NULL, assigned_at = now(), wait_alerted = false,
                           last_event = 'assigned', last_reason = 'round-robin', version = c.version + 1,
                           updated_at = now()
                      FROM unnest(:picks::uuid[], :pickAgents::text[]) AS p(id, agent)
                     WHERE c.conversation_id = p.id AND c.tenant_id = :tenant AND c.state = 'waiting'
                    RETURNING %2$s),
                loaded AS (
                    UPDATE distribution.agents a SET active = a.active + d.n, updated_at = now()
                      FROM unnest(:loadAgents::text[], :loadCounts::int[]) AS d(agent, n)
                     WHERE a.tenant_id = :tenant AND a.user_id = d.agent AND a.active + d.n <= a.max_concurrent
                    RETURNING 1),
                pointed AS (
                    INSERT INTO distribution.round_robin_pointers (tenant_id, team, last_agent_id)
                    SELECT :tenant, t, a FROM unnest(:pointerTeams::text[], :pointerAgents::text[]) AS p(t, a)
                    ON CONFLICT (tenant_id, team) DO UPDATE SET last_agent_id = excluded.last_agent_id),
                changed AS (SELECT * FROM inserted UNION ALL SELECT * FROM picked)
                SELECT changed.*, (SELECT count(*) FROM inserted)::int AS inserted_count,
                       (SELECT count(*) FROM picked)::int AS picked_count,
                       (SELECT count(*) FROM loaded)::int AS loaded_count
                  FROM (SELECT 1) AS one LEFT JOIN changed ON true"""
                        .formatted(ConversationRow.COLUMNS, ConversationRow.columns("c")))
                .bind("ids", ids).bind("sessions", sessions).bind("phones", phones).bind("ats", ats)
                .bind("bots", bots).bind("teams", teams).bind("skills", skills).bind("agents", agents)
                .bind("tenant", tenantId)
                .bind("picks", picks).bind("pickAgents", pickAgents)
                .bind("loadAgents", loadAgents).bind("loadCounts", loadCounts)
                .bind("pointerTeams", pointerTeams).bind("pointerAgents", pointerAgents)
                .map(row -> {
                    counts[0] = row.get("inserted_count", Integer.class);
                    counts[1] = row.get("picked_count", Integer.class);
                    counts[2] = row.get("loaded_count", Integer.class);
                    return row.get("conversation_id", UUID.class) == null ? Optional.<ConversationRow>empty()
                            : Optional.of(ConversationRow.from(row));
                })
                .all()
                .flatMap(Mono::justOrEmpty)
                .collectList()
                .flatMap(rows -> {
                    if (counts[2] != loadAgents.length) {
                        return Mono.error(new CapacityExceededException(tenantId));
                    }
                    if (counts[0] != n || counts[1] != picks.length) {
                        return Mono.error(new IllegalStateException("Conversations of tenant " + tenantId
                                + " changed under its lock"));
                    }
                    rows.forEach(row -> out.add(row, WAITING.equals(row.state())));
                    recordWaits(plan.since());
                    if (!plan.since().isEmpty()) {
                        log.debug("Tenant {}: {} conversations assigned ({} on arrival)", tenantId,
                                plan.since().size(), plan.freshAgents().size());
                    }
                    return Mono.<Void>empty();
                });
    }

    /** {@code conversa.assignment.wait}: the queue time of each conversation just assigned. */
    private void recordWaits(Map<UUID, OffsetDateTime> since) {
        Instant now = Instant.now();
        since.values().forEach(start -> waited.record(Duration.between(start.toInstant(), now).abs()));
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
