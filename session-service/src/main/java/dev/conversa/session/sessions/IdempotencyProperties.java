package dev.conversa.session.sessions;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * {@code Idempotency-Key} of session creation ({@code conversa.session.idempotency.*}).
 *
 * @param keyTtl how long a key answers with the session it created (default 24h); after that the key may be used
 *               for a new request, and the cleanup job forgets it
 */
@Validated
@ConfigurationProperties("conversa.session.idempotency")
record IdempotencyProperties(@DefaultValue("24h") @NotNull Duration keyTtl) {
}
