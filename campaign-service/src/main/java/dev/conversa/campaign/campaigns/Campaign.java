package dev.conversa.campaign.campaigns;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.conversa.events.campaign.CampaignProgress;
import dev.conversa.events.campaign.CampaignStatus;

/** A stored campaign: its definition, lifecycle and per-recipient counters (current status of each recipient). */
record Campaign(
        UUID id,
        String tenantId,
        CampaignStatus status,
        CampaignDefinition definition,
        @Nullable String createdBy,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt,
        long version,
        Counters counters) {

    /** How many recipients are in each status; they add up to {@code total}. */
    record Counters(long total, long pending, long queued, long sent, long delivered, long read, long failed,
            long skipped) {
    }

    CampaignProgress progress(Instant at) {
        return progress(id, tenantId, definition.name(), status, counters, at);
    }

    static CampaignProgress progress(UUID id, String tenantId, String name, CampaignStatus status, Counters counters,
            Instant at) {
        // the event's pending counts every recipient not sent to yet: waiting ones and those queued
        return new CampaignProgress(tenantId, id, name, status, counters.total(),
                counters.pending() + counters.queued(), counters.sent(), counters.delivered(), counters.read(),
                counters.failed(), counters.skipped(), at);
    }
}
