package dev.conversa.campaign.campaigns;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.conversa.campaign.template.CampaignMessage;

/**
 * The body of {@code POST /api/v1/campaigns} and of {@code PATCH /api/v1/campaigns/{id}} (where every field is
 * optional and replaces the stored one). Checked by {@link CampaignDefinition#of}.
 */
public record CampaignRequest(
        @Nullable String name,
        @Nullable List<UUID> sessionIds,
        @Nullable Audience audience,
        @Nullable CampaignMessage message,
        @Nullable Schedule schedule,
        @Nullable Integer maxAttempts) {

    /** Who receives it: contacts in any of the groups, with any of the tags, or listed by id. */
    public record Audience(@Nullable List<String> groups, @Nullable List<String> tags,
            @Nullable List<UUID> contactIds) {
    }

    /**
     * When it sends.
     *
     * @param startsAt absent: as soon as it is started
     * @param timeZone IANA id, e.g. {@code America/Argentina/Buenos_Aires}; absent: UTC
     * @param window   daily window in that time zone; absent: all day
     * @param days     ISO days of the week (1 = Monday … 7 = Sunday); absent: every day
     */
    public record Schedule(@Nullable Instant startsAt, @Nullable String timeZone, @Nullable Window window,
            @Nullable List<Integer> days) {
    }

    /** {@code HH:mm}; an end before the start spans midnight. */
    public record Window(@Nullable String start, @Nullable String end) {
    }

    /** This request's fields over {@code base}'s (a PATCH). */
    CampaignRequest over(CampaignRequest base) {
        return new CampaignRequest(name != null ? name : base.name, sessionIds != null ? sessionIds : base.sessionIds,
                audience != null ? audience : base.audience, message != null ? message : base.message,
                schedule != null ? schedule : base.schedule, maxAttempts != null ? maxAttempts : base.maxAttempts);
    }
}
