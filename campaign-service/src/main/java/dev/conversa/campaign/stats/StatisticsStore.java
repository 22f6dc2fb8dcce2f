package dev.conversa.campaign.stats;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.conversa.campaign.stats.StatisticsBatch.ContactCounts;
import dev.conversa.campaign.stats.StatisticsBatch.ContactKey;
import dev.conversa.campaign.stats.StatisticsBatch.Counts;
import dev.conversa.campaign.stats.StatisticsBatch.DayKey;
import dev.conversa.campaign.stats.StatisticsBatch.GroupDayKey;
import dev.conversa.campaign.stats.StatisticsBatch.ReasonKey;
import reactor.core.publisher.Mono;

/**
 * Keeps the monthly, daily, per-group and per-contact statistics up to date, incrementally, from recipient outcomes.
 * Called by the dispatch feature inside the transaction that changes the recipients, so statistics and recipients
 * never disagree.
 *
 * <p>A call adds its outcomes up in memory ({@link StatisticsBatch}) and then runs at most one
 * {@code INSERT … SELECT FROM unnest(…) ON CONFLICT DO UPDATE} per table ({@code stats_daily},
 * {@code stats_group_daily}, {@code stats_contact}, {@code stats_failure_reasons}), always in that table order and
 * with the rows sorted by key, so concurrent calls lock rows in the same order and cannot deadlock. It uses the
 * injected {@link DatabaseClient}, so it joins the caller's R2DBC transaction through the Reactor context.
 */
@Component
public class StatisticsStore {

    private final DatabaseClient db;

    public StatisticsStore(DatabaseClient db) {
        this.db = db;
    }

    /** Applies the outcomes (in the caller's transaction). */
    public Mono<Void> record(List<RecipientOutcome> outcomes) {
        if (outcomes.isEmpty()) {
            return Mono.empty();
        }
        return Mono.defer(() -> {
            StatisticsBatch batch = StatisticsBatch.of(outcomes);
            return daily(batch.daily())
                    .then(groups(batch.groups()))
                    .then(contacts(batch.contacts()))
                    .then(failureReasons(batch.failureReasons()));
        });
    }

    private Mono<Void> daily(SortedMap<DayKey, Counts> rows) {
        if (rows.isEmpty()) {
            return Mono.empty();
        }
        return counted(db.sql("""
                INSERT INTO campaign.stats_daily AS s (tenant_id, day, sent, delivered, read, failed)
                SELECT u.tenant_id, u.day::date, u.sent, u.delivered, u.read, u.failed
                  FROM unnest(:tenants::text[], :days::text[], :sent::bigint[], :delivered::bigint[],
                              :read::bigint[], :failed::bigint[]) WITH ORDINALITY
                       AS u(tenant_id, day, sent, delivered, read, failed, n)
                 ORDER BY u.n
                ON CONFLICT (tenant_id, day) DO UPDATE
                   SET sent = s.sent + EXCLUDED.sent, delivered = s.delivered + EXCLUDED.delivered,
                       read = s.read + EXCLUDED.read, failed = s.failed + EXCLUDED.failed""")
                .bind("tenants", column(rows, DayKey::tenantId, String[]::new))
                .bind("days", column(rows, key -> key.day().toString(), String[]::new)), rows)
                .then();
    }

    private Mono<Void> groups(SortedMap<GroupDayKey, Counts> rows) {
        if (rows.isEmpty()) {
            return Mono.empty();
        }
        return counted(db.sql("""
                INSERT INTO campaign.stats_group_daily AS s (tenant_id, day, group_name, sent, delivered, read, failed)
                SELECT u.tenant_id, u.day::date, u.group_name, u.sent, u.delivered, u.read, u.failed
                  FROM unnest(:tenants::text[], :days::text[], :groups::text[], :sent::bigint[],
                              :delivered::bigint[], :read::bigint[], :failed::bigint[]) WITH ORDINALITY
                       AS u(tenant_id, day, group_name, sent, delivered, read, failed, n)
                 ORDER BY u.n
                ON CONFLICT (tenant_id, day, group_name) DO UPDATE
                   SET sent = s.sent + EXCLUDED.sent, delivered = s.delivered + EXCLUDED.delivered,
                       read = s.read + EXCLUDED.read, failed = s.failed + EXCLUDED.failed""")
                .bind("tenants", column(rows, GroupDayKey::tenantId, String[]::new))
                .bind("days", column(rows, key -> key.day().toString(), String[]::new))
                .bind("groups", column(rows, GroupDayKey::group, String[]::new)), rows)
                .then();
    }

    private Mono<Void> contacts(SortedMap<ContactKey, ContactCounts> rows) {
        if (rows.isEmpty()) {
            return Mono.empty();
        }
        int n = rows.size();
        String[] tenants = new String[n];
        String[] phones = new String[n];
        UUID[] contactIds = new UUID[n];
        Long[] sent = new Long[n];
        Long[] delivered = new Long[n];
        Long[] read = new Long[n];
        Long[] failed = new Long[n];
        String[] lastAt = new String[n];
        int i = 0;
        for (Map.Entry<ContactKey, ContactCounts> row : rows.entrySet()) {
            tenants[i] = row.getKey().tenantId();
            phones[i] = row.getKey().phone();
            contactIds[i] = row.getValue().contactId();
            Counts counts = row.getValue().counts();
            sent[i] = counts.sent();
            delivered[i] = counts.delivered();
            read[i] = counts.read();
            failed[i] = counts.failed();
            lastAt[i] = row.getValue().lastAt().toString();
            i++;
        }
        return db.sql("""
                INSERT INTO campaign.stats_contact AS s (tenant_id, phone, contact_id, sent, delivered, read, failed,
                                                         last_at)
                SELECT u.tenant_id, u.phone, u.contact_id, u.sent, u.delivered, u.read, u.failed,
                       u.last_at::timestamptz
                  FROM unnest(:tenants::text[], :phones::text[], :contactIds::uuid[], :sent::bigint[],
                              :delivered::bigint[], :read::bigint[], :failed::bigint[], :lastAt::text[])
                       WITH ORDINALITY AS u(tenant_id, phone, contact_id, sent, delivered, read, failed, last_at, n)
                 ORDER BY u.n
                ON CONFLICT (tenant_id, phone) DO UPDATE
                   SET sent = s.sent + EXCLUDED.sent, delivered = s.delivered + EXCLUDED.delivered,
                       read = s.read + EXCLUDED.read, failed = s.failed + EXCLUDED.failed,
                       contact_id = coalesce(EXCLUDED.contact_id, s.contact_id),
                       last_at = greatest(s.last_at, EXCLUDED.last_at)""")
                .bind("tenants", tenants)
                .bind("phones", phones)
                .bind("contactIds", contactIds)
                .bind("sent", sent)
                .bind("delivered", delivered)
                .bind("read", read)
                .bind("failed", failed)
                .bind("lastAt", lastAt)
                .then();
    }

    private Mono<Void> failureReasons(SortedMap<ReasonKey, Long> rows) {
        if (rows.isEmpty()) {
            return Mono.empty();
        }
        return db.sql("""
                INSERT INTO campaign.stats_failure_reasons AS s (tenant_id, campaign_id, reason, count)
                SELECT u.tenant_id, u.campaign_id, u.reason, u.count
                  FROM unnest(:tenants::text[], :campaigns::uuid[], :reasons::text[], :counts::bigint[])
                       WITH ORDINALITY AS u(tenant_id, campaign_id, reason, count, n)
                 ORDER BY u.n
                ON CONFLICT (tenant_id, campaign_id, reason) DO UPDATE SET count = s.count + EXCLUDED.count""")
                .bind("tenants", column(rows, ReasonKey::tenantId, String[]::new))
                .bind("campaigns", column(rows, ReasonKey::campaignId, UUID[]::new))
                .bind("reasons", column(rows, ReasonKey::reason, String[]::new))
                .bind("counts", rows.values().toArray(Long[]::new))
                .then();
    }

    /** Binds the four counters of each row, in key order. */
    private static <K> DatabaseClient.GenericExecuteSpec counted(DatabaseClient.GenericExecuteSpec spec,
            SortedMap<K, Counts> rows) {
        return spec
                .bind("sent", rows.values().stream().map(Counts::sent).toArray(Long[]::new))
                .bind("delivered", rows.values().stream().map(Counts::delivered).toArray(Long[]::new))
                .bind("read", rows.values().stream().map(Counts::read).toArray(Long[]::new))
                .bind("failed", rows.values().stream().map(Counts::failed).toArray(Long[]::new));
    }

    private static <K, V, T> T[] column(SortedMap<K, V> rows, Function<K, T> value,
            IntFunction<T[]> array) {
        return rows.keySet().stream().map(value).toArray(array);
    }
}
