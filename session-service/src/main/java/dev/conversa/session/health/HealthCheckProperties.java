package dev.conversa.session.health;

import java.time.Duration;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The periodic health check of live sessions ({@code conversa.session.health-check.*}).
 *
 * @param interval    how often every live session of this instance is pinged (default 5 minutes)
 * @param concurrency pings in flight at once
 */
@ConfigurationProperties("conversa.session.health-check")
public record HealthCheckProperties(Duration interval, int concurrency) {

    public HealthCheckProperties {
        interval = Objects.requireNonNullElse(interval, Duration.ofMinutes(5));
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("conversa.session.health-check.interval must be positive");
        }
        concurrency = concurrency <= 0 ? 64 : concurrency;
    }
}
