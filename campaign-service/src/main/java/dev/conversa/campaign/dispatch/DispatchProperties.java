package dev.conversa.campaign.dispatch;

import java.time.Duration;
import java.time.ZoneId;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the dispatcher sends campaign messages ({@code conversa.dispatch.*}).
 *
 * @param enabled            run the ticker and the sweeper on this instance (every instance may: they coordinate
 *                           through row locks)
 * @param tickInterval       how often due sessions are looked for
 * @param burstWindow        how much of a session's pace one tick may catch up after a delay (keeps the pace smooth)
 * @param maxBatch           most recipients one session claims in one tick
 * @param sessionConcurrency sessions dispatched in parallel by one instance
 * @param pacingZone         the time zone whose midnight resets the sessions' daily caps
 * @param sweepInterval      how often queued commands nobody acknowledged are looked for
 * @param republishAfter     how long a queued command may stay unacknowledged before it is published again (same
 *                           idempotency key and message id: session-service drops copies)
 * @param sweepBatch         most commands re-published per sweep
 * @param retryBase          back-off before the second attempt after a retryable failure; doubles per attempt
 * @param retryMax           longest back-off
 * @param statusBatchSize    most statuses applied in one transaction
 * @param statusMaxWait      longest a status waits for its batch to fill
 */
@ConfigurationProperties("conversa.dispatch")
public record DispatchProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("200ms") Duration tickInterval,
        @DefaultValue("1s") Duration burstWindow,
        @DefaultValue("200") int maxBatch,
        @DefaultValue("4") int sessionConcurrency,
        @DefaultValue("UTC") ZoneId pacingZone,
        @DefaultValue("5s") Duration sweepInterval,
        @DefaultValue("60s") Duration republishAfter,
        @DefaultValue("500") int sweepBatch,
        @DefaultValue("30s") Duration retryBase,
        @DefaultValue("30m") Duration retryMax,
        @DefaultValue("500") int statusBatchSize,
        @DefaultValue("50ms") Duration statusMaxWait) {

    public DispatchProperties {
        requirePositive(tickInterval, "tick-interval");
        requirePositive(burstWindow, "burst-window");
        requirePositive(sweepInterval, "sweep-interval");
        requirePositive(republishAfter, "republish-after");
        requirePositive(retryBase, "retry-base");
        requirePositive(retryMax, "retry-max");
        requirePositive(statusMaxWait, "status-max-wait");
        if (maxBatch < 1 || sessionConcurrency < 1 || sweepBatch < 1 || statusBatchSize < 1) {
            throw new IllegalArgumentException(
                    "conversa.dispatch max-batch, session-concurrency, sweep-batch and status-batch-size must be >= 1");
        }
    }

    private static void requirePositive(Duration value, String name) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("conversa.dispatch." + name + " must be positive");
        }
    }
}
