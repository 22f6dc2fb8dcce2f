package dev.conversa.distribution.engine;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How distribution-service assigns ({@code conversa.distribution.*}).
 *
 * @param batchSize         most records of {@code crm.conversation.events} handled in one transaction
 * @param maxWait           longest a record waits for its batch to fill
 * @param waitAlert         a conversation waiting longer than this for an agent is reported (WARN log, counter)
 * @param alertInterval     how often waiting conversations are checked (and the queue gauges refreshed)
 * @param botTimeout        a conversation handled by the bot this long is escalated to the queue
 * @param botTimeoutCron    when the bot timeout runs (one instance at a time, PostgreSQL advisory lock); '-' = off
 * @param queueScanLimit    most waiting conversations one distribution looks at per tenant (beyond the free slots
 *                          count: conversations behind ones nobody can take still get their chance)
 * @param tenantConcurrency most tenants of one batch handled at once, each in a transaction of its own
 */
@ConfigurationProperties("conversa.distribution")
public record DistributionProperties(
        @DefaultValue("500") int batchSize,
        @DefaultValue("50ms") Duration maxWait,
        @DefaultValue("5m") Duration waitAlert,
        @DefaultValue("30s") Duration alertInterval,
        @DefaultValue("12h") Duration botTimeout,
        @DefaultValue("0 * * * * *") String botTimeoutCron,
        @DefaultValue("2000") int queueScanLimit,
        @DefaultValue("4") int tenantConcurrency) {

    public DistributionProperties {
        if (batchSize < 1 || queueScanLimit < 1 || tenantConcurrency < 1) {
            throw new IllegalArgumentException(
                    "conversa.distribution.batch-size, queue-scan-limit and tenant-concurrency must be >= 1");
        }
        if (!maxWait.isPositive() || !waitAlert.isPositive() || !alertInterval.isPositive()
                || !botTimeout.isPositive()) {
            throw new IllegalArgumentException("conversa.distribution durations must be positive");
        }
    }
}
