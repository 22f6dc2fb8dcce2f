package dev.conversa.gateway.routing;

import java.time.Duration;

import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigBuilder;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

/**
 * Resilience4j settings of the routes' {@code CircuitBreaker} filters. The time limiter is off
 * ({@code spring.cloud.circuitbreaker.resilience4j.disable-time-limiter}): response timeouts are the HTTP client's,
 * per route, so an SSE stream is never cut by the breaker.
 */
@Configuration(proxyBeanMethods = false)
class CircuitBreakerConfiguration {

    /** A call slower than this still counts as a success for a streaming route; a stream lives for hours. */
    private static final Duration STREAM = Duration.ofDays(1);

    @Bean
    Customizer<ReactiveResilience4JCircuitBreakerFactory> conversaCircuitBreakers(CircuitBreakerProperties props) {
        return factory -> {
            factory.configureDefault(id -> new Resilience4JConfigBuilder(id)
                    .circuitBreakerConfig(config(props, props.streaming().contains(id)))
                    .build());
        };
    }

    static CircuitBreakerConfig config(CircuitBreakerProperties props, boolean streaming) {
        CircuitBreakerConfig.Builder builder = CircuitBreakerConfig.custom()
                .failureRateThreshold(props.failureRateThreshold())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(props.slidingWindow())
                .minimumNumberOfCalls(props.minimumCalls())
                .waitDurationInOpenState(props.waitInOpen())
                .permittedNumberOfCallsInHalfOpenState(props.halfOpenCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(true);
        if (streaming) {
            builder.slowCallDurationThreshold(STREAM).slowCallRateThreshold(100);
        }
        return builder.build();
    }
}
