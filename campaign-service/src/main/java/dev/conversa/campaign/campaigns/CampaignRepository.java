package dev.conversa.campaign.campaigns;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;

import dev.conversa.campaign.template.CampaignMessage;
import dev.conversa.events.campaign.CampaignStatus;
import dev.conversa.web.paging.KeysetCursor;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** {@code campaign.campaigns}: every query scoped to a tenant. */
@Repository
class CampaignRepository {

    static final String COLUMNS = """
            id, tenant_id, name, status, session_ids, audience::text AS audience, message::text AS message, time_zone,
            starts_at, window_start, window_end, days, max_attempts, created_by, created_at, updated_at, started_at,
            finished_at, version, total, pending, queued, sent, delivered, read, failed, skipped""";

    private final DatabaseClient db;
    private final JsonMapper json;

    CampaignRepository(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /** Inserts a draft; empty when the tenant already created one with this idempotency key. */
    Mono<UUID> insert(UUID id, String tenantId, CampaignDefinition definition, String createdBy,
            @Nullable String idempotencyKey, String requestHash, Instant now) {
        GenericExecuteSpec spec = db.sql("""
                INSERT INTO campaign.campaigns (id, tenant_id, name, status, session_ids, audience, message, time_zone,
                       starts_at, window_start, window_end, days, max_attempts, created_by, idempotency_key,
                       request_hash, created_at, updated_at)
                VALUES (:id, :tenant, :name, 'draft', :sessions::uuid[], :audience::jsonb, :message::jsonb, :zone,
                        :startsAt, :windowStart, :windowEnd, :days::smallint[], :maxAttempts, :createdBy, :key,
                        :hash, :now, :now)
                ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
                RETURNING id""")
                .bind("id", id)
                .bind("tenant", tenantId)
                .bind("createdBy", createdBy)
                .bind("hash", requestHash)
                .bind("now", now);
        spec = bindDefinition(spec, definition);
        spec = nullable(spec, "key", idempotencyKey, String.class);
        return spec.map(row -> row.get("id", UUID.class)).one();
    }

    /** The campaign created with {@code key} and the hash of its request. */
    Mono<Keyed> findByIdempotencyKey(String tenantId, String key) {
        return db.sql("SELECT id, request_hash FROM campaign.campaigns WHERE tenant_id = :tenant "
                        + "AND idempotency_key = :key")
                .bind("tenant", tenantId)
                .bind("key", key)
                .map(row -> new Keyed(row.get("id", UUID.class), row.get("request_hash", String.class)))
                .one();
    }

    record Keyed(UUID id, @Nullable String requestHash) {
    }

    Mono<Campaign> find(String tenantId, UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM campaign.campaigns WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenantId)
                .bind("id", id)
                .map(this::campaign)
                .one();
    }

    /** The campaign, its row locked until the transaction ends. */
    Mono<Campaign> lock(String tenantId, UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM campaign.campaigns WHERE tenant_id = :tenant AND id = :id "
                        + "FOR UPDATE")
                .bind("tenant", tenantId)
                .bind("id", id)
                .map(this::campaign)
                .one();
    }

    /** A page in creation order, newest first, after the cursor's item. */
    Flux<Campaign> list(String tenantId, Set<CampaignStatus> statuses, @Nullable KeysetCursor after, int limit) {
        String where = "tenant_id = :tenant"
                + (statuses.isEmpty() ? "" : " AND status = ANY(:statuses::text[])")
                + (after == null ? "" : " AND (created_at, id) < (:afterAt, :afterId)");
        GenericExecuteSpec spec = db.sql("SELECT " + COLUMNS + " FROM campaign.campaigns WHERE " + where
                        + " ORDER BY created_at DESC, id DESC LIMIT :limit")
                .bind("tenant", tenantId)
                .bind("limit", limit);
        if (!statuses.isEmpty()) {
            spec = spec.bind("statuses", statuses.stream().map(CampaignStatus::value).toArray(String[]::new));
        }
        if (after != null) {
            spec = spec.bind("afterAt", after.at()).bind("afterId", after.id());
        }
        return spec.map(this::campaign).all();
    }

    /** Replaces a draft's definition, bumping its version. */
    Mono<Campaign> updateDefinition(String tenantId, UUID id, CampaignDefinition definition, Instant now) {
        GenericExecuteSpec spec = db.sql("""
                UPDATE campaign.campaigns
                   SET name = :name, session_ids = :sessions::uuid[], audience = :audience::jsonb,
                       message = :message::jsonb, time_zone = :zone, starts_at = :startsAt,
                       window_start = :windowStart, window_end = :windowEnd, days = :days::smallint[],
                       max_attempts = :maxAttempts, version = version + 1, updated_at = :now
                 WHERE tenant_id = :tenant AND id = :id AND status = 'draft'
                RETURNING\s""" + COLUMNS)
                .bind("tenant", tenantId)
                .bind("id", id)
                .bind("now", now);
        return bindDefinition(spec, definition).map(this::campaign).one();
    }

    Mono<Long> deleteDraft(String tenantId, UUID id) {
        return db.sql("DELETE FROM campaign.campaigns WHERE tenant_id = :tenant AND id = :id AND status = 'draft'")
                .bind("tenant", tenantId)
                .bind("id", id)
                .fetch()
                .rowsUpdated();
    }

    /** Moves the (locked) campaign to {@code to}, bumping its version. */
    Mono<Campaign> transition(UUID id, CampaignStatus to, Instant now) {
        return db.sql("""
                UPDATE campaign.campaigns
                   SET status = :to, version = version + 1, updated_at = :now,
                       started_at = CASE WHEN :to IN ('scheduled', 'running') THEN coalesce(started_at, :now)
                                         ELSE started_at END,
                       finished_at = CASE WHEN :to IN ('finished', 'cancelled') THEN :now ELSE finished_at END
                 WHERE id = :id
                RETURNING\s""" + COLUMNS)
                .bind("id", id)
                .bind("to", to.value())
                .bind("now", now)
                .map(this::campaign)
                .one();
    }

    /**
     * Materialises the audience as recipients in one {@code INSERT … SELECT}: opted-out contacts as
     * {@code skipped}/{@code opted_out}, sessions assigned round robin, one recipient per phone; then sets the
     * counters from what was inserted and makes sure every session has its pacing row, whose next slot is not
     * before now (an idle session banks no burst for a new campaign). Answers the recipient count.
     */
    Mono<Long> materialise(Campaign campaign, Instant now) {
        CampaignDefinition definition = campaign.definition();
        UUID[] sessions = definition.sessionIds().toArray(UUID[]::new);
        return db.sql("""
                INSERT INTO campaign.recipients (id, campaign_id, tenant_id, contact_id, phone, name, groups,
                       attributes, session_id, status, skip_reason, next_attempt_at, updated_at)
                SELECT gen_random_uuid(), :campaign, c.tenant_id, c.id, c.phone, c.name, c.groups, c.attributes,
                       (:sessions::uuid[])[1 + ((row_number() OVER (ORDER BY c.id) - 1) % :n)],
                       CASE WHEN c.opted_out THEN 'skipped' ELSE 'pending' END,
                       CASE WHEN c.opted_out THEN 'opted_out' END,
                       :now, :now
                  FROM campaign.contacts c
                 WHERE c.tenant_id = :tenant
                   AND (c.groups && :groups::text[] OR c.tags && :tags::text[] OR c.id = ANY(:ids::uuid[]))
                ON CONFLICT (campaign_id, phone) DO NOTHING""")
                .bind("campaign", campaign.id())
                .bind("tenant", campaign.tenantId())
                .bind("sessions", sessions)
                .bind("n", sessions.length)
                .bind("groups", definition.audience().groups().toArray(String[]::new))
                .bind("tags", definition.audience().tags().toArray(String[]::new))
                .bind("ids", definition.audience().contactIds().toArray(UUID[]::new))
                .bind("now", now)
                .fetch()
                .rowsUpdated()
                .flatMap(inserted -> db.sql("""
                        UPDATE campaign.campaigns c
                           SET total = r.total, pending = r.pending, skipped = r.skipped, queued = 0, sent = 0,
                               delivered = 0, read = 0, failed = 0, updated_at = :now
                          FROM (SELECT count(*) AS total, count(*) FILTER (WHERE status = 'pending') AS pending,
                                       count(*) FILTER (WHERE status = 'skipped') AS skipped
                                  FROM campaign.recipients WHERE campaign_id = :campaign) r
                         WHERE c.id = :campaign""")
                        .bind("campaign", campaign.id())
                        .bind("now", now)
                        .fetch()
                        .rowsUpdated()
                        .then(db.sql("""
                                INSERT INTO campaign.session_pacing (session_id, tenant_id, next_send_at)
                                SELECT s, :tenant, :now FROM unnest(:sessions::uuid[]) AS s
                                ON CONFLICT (session_id) DO UPDATE
                                   SET next_send_at = greatest(session_pacing.next_send_at, EXCLUDED.next_send_at)
                                 WHERE session_pacing.tenant_id = EXCLUDED.tenant_id""")
                                .bind("tenant", campaign.tenantId())
                                .bind("sessions", sessions)
                                .bind("now", now)
                                .fetch()
                                .rowsUpdated())
                        .thenReturn(inserted));
    }

    private GenericExecuteSpec bindDefinition(GenericExecuteSpec spec, CampaignDefinition definition) {
        GenericExecuteSpec bound = spec
                .bind("name", definition.name())
                .bind("sessions", definition.sessionIds().toArray(UUID[]::new))
                .bind("audience", json.writeValueAsString(definition.audience()))
                .bind("message", json.writeValueAsString(definition.message()))
                .bind("zone", definition.timeZone().getId())
                .bind("days", definition.days().stream().sorted().toArray(Integer[]::new))
                .bind("maxAttempts", definition.maxAttempts());
        bound = nullable(bound, "startsAt", definition.startsAt(), Instant.class);
        bound = nullable(bound, "windowStart", definition.windowStart(), LocalTime.class);
        return nullable(bound, "windowEnd", definition.windowEnd(), LocalTime.class);
    }

    static <T> GenericExecuteSpec nullable(GenericExecuteSpec spec, String name, @Nullable T value, Class<T> type) {
        return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
    }

    Campaign campaign(Readable row) {
        UUID[] sessions = row.get("session_ids", UUID[].class);
        Short[] days = row.get("days", Short[].class);
        CampaignDefinition definition = new CampaignDefinition(
                row.get("name", String.class),
                sessions == null ? List.of() : List.of(sessions),
                json.readValue(row.get("audience", String.class), CampaignRequest.Audience.class),
                json.readValue(row.get("message", String.class), CampaignMessage.class),
                row.get("starts_at", Instant.class),
                ZoneId.of(row.get("time_zone", String.class)),
                row.get("window_start", LocalTime.class),
                row.get("window_end", LocalTime.class),
                days == null ? Set.of() : Arrays.stream(days).map(Short::intValue).collect(Collectors.toSet()),
                row.get("max_attempts", Integer.class));
        return new Campaign(row.get("id", UUID.class), row.get("tenant_id", String.class),
                CampaignStatus.fromValue(row.get("status", String.class)), definition,
                row.get("created_by", String.class), row.get("created_at", Instant.class),
                row.get("updated_at", Instant.class), row.get("started_at", Instant.class),
                row.get("finished_at", Instant.class), row.get("version", Long.class),
                new Campaign.Counters(number(row, "total"), number(row, "pending"), number(row, "queued"),
                        number(row, "sent"), number(row, "delivered"), number(row, "read"), number(row, "failed"),
                        number(row, "skipped")));
    }

    private static long number(Readable row, String column) {
        Long value = row.get(column, Long.class);
        return value == null ? 0 : value;
    }

    static String[] texts(Collection<String> values) {
        return values.toArray(String[]::new);
    }
}
