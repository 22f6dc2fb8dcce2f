package dev.conversa.campaign.campaigns;

import java.util.List;

import org.springframework.stereotype.Component;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.campaign.CampaignProgress;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.messaging.EventPublisher;
import dev.conversa.messaging.OutgoingEvent;
import dev.conversa.web.id.Uuids;
import reactor.core.publisher.Mono;

/**
 * Publishes {@code conversa.campaign.*.v1} on {@code crm.campaign.events}, keyed by campaign. A lifecycle event's id
 * derives from (campaign, type, version after the transition), a progress event's from (campaign, time of the
 * counters), so announcing the same thing again duplicates nothing for consumers that deduplicate on {@code ce_id}.
 */
@Component
public class CampaignEvents {

    static final String SOURCE = "/campaign-service";

    private final EventPublisher publisher;

    public CampaignEvents(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /** One event to announce. */
    public record Announcement(String type, CampaignProgress progress, String discriminator) {
    }

    public static Announcement finished(CampaignProgress progress, long version) {
        return new Announcement(EventTypes.CAMPAIGN_FINISHED, progress, Long.toString(version));
    }

    public Mono<Void> announce(List<Announcement> announcements) {
        if (announcements.isEmpty()) {
            return Mono.empty();
        }
        return publisher.publishAll(Topics.CRM_CAMPAIGN_EVENTS, announcements.stream().map(CampaignEvents::event)
                .toList());
    }

    private static OutgoingEvent event(Announcement announcement) {
        CampaignProgress progress = announcement.progress();
        String campaignId = progress.campaignId().toString();
        EventMetadata metadata = new EventMetadata(
                Uuids.named("campaign-event", campaignId, announcement.type(), announcement.discriminator())
                        .toString(),
                announcement.type(), SOURCE, progress.occurredAt(), campaignId, progress.tenantId(), null);
        return new OutgoingEvent(metadata, progress, campaignId);
    }
}
