package dev.conversa.message.status;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.conversa.message.inbox.IngestProperties;
import dev.conversa.web.periodic.PeriodicRound;
import reactor.core.publisher.Mono;

/**
 * Every {@code conversa.message.ingest.early-status-purge-interval}, deletes parked statuses older than
 * {@code early-status-max-age}: statuses of messages that were not sent through Conversa (from the phone …) never
 * find their message. Running it on every instance at once is harmless.
 */
@Component
class EarlyStatusPurge implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EarlyStatusPurge.class);

    private final EarlyStatuses early;
    private final IngestProperties properties;
    private final PeriodicRound rounds;

    EarlyStatusPurge(EarlyStatuses early, IngestProperties properties) {
        this.early = early;
        this.properties = properties;
        this.rounds = new PeriodicRound(EarlyStatusPurge.class, "Purging early statuses",
                properties.earlyStatusPurgeInterval(), this::purgeOnce);
    }

    Mono<Long> purgeOnce() {
        return early.purgeOlderThan(properties.earlyStatusMaxAge())
                .doOnNext(deleted -> {
                    if (deleted > 0) {
                        log.info("Purged {} early statuses older than {} that never found their message", deleted,
                                properties.earlyStatusMaxAge());
                    }
                });
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
