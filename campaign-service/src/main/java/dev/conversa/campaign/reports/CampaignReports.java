package dev.conversa.campaign.reports;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.conversa.campaign.reports.CampaignReport.FailureReason;
import dev.conversa.campaign.reports.CampaignReport.Statuses;
import dev.conversa.web.problem.ApiException;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads behind a campaign's report and CSV export: the campaign row's counters, its failure-reason aggregate, and its
 * recipients a page at a time in id order (keyset on {@code recipients_campaign_id_idx}). Another tenant's campaign
 * is not found.
 */
@Component
class CampaignReports {

    static final int MAX_FAILURE_REASONS = 100;

    private final DatabaseClient db;
    private final int pageSize;

    CampaignReports(DatabaseClient db, StatsProperties properties) {
        this.db = db;
        this.pageSize = properties.exportPageSize();
    }

    /** The report, or 404 when the tenant has no such campaign. */
    Mono<CampaignReport> report(String tenantId, UUID campaignId) {
        return db.sql("""
                SELECT id, name, status, started_at, finished_at, total, pending, queued, sent, delivered, read,
                       failed, skipped
                  FROM campaign.campaigns
                 WHERE id = :id AND tenant_id = :tenant""")
                .bind("id", campaignId)
                .bind("tenant", tenantId)
                .map(row -> CampaignReport.of(campaignId, row.get("name", String.class),
                        row.get("status", String.class), instant(row, "started_at"), instant(row, "finished_at"),
                        number(row, "total"), new Statuses(number(row, "pending"), number(row, "queued"),
                                number(row, "sent"), number(row, "delivered"), number(row, "read"),
                                number(row, "failed"), number(row, "skipped")),
                        List.of()))
                .one()
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("campaign", campaignId)))
                .flatMap(report -> failureReasons(tenantId, campaignId).map(report::withFailures));
    }

    private Mono<List<FailureReason>> failureReasons(String tenantId, UUID campaignId) {
        return db.sql("""
                SELECT reason, count
                  FROM campaign.stats_failure_reasons
                 WHERE tenant_id = :tenant AND campaign_id = :campaign
                 ORDER BY count DESC, reason
                 LIMIT :limit""")
                .bind("tenant", tenantId)
                .bind("campaign", campaignId)
                .bind("limit", MAX_FAILURE_REASONS)
                .map(row -> new FailureReason(row.get("reason", String.class), number(row, "count")))
                .all()
                .collectList();
    }

    /** Completes empty when the tenant has the campaign, with 404 otherwise. */
    Mono<Void> requireCampaign(String tenantId, UUID campaignId) {
        return db.sql("SELECT 1 FROM campaign.campaigns WHERE id = :id AND tenant_id = :tenant")
                .bind("id", campaignId)
                .bind("tenant", tenantId)
                .map(row -> 1)
                .one()
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("campaign", campaignId)))
                .then();
    }

    /**
     * The campaign's recipients in id order, one list per page of {@code conversa.stats.export-page-size}; the next
     * page is read only when the previous one has been consumed. Pages are separate queries: a recipient that changes
     * during the export shows the state its page read.
     */
    Flux<List<ResultsCsv.Row>> results(String tenantId, UUID campaignId) {
        return page(tenantId, campaignId, null)
                .expand(rows -> rows.size() < pageSize ? Mono.empty()
                        : page(tenantId, campaignId, rows.getLast().id()))
                .filter(rows -> !rows.isEmpty());
    }

    private Mono<List<ResultsCsv.Row>> page(String tenantId, UUID campaignId, @Nullable UUID after) {
        String sql = """
                SELECT id, phone, name, status, attempt, sent_at, delivered_at, read_at, failed_at, error_code,
                       failure_reason, skip_reason
                  FROM campaign.recipients
                 WHERE campaign_id = :campaign AND tenant_id = :tenant %s
                 ORDER BY id
                 LIMIT :limit""".formatted(after == null ? "" : "AND id > :after");
        DatabaseClient.GenericExecuteSpec spec = db.sql(sql)
                .bind("campaign", campaignId)
                .bind("tenant", tenantId)
                .bind("limit", pageSize);
        if (after != null) {
            spec = spec.bind("after", after);
        }
        return spec.map(row -> new ResultsCsv.Row(row.get("id", UUID.class), row.get("phone", String.class),
                        row.get("name", String.class), row.get("status", String.class),
                        row.get("attempt", Integer.class), instant(row, "sent_at"), instant(row, "delivered_at"),
                        instant(row, "read_at"), instant(row, "failed_at"), row.get("error_code", Integer.class),
                        row.get("failure_reason", String.class), row.get("skip_reason", String.class)))
                .all()
                .collectList();
    }

    private static long number(Readable row, String column) {
        Long value = row.get(column, Long.class);
        return value == null ? 0 : value;
    }

    private static @Nullable Instant instant(Readable row, String column) {
        OffsetDateTime value = row.get(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
