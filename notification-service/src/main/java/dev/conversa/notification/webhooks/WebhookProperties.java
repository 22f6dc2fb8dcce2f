package dev.conversa.notification.webhooks;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Outbound webhooks ({@code conversa.notification.webhooks.*}).
 *
 * @param secretKey               base64 AES-256 key that encrypts subscription secrets at rest; required, from a secret
 *                                ({@code WEBHOOK_SECRET_KEY=$(openssl rand -base64 32)}), never from the repository
 * @param previousSecretKeys      older keys, still tried when decrypting, while a key is being rotated
 * @param allowPrivateTargets     allow URLs that resolve to loopback, private, link-local … addresses (tests only)
 * @param batchSize               records per {@code unnest} insert of deliveries
 * @param maxWait                 longest a record waits for its batch to fill
 * @param pollInterval            how often each instance looks for due deliveries
 * @param claimSize               most deliveries one instance claims per poll
 * @param concurrency             deliveries in flight per instance
 * @param lease                   how long a claimed delivery belongs to its instance; after that another takes it
 * @param connectTimeout          TCP connect timeout of a delivery
 * @param responseTimeout         time for the receiver to answer
 * @param initialBackoff          wait before the first retry; doubles on each attempt, with jitter
 * @param maxBackoff              longest wait between two attempts
 * @param jitter                  fraction (0..1) of each wait that is random
 * @param retryFor                a delivery is retried until this long after its event was queued, then fails
 * @param maxRetryAfter           a receiver's {@code Retry-After} is honoured up to this
 * @param disableAfterFailures    a subscription whose deliveries failed this many attempts in a row is disabled
 * @param maxSubscriptionsPerTenant most subscriptions a tenant can have
 */
@ConfigurationProperties("conversa.notification.webhooks")
public record WebhookProperties(
        String secretKey,
        @DefaultValue List<String> previousSecretKeys,
        @DefaultValue("false") boolean allowPrivateTargets,
        @DefaultValue("200") int batchSize,
        @DefaultValue("100ms") Duration maxWait,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("50") int claimSize,
        @DefaultValue("16") int concurrency,
        @DefaultValue("60s") Duration lease,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("10s") Duration responseTimeout,
        @DefaultValue("10s") Duration initialBackoff,
        @DefaultValue("1h") Duration maxBackoff,
        @DefaultValue("0.2") double jitter,
        @DefaultValue("24h") Duration retryFor,
        @DefaultValue("1h") Duration maxRetryAfter,
        @DefaultValue("20") int disableAfterFailures,
        @DefaultValue("50") int maxSubscriptionsPerTenant) {

    public WebhookProperties {
        if (secretKey == null || secretKey.isBlank()) {
            throw new IllegalArgumentException("conversa.notification.webhooks.secret-key is required: a base64 "
                    + "256-bit key from a secret (e.g. WEBHOOK_SECRET_KEY=$(openssl rand -base64 32))");
        }
        if (batchSize < 1 || claimSize < 1 || concurrency < 1 || disableAfterFailures < 1
                || maxSubscriptionsPerTenant < 1) {
            throw new IllegalArgumentException("conversa.notification.webhooks sizes and counts must be at least 1");
        }
        for (Duration duration : List.of(maxWait, pollInterval, lease, connectTimeout, responseTimeout,
                initialBackoff, maxBackoff, retryFor)) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("conversa.notification.webhooks durations must be positive");
            }
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("conversa.notification.webhooks.jitter must be between 0 and 1");
        }
        if (lease.compareTo(responseTimeout.plus(connectTimeout)) <= 0) {
            throw new IllegalArgumentException(
                    "conversa.notification.webhooks.lease must outlast connect-timeout + response-timeout");
        }
    }
}
