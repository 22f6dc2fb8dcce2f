package dev.conversa.notification.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/**
 * What happens after an attempt: 2xx is delivered; network errors, timeouts, 5xx, 408 and 429 are retried with
 * exponential back-off and jitter ({@code initial × 2^(attempt-1)}, at most {@code max-backoff}, a {@code jitter}
 * fraction of it random), or after the receiver's {@code Retry-After} (capped); any other status fails for good.
 * A delivery whose next attempt would fall after {@code retry-for} from its creation fails instead.
 */
final class RetryPolicy {

    private final WebhookProperties properties;

    RetryPolicy(WebhookProperties properties) {
        this.properties = properties;
    }

    static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    static boolean isRetryable(int status) {
        return status >= 500 || status == 408 || status == 429;
    }

    /** The wait before attempt {@code attempts + 1}, given how many were made (1 after the first). */
    Duration backoff(int attempts, @Nullable Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter.compareTo(properties.maxRetryAfter()) > 0 ? properties.maxRetryAfter()
                    : retryAfter.isNegative() ? Duration.ZERO : retryAfter;
        }
        long initial = properties.initialBackoff().toMillis();
        long max = properties.maxBackoff().toMillis();
        int exponent = Math.min(Math.max(attempts - 1, 0), 30);
        long base = Math.min(max, initial * (1L << exponent));
        if (base < 0) {
            base = max;
        }
        long random = (long) (base * properties.jitter());
        long wait = base - random + (random > 0 ? ThreadLocalRandom.current().nextLong(random + 1) : 0);
        return Duration.ofMillis(wait);
    }

    /** When to try again, or null when {@code retry-for} since {@code createdAt} is over. */
    @Nullable Instant nextAttempt(Instant now, Instant createdAt, int attempts, @Nullable Duration retryAfter) {
        Instant next = now.plus(backoff(attempts, retryAfter));
        return next.isAfter(createdAt.plus(properties.retryFor())) ? null : next;
    }

    /** {@code Retry-After} as seconds or an HTTP date; null when absent or unreadable. */
    static @Nullable Duration parseRetryAfter(@Nullable String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.strip();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(trimmed)));
        }
        catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(now, at);
                return wait.isNegative() ? Duration.ZERO : wait;
            }
            catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }
}
