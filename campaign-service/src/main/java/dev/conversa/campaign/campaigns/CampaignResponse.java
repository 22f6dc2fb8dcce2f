package dev.conversa.campaign.campaigns;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** A campaign as the API shows it: the definition, its status and its counters. */
record CampaignResponse(
        UUID id,
        String name,
        String status,
        java.util.List<UUID> sessionIds,
        CampaignRequest.Audience audience,
        dev.conversa.campaign.template.CampaignMessage message,
        CampaignRequest.Schedule schedule,
        int maxAttempts,
        @Nullable String createdBy,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt,
        long version,
        Campaign.Counters counters) {

    static CampaignResponse of(Campaign campaign) {
        CampaignRequest definition = campaign.definition().toRequest();
        return new CampaignResponse(campaign.id(), definition.name(), campaign.status().value(),
                definition.sessionIds(), definition.audience(), definition.message(), definition.schedule(),
                definition.maxAttempts(), campaign.createdBy(), campaign.createdAt(), campaign.updatedAt(),
                campaign.startedAt(), campaign.finishedAt(), campaign.version(), campaign.counters());
    }
}
