package dev.conversa.gateway.hardening;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Security headers set on every response of the gateway ({@code conversa.gateway.headers.*}); an empty value leaves
 * that header out. The CSP is the console's: scripts, styles and connections only from the gateway's origin and
 * Keycloak ({@code KEYCLOAK_PUBLIC_URL}).
 */
@ConfigurationProperties("conversa.gateway.headers")
public record SecurityHeadersProperties(
        @DefaultValue("max-age=31536000; includeSubDomains") String strictTransportSecurity,
        @DefaultValue("DENY") String frameOptions,
        @DefaultValue("nosniff") String contentTypeOptions,
        @DefaultValue("no-referrer") String referrerPolicy,
        @DefaultValue("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                + "connect-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'")
        String contentSecurityPolicy,
        @DefaultValue("camera=(), microphone=(), geolocation=()") String permissionsPolicy) {
}
