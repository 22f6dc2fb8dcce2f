package dev.conversa.campaign.campaigns;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * Closes running campaigns that have nothing left to send: no recipient pending (waiting or in back-off) and none
 * queued. Runs in the caller's transaction (the status updates that sent the last recipients, or the campaign
 * ticker); the caller announces the answered events after commit.
 */
@Component
public class CampaignCompletion {

    private final DatabaseClient db;
    private final CampaignRepository campaigns;

    CampaignCompletion(DatabaseClient db, CampaignRepository campaigns) {
        this.db = db;
        this.campaigns = campaigns;
    }

    /** Finishes those of {@code campaignIds} (or every running one, when null) that are done. */
    public Mono<List<CampaignEvents.Announcement>> finishDone(Collection<UUID> campaignIds, Instant now) {
        return finish("id = ANY(:ids::uuid[]) AND ", campaignIds.toArray(UUID[]::new), now);
    }

    public Mono<List<CampaignEvents.Announcement>> finishAllDone(Instant now) {
        return finish("", null, now);
    }

    private Mono<List<CampaignEvents.Announcement>> finish(String filter, UUID[] ids, Instant now) {
        if (ids != null && ids.length == 0) {
            return Mono.just(List.of());
        }
        DatabaseClient.GenericExecuteSpec spec = db.sql("""
                UPDATE campaign.campaigns
                   SET status = 'finished', finished_at = :now, updated_at = :now, version = version + 1
                 WHERE %s status = 'running' AND pending = 0 AND queued = 0
                RETURNING %s""".formatted(filter, CampaignRepository.COLUMNS))
                .bind("now", now);
        if (ids != null) {
            spec = spec.bind("ids", ids);
        }
        return spec.map(campaigns::campaign)
                .all()
                .map(campaign -> CampaignEvents.finished(campaign.progress(now), campaign.version()))
                .collectList();
    }
}
