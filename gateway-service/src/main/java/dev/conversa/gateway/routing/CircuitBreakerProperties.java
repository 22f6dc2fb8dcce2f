package dev.conversa.gateway.routing;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The circuit breaker of every route ({@code conversa.gateway.circuit-breaker.*}). A route's breaker opens when
 * {@code failure-rate-threshold} percent of the last {@code sliding-window} calls (at least {@code minimum-calls})
 * failed (connection refused, reset, response timeout), answers 503 at once for {@code wait-in-open}, then lets
 * {@code half-open-calls} through to probe. {@code streaming} names breakers of long-lived responses (SSE), which
 * never count a call as slow.
 */
@ConfigurationProperties("conversa.gateway.circuit-breaker")
public record CircuitBreakerProperties(
        @DefaultValue("50") float failureRateThreshold,
        @DefaultValue("20") int slidingWindow,
        @DefaultValue("10") int minimumCalls,
        @DefaultValue("10s") Duration waitInOpen,
        @DefaultValue("3") int halfOpenCalls,
        @DefaultValue("events") List<String> streaming) {
}
