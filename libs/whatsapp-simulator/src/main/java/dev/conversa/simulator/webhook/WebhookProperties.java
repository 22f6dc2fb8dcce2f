package dev.conversa.simulator.webhook;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * How the simulator posts Cloud API webhooks ({@code simulator.webhooks.*}).
 *
 * @param initialBackoff   wait before the first retry of a failed POST; doubles per attempt
 * @param maxBackoff       longest wait between two attempts
 * @param maxAttempts      attempts per POST (the first included) before it is abandoned and counted
 * @param timeout          a POST not answered within this counts as failed
 * @param connectTimeout   TCP connect timeout
 * @param queueCapacity    events waiting per number; beyond it new events are counted as overflow and lost
 * @param maxBatch         events one POST may carry ({@code entry[]}); 1 posts each event alone
 * @param duplicateRate    fraction of POSTs sent twice (Meta: "can result in duplicate webhook notifications")
 * @param reorderStatuses  hold {@code delivered} back and post it after {@code read}
 * @param reorderHoldMax   longest a held {@code delivered} waits for its {@code read}
 * @param maxConnections   connections to all webhook receivers together
 */
@Validated
@ConfigurationProperties("simulator.webhooks")
public record WebhookProperties(
        @DefaultValue("200ms") @NotNull Duration initialBackoff,
        @DefaultValue("30s") @NotNull Duration maxBackoff,
        @DefaultValue("10") @Min(1) int maxAttempts,
        @DefaultValue("5s") @NotNull Duration timeout,
        @DefaultValue("2s") @NotNull Duration connectTimeout,
        @DefaultValue("100000") @Min(1) int queueCapacity,
        @DefaultValue("1") @Min(1) int maxBatch,
        @DefaultValue("0.0") @DecimalMin("0.0") @DecimalMax("1.0") double duplicateRate,
        @DefaultValue("false") boolean reorderStatuses,
        @DefaultValue("10s") @NotNull Duration reorderHoldMax,
        @DefaultValue("500") @Min(1) int maxConnections) {

    /** The defaults, for dispatchers built outside Spring. */
    public static WebhookProperties defaults() {
        return new WebhookProperties(Duration.ofMillis(200), Duration.ofSeconds(30), 10, Duration.ofSeconds(5),
                Duration.ofSeconds(2), 100_000, 1, 0.0, false, Duration.ofSeconds(10), 500);
    }
}
