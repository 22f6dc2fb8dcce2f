package dev.conversa.simulator.media;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * Media kept in memory ({@code simulator.media.*}).
 *
 * @param maxTotalSize  bytes all media together may take; the oldest media is evicted to make room
 * @param urlTtl        how long a download URL from {@code GET /{version}/{media-id}} stays valid (Meta: 5 minutes)
 * @param publicBaseUrl base of download URLs put into webhooks ({@code http://whatsapp-simulator:8090} in a compose
 *                      stack); empty: {@code http://127.0.0.1:<port>}. URLs answered to a {@code GET} use the
 *                      request's own host unless this is set.
 */
@Validated
@ConfigurationProperties("simulator.media")
public record MediaProperties(
        @DefaultValue("256MB") @NotNull DataSize maxTotalSize,
        @DefaultValue("5m") @NotNull Duration urlTtl,
        @Nullable String publicBaseUrl) {

    public MediaProperties {
        if (maxTotalSize.toBytes() <= 0) {
            throw new IllegalArgumentException("simulator.media.max-total-size must be positive");
        }
        if (!urlTtl.isPositive()) {
            throw new IllegalArgumentException("simulator.media.url-ttl must be positive");
        }
    }
}
