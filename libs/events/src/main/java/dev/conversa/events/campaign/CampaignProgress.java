package dev.conversa.events.campaign;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Payload of every {@code conversa.campaign.*.v1} event ({@code started, progress, paused, resumed, finished,
 * cancelled}): the campaign's status and its per-recipient counters at that moment. Counters are totals so far,
 * not deltas, so a consumer that missed an event loses nothing by reading the next one.
 *
 * @param tenantId   the tenant
 * @param campaignId the campaign; also the record key
 * @param name       the campaign's name
 * @param status     the campaign's status
 * @param total      recipients in the campaign
 * @param pending    recipients not sent to yet
 * @param sent       recipients whose message WhatsApp accepted
 * @param delivered  recipients whose phone received it
 * @param read       recipients who read it
 * @param failed     recipients whose message failed for good
 * @param skipped    recipients left out (opted out, invalid number, duplicate)
 * @param occurredAt when the counters were taken
 */
public record CampaignProgress(
        String tenantId,
        UUID campaignId,
        String name,
        CampaignStatus status,
        long total,
        long pending,
        long sent,
        long delivered,
        long read,
        long failed,
        long skipped,
        Instant occurredAt) {

    public CampaignProgress {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(campaignId, "campaignId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
