package dev.conversa.simulator.cloudapi;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/**
 * The simulated Cloud API's limits ({@code simulator.cloud-api.*}), Meta's by default (reference §4).
 *
 * @param messagesPerSecond    a number's throughput (token bucket of one second); beyond it sends answer 130429.
 *                             A registration may set its own.
 * @param pairRateInterval     one message to the same recipient per this interval …
 * @param pairRateBurst        … with bursts of up to this many borrowed from the future; beyond it 131056
 * @param serviceWindow        how long after a customer's last message free-form sends are allowed; after it only
 *                             templates (131047)
 * @param receivedIdsPerNumber inbound message ids remembered per number for mark-as-read (oldest forgotten first)
 * @param numbers              numbers registered at start, as with {@code POST /sim/cloud/numbers}
 */
@Validated
@ConfigurationProperties("simulator.cloud-api")
public record CloudApiProperties(
        @DefaultValue("80") @Positive double messagesPerSecond,
        @DefaultValue("6s") @NotNull Duration pairRateInterval,
        @DefaultValue("45") @Min(1) int pairRateBurst,
        @DefaultValue("24h") @NotNull Duration serviceWindow,
        @DefaultValue("100000") @Min(1) int receivedIdsPerNumber,
        @DefaultValue List<@Valid CloudNumberRegistration> numbers) {

    public CloudApiProperties {
        if (!pairRateInterval.isPositive()) {
            throw new IllegalArgumentException("simulator.cloud-api.pair-rate-interval must be positive");
        }
    }
}
