package dev.conversa.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The memory of verified tokens ({@code conversa.security.token-cache.*}, {@link VerifiedTokenCache}).
 *
 * @param enabled    remember verified tokens (on); off verifies every request's token afresh
 * @param maxEntries most tokens remembered at once, least recently used dropped first (each holds the
 *                   token string and its parsed claims)
 * @param maxAge     longest a token is remembered, whatever its {@code exp} says
 */
@ConfigurationProperties("conversa.security.token-cache")
public record TokenCacheProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("10000") int maxEntries,
        @DefaultValue("10m") Duration maxAge) {

    public TokenCacheProperties {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("conversa.security.token-cache.max-entries must be at least 1");
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("conversa.security.token-cache.max-age must be positive");
        }
    }
}
