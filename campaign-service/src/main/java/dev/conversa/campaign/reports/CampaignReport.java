package dev.conversa.campaign.reports;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/v1/campaigns/{id}/report}.
 *
 * @param funnel   how many recipients reached each stage (or a later one)
 * @param statuses how many recipients are in each status now
 * @param failures failed recipients by reason, the most frequent first
 */
record CampaignReport(UUID campaignId, String name, String status, @Nullable Instant startedAt,
        @Nullable Instant finishedAt, Funnel funnel, Statuses statuses, Rates rates, List<FailureReason> failures) {

    /**
     * Stages reached, from the campaign's per-status counters: {@code queued} = queued + sent + delivered + read +
     * failed (a recipient fails for good only after an attempt was queued), {@code sent} = sent + delivered + read,
     * {@code delivered} = delivered + read, {@code read} = read.
     */
    record Funnel(long total, long queued, long sent, long delivered, long read) {
    }

    record Statuses(long pending, long queued, long sent, long delivered, long read, long failed, long skipped) {
    }

    /** Each 0..1 with 4 decimals, null when its denominator is 0: delivered / sent and read / delivered. */
    record Rates(@Nullable Double delivery, @Nullable Double read) {
    }

    record FailureReason(String reason, long count) {
    }

    static CampaignReport of(UUID campaignId, String name, String status, @Nullable Instant startedAt,
            @Nullable Instant finishedAt, long total, Statuses now, List<FailureReason> failures) {
        long reachedSent = now.sent() + now.delivered() + now.read();
        long reachedDelivered = now.delivered() + now.read();
        Funnel funnel = new Funnel(total, now.queued() + reachedSent + now.failed(), reachedSent, reachedDelivered,
                now.read());
        Rates rates = new Rates(ratio(reachedDelivered, reachedSent), ratio(now.read(), reachedDelivered));
        return new CampaignReport(campaignId, name, status, startedAt, finishedAt, funnel, now, rates, failures);
    }

    CampaignReport withFailures(List<FailureReason> reasons) {
        return new CampaignReport(campaignId, name, status, startedAt, finishedAt, funnel, statuses, rates,
                List.copyOf(reasons));
    }

    private static @Nullable Double ratio(long part, long whole) {
        return whole == 0 ? null : Math.round(part * 10_000.0 / whole) / 10_000.0;
    }
}
