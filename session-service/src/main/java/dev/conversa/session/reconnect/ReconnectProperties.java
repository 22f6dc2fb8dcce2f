package dev.conversa.session.reconnect;

import java.time.Duration;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Back-off of transient disconnects ({@code conversa.session.reconnect.*}). Reconnect attempt {@code n} (1-based)
 * waits a random time in {@code [0, min(max-delay, base × factor^(n-1))]} (exponential back-off with full jitter);
 * after {@code max-attempts} reconnects without an open connection the session is {@code failed}. Invalid values
 * (base not positive, max-delay below base, factor below 1, max-attempts below 1) fail the start.
 */
@ConfigurationProperties("conversa.session.reconnect")
public record ReconnectProperties(
        @DefaultValue("1s") Duration base,
        @DefaultValue("2") double factor,
        @DefaultValue("5m") Duration maxDelay,
        @DefaultValue("10") int maxAttempts) {

    public ReconnectProperties {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (base.isNegative() || base.isZero()) {
            throw new IllegalArgumentException("conversa.session.reconnect.base must be positive, was " + base);
        }
        if (maxDelay.compareTo(base) < 0) {
            throw new IllegalArgumentException(
                    "conversa.session.reconnect.max-delay (" + maxDelay + ") must not be below base (" + base + ")");
        }
        if (!(factor >= 1.0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("conversa.session.reconnect.factor must be at least 1, was " + factor);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException(
                    "conversa.session.reconnect.max-attempts must be at least 1, was " + maxAttempts);
        }
    }

    /** The defaults: base 1 s, factor 2, max delay 5 min, 10 attempts. */
    public static ReconnectProperties defaults() {
        return new ReconnectProperties(Duration.ofSeconds(1), 2, Duration.ofMinutes(5), 10);
    }
}
