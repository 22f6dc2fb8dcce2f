package dev.conversa.session.outbound;

import java.time.Duration;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the outbound queue behaves ({@code conversa.session.outbound.*}).
 *
 * @param maxAttempts           sends of one message refused with a retryable error (rate limit, WhatsApp busy)
 *                              before it fails for good
 * @param retryDelay            the wait before such a retry (doubled per attempt)
 * @param maxQueueAge           a send still queued this long after it was requested fails as expired: a reply
 *                              that arrives a day late does more harm than good
 * @param unknownOutcomeTimeout a send with no answer this long (no ack, no receipt, no webhook status) fails as
 *                              "outcome unknown" rather than risk sending it twice
 * @param reconcileDelay        after a linked session opens, how long to wait for the redelivered receipts of
 *                              sends made before the reconnect, before unanswered sends are queued again
 * @param sweepInterval         how often each instance looks for queued sends that are due (retries, wakeups lost
 *                              to a rebalance) and for expired ones
 * @param retention             sent and failed rows older than this are deleted
 * @param inFlight              sends of one session handed to the transport and not yet answered (8): the next one
 *                              is claimed and sent while earlier answers are recorded; sends to one recipient stay
 *                              one at a time, in order
 */
@ConfigurationProperties("conversa.session.outbound")
public record OutboundProperties(
        int maxAttempts,
        Duration retryDelay,
        Duration maxQueueAge,
        Duration unknownOutcomeTimeout,
        Duration reconcileDelay,
        Duration sweepInterval,
        Duration retention,
        int inFlight) {

    public OutboundProperties {
        maxAttempts = maxAttempts <= 0 ? 5 : maxAttempts;
        retryDelay = Objects.requireNonNullElse(retryDelay, Duration.ofSeconds(30));
        maxQueueAge = Objects.requireNonNullElse(maxQueueAge, Duration.ofHours(24));
        unknownOutcomeTimeout = Objects.requireNonNullElse(unknownOutcomeTimeout, Duration.ofMinutes(2));
        reconcileDelay = Objects.requireNonNullElse(reconcileDelay, Duration.ofSeconds(3));
        sweepInterval = Objects.requireNonNullElse(sweepInterval, Duration.ofSeconds(5));
        retention = Objects.requireNonNullElse(retention, Duration.ofDays(30));
        inFlight = inFlight == 0 ? 8 : inFlight;
        if (inFlight < 1 || inFlight > 256) {
            throw new IllegalArgumentException("conversa.session.outbound.in-flight must be in 1..256, was "
                    + inFlight);
        }
        for (Duration positive : new Duration[] {retryDelay, maxQueueAge, unknownOutcomeTimeout, sweepInterval,
                retention}) {
            if (positive.isNegative() || positive.isZero()) {
                throw new IllegalArgumentException("conversa.session.outbound durations must be positive");
            }
        }
        if (reconcileDelay.isNegative()) {
            throw new IllegalArgumentException("conversa.session.outbound.reconcile-delay must not be negative");
        }
    }
}
