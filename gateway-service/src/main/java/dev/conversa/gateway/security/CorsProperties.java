package dev.conversa.gateway.security;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Which browser origins may call the API ({@code conversa.gateway.cors.*}); no origin is allowed by default. */
@ConfigurationProperties("conversa.gateway.cors")
public record CorsProperties(
        @DefaultValue List<String> allowedOrigins,
        @DefaultValue({"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) List<String> allowedMethods,
        @DefaultValue({"Authorization", "Content-Type", "Accept", "X-Request-Id", "Last-Event-ID",
            "Idempotency-Key"}) List<String> allowedHeaders,
        @DefaultValue({"X-Request-Id", "Retry-After", "Location", "X-RateLimit-Limit", "X-RateLimit-Remaining"})
        List<String> exposedHeaders,
        @DefaultValue("1h") Duration maxAge) {
}
