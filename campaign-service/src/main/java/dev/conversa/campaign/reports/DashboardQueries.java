package dev.conversa.campaign.reports;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.conversa.campaign.reports.DashboardViews.Contact;
import dev.conversa.campaign.reports.DashboardViews.Group;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads of the statistics tables ({@code V4__statistics.sql}): every query is an index range of pre-aggregated rows
 * of one tenant (at most 366 days, or the first {@code limit} rows of an index), never a scan of recipients.
 */
@Component
class DashboardQueries {

    private final DatabaseClient db;

    DashboardQueries(DatabaseClient db) {
        this.db = db;
    }

    /** The sum of the period's daily rows. */
    Mono<Figures> total(String tenantId, Period period) {
        return db.sql("""
                SELECT coalesce(sum(sent), 0)::bigint AS sent, coalesce(sum(delivered), 0)::bigint AS delivered,
                       coalesce(sum(read), 0)::bigint AS read, coalesce(sum(failed), 0)::bigint AS failed
                  FROM campaign.stats_daily
                 WHERE tenant_id = :tenant AND day BETWEEN :from AND :to""")
                .bind("tenant", tenantId)
                .bind("from", period.from())
                .bind("to", period.to())
                .map(DashboardQueries::figures)
                .one()
                .defaultIfEmpty(Figures.ZERO);
    }

    /** The period's daily rows by day; days without a row are absent. */
    Mono<Map<LocalDate, Figures>> daily(String tenantId, Period period) {
        return db.sql("""
                SELECT day, sent, delivered, read, failed
                  FROM campaign.stats_daily
                 WHERE tenant_id = :tenant AND day BETWEEN :from AND :to
                 ORDER BY day""")
                .bind("tenant", tenantId)
                .bind("from", period.from())
                .bind("to", period.to())
                .map(row -> Map.entry(row.get("day", LocalDate.class), figures(row)))
                .all()
                .collect(LinkedHashMap::new, (map, entry) -> map.put(entry.getKey(), entry.getValue()));
    }

    /** Per group over the period, the most sent first, at most {@code limit} groups. */
    Flux<Group> groups(String tenantId, Period period, int limit) {
        return db.sql("""
                SELECT group_name, sum(sent)::bigint AS sent, sum(delivered)::bigint AS delivered,
                       sum(read)::bigint AS read, sum(failed)::bigint AS failed
                  FROM campaign.stats_group_daily
                 WHERE tenant_id = :tenant AND day BETWEEN :from AND :to
                 GROUP BY group_name
                 ORDER BY sum(sent) DESC, group_name
                 LIMIT :limit""")
                .bind("tenant", tenantId)
                .bind("from", period.from())
                .bind("to", period.to())
                .bind("limit", limit)
                .map(row -> {
                    String name = row.get("group_name", String.class);
                    Figures figures = figures(row);
                    return new Group(name == null || name.isEmpty() ? null : name, figures.sent(),
                            figures.delivered(), figures.read(), figures.failed());
                })
                .all();
    }

    /** The contacts sent the most messages (all time), ties by phone; their current name when they still exist. */
    Flux<Contact> topContacts(String tenantId, int limit) {
        return db.sql("""
                SELECT s.phone, s.contact_id, c.name, s.sent, s.delivered, s.read, s.failed, s.last_at
                  FROM campaign.stats_contact s
                  LEFT JOIN campaign.contacts c ON c.id = s.contact_id AND c.tenant_id = s.tenant_id
                 WHERE s.tenant_id = :tenant
                 ORDER BY s.sent DESC, s.phone
                 LIMIT :limit""")
                .bind("tenant", tenantId)
                .bind("limit", limit)
                .map(row -> {
                    Figures figures = figures(row);
                    return new Contact(row.get("phone", String.class), row.get("contact_id", UUID.class),
                            row.get("name", String.class), figures.sent(), figures.delivered(), figures.read(),
                            figures.failed(), instant(row.get("last_at", OffsetDateTime.class)));
                })
                .all();
    }

    private static Figures figures(Readable row) {
        return new Figures(number(row, "sent"), number(row, "delivered"), number(row, "read"),
                number(row, "failed"));
    }

    private static long number(Readable row, String column) {
        Long value = row.get(column, Long.class);
        return value == null ? 0 : value;
    }

    private static Instant instant(OffsetDateTime value) {
        return value.toInstant();
    }
}
