package dev.conversa.campaign.campaigns;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.conversa.events.EventTypes;
import dev.conversa.web.periodic.PeriodicRound;
import reactor.core.publisher.Mono;

/**
 * The campaigns' clockwork, on every instance (row updates make each change happen once): starts scheduled
 * campaigns whose time came (announced as {@code started} again, with status running), finishes running ones with nothing left to send, and every
 * {@code progress-interval} announces the counters of running campaigns that changed since their last announcement.
 */
@Component
class CampaignTicker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CampaignTicker.class);

    private final DatabaseClient db;
    private final CampaignRepository campaigns;
    private final CampaignCompletion completion;
    private final CampaignEvents events;
    private final CampaignProperties properties;
    private final TransactionalOperator transaction;
    private final Clock clock;
    private final PeriodicRound rounds;
    private volatile Instant lastProgress = Instant.EPOCH;

    CampaignTicker(DatabaseClient db, CampaignRepository campaigns, CampaignCompletion completion,
            CampaignEvents events, CampaignProperties properties, TransactionalOperator transaction, Clock clock) {
        this.db = db;
        this.campaigns = campaigns;
        this.completion = completion;
        this.events = events;
        this.properties = properties;
        this.transaction = transaction;
        this.clock = clock;
        this.rounds = new PeriodicRound(CampaignTicker.class, "Campaign tick", properties.tickInterval(), this::tick);
    }

    /** One round: activate, finish, and (when due) announce progress. */
    Mono<Void> tick() {
        Instant now = clock.instant();
        Mono<List<CampaignEvents.Announcement>> changes = activate(now)
                .flatMap(started -> completion.finishAllDone(now).map(finished -> {
                    List<CampaignEvents.Announcement> all = new ArrayList<>(started);
                    all.addAll(finished);
                    return all;
                }))
                .as(transaction::transactional);
        return changes.flatMap(events::announce)
                .then(Mono.defer(() -> {
                    Instant at = clock.instant();
                    if (at.isAfter(lastProgress) && at.isBefore(lastProgress.plus(properties.progressInterval()))) {
                        return Mono.empty();
                    }
                    lastProgress = at;
                    return progress(at);
                }));
    }

    /** Scheduled campaigns whose time came start running, announced as started again (now running). */
    private Mono<List<CampaignEvents.Announcement>> activate(Instant now) {
        return db.sql("""
                UPDATE campaign.campaigns SET status = 'running', updated_at = :now, version = version + 1
                 WHERE status = 'scheduled' AND starts_at <= :now
                RETURNING\s""" + CampaignRepository.COLUMNS)
                .bind("now", now)
                .map(campaigns::campaign)
                .all()
                .doOnNext(campaign -> log.info("Scheduled campaign {} of tenant {} is running", campaign.id(),
                        campaign.tenantId()))
                .map(campaign -> new CampaignEvents.Announcement(EventTypes.CAMPAIGN_STARTED,
                        campaign.progress(now), Long.toString(campaign.version())))
                .collectList();
    }

    /** Progress of running campaigns whose counters changed since they were last announced. */
    Mono<Void> progress(Instant now) {
        return db.sql("""
                UPDATE campaign.campaigns SET progress_published_at = :now
                 WHERE status = 'running' AND updated_at > coalesce(progress_published_at, '-infinity')
                RETURNING\s""" + CampaignRepository.COLUMNS)
                .bind("now", now)
                .map(campaigns::campaign)
                .all()
                .map(campaign -> new CampaignEvents.Announcement(EventTypes.CAMPAIGN_PROGRESS,
                        campaign.progress(now), Long.toString(now.toEpochMilli())))
                .collectList()
                .flatMap(events::announce);
    }

    @Override
    public void start() {
        rounds.start();
    }

    @Override
    public void stop() {
        rounds.stop();
    }

    @Override
    public boolean isRunning() {
        return rounds.isRunning();
    }
}
