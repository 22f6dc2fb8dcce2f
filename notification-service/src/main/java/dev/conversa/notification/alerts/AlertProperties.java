package dev.conversa.notification.alerts;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * E-mail alerts ({@code conversa.notification.alerts.*}); the SMTP server itself is {@code spring.mail.*}.
 *
 * @param from           the sender address
 * @param batchSize      records per batch of {@code raiseAlerts}
 * @param maxWait        longest a record waits for its batch to fill
 * @param pollInterval   how often each instance looks for e-mails to send
 * @param claimSize      most e-mails one instance claims per poll
 * @param lease          how long a claimed e-mail belongs to its instance; after that another takes it
 * @param sendTimeout    longest one SMTP send may take
 * @param initialBackoff wait before the first retry; doubles on each attempt
 * @param maxBackoff     longest wait between two attempts
 * @param maxAttempts    attempts before an e-mail is given up ({@code failed})
 * @param maxRecipients  most recipients per tenant
 */
@ConfigurationProperties("conversa.notification.alerts")
public record AlertProperties(
        @DefaultValue("alerts@conversa.local") String from,
        @DefaultValue("100") int batchSize,
        @DefaultValue("100ms") Duration maxWait,
        @DefaultValue("2s") Duration pollInterval,
        @DefaultValue("20") int claimSize,
        @DefaultValue("2m") Duration lease,
        @DefaultValue("30s") Duration sendTimeout,
        @DefaultValue("30s") Duration initialBackoff,
        @DefaultValue("30m") Duration maxBackoff,
        @DefaultValue("10") int maxAttempts,
        @DefaultValue("20") int maxRecipients) {

    public AlertProperties {
        if (batchSize < 1 || claimSize < 1 || maxAttempts < 1 || maxRecipients < 1) {
            throw new IllegalArgumentException("conversa.notification.alerts sizes and counts must be at least 1");
        }
        for (Duration duration : List.of(maxWait, pollInterval, lease, sendTimeout, initialBackoff, maxBackoff)) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("conversa.notification.alerts durations must be positive");
            }
        }
        if (lease.compareTo(sendTimeout) <= 0) {
            throw new IllegalArgumentException("conversa.notification.alerts.lease must outlast send-timeout");
        }
    }

    /** The wait after {@code attempts} failed attempts: doubling from {@code initial-backoff}, capped, ±20 %. */
    Duration backoff(int attempts) {
        long base = Math.min(maxBackoff.toMillis(),
                initialBackoff.toMillis() * (1L << Math.min(Math.max(attempts - 1, 0), 20)));
        long jitter = base / 5;
        return Duration.ofMillis(base - jitter
                + (jitter > 0 ? java.util.concurrent.ThreadLocalRandom.current().nextLong(2 * jitter + 1) : 0));
    }
}
