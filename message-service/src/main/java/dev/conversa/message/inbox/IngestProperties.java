package dev.conversa.message.inbox;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How message-service's consumers write what they read ({@code conversa.message.ingest.*}).
 *
 * @param batchSize                most records written in one transaction (one {@code unnest} insert)
 * @param maxWait                  longest a record waits for its batch to fill
 * @param lanes                    how many pipelines share the partitions of {@code wa.message.inbound}
 *                                 ({@code partition mod lanes}), each storing and announcing its own batches in
 *                                 order, on its own connection, concurrently with the others
 * @param earlyStatusMaxAge        how long a status whose message is unknown waits for it (statuses of messages
 *                                 sent from the phone never find one)
 * @param earlyStatusPurgeInterval how often such statuses older than {@code earlyStatusMaxAge} are deleted
 * @param recordObservations       whether records get an observation each (a trace span and a timer): the
 *                                 {@code wa.message.inbound} records on receipt (the events the batch consumers
 *                                 publish follow the same {@code INGEST_RECORD_OBSERVATIONS}, through libs/messaging's
 *                                 {@code conversa.messaging.publish-all-observations}). Off by default: records are
 *                                 stored and announced in batches, so no work of the service joins a record's span
 *                                 (an announced event would start a trace of its own), and these observations were
 *                                 about a fifth of the service's CPU samples while ingesting (JFR)
 */
@ConfigurationProperties("conversa.message.ingest")
public record IngestProperties(
        @DefaultValue("500") int batchSize,
        @DefaultValue("50ms") Duration maxWait,
        @DefaultValue("2") int lanes,
        @DefaultValue("1d") Duration earlyStatusMaxAge,
        @DefaultValue("10m") Duration earlyStatusPurgeInterval,
        @DefaultValue("false") boolean recordObservations) {

    public IngestProperties {
        if (batchSize < 1) {
            throw new IllegalArgumentException("conversa.message.ingest.batch-size must be at least 1");
        }
        if (lanes < 1) {
            throw new IllegalArgumentException("conversa.message.ingest.lanes must be at least 1");
        }
        if (maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("conversa.message.ingest.max-wait must be positive");
        }
        if (earlyStatusMaxAge.isNegative() || earlyStatusPurgeInterval.isNegative()
                || earlyStatusPurgeInterval.isZero()) {
            throw new IllegalArgumentException("conversa.message.ingest early-status durations must be positive");
        }
    }
}
