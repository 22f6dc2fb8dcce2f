package dev.conversa.gateway.hardening;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.util.StringUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * Sets HSTS, {@code X-Frame-Options}, {@code X-Content-Type-Options}, {@code Referrer-Policy}, the CSP and
 * {@code Permissions-Policy} on every response, proxied or not, replacing whatever a service sent, so the browser
 * sees one consistent policy. Written just before the response commits, after the proxied headers were copied.
 */
public final class SecurityHeadersFilter implements WebFilter, Ordered {

    private final SecurityHeadersProperties properties;

    public SecurityHeadersFilter(SecurityHeadersProperties properties) {
        this.properties = properties;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        exchange.getResponse().beforeCommit(() -> {
            HttpHeaders headers = exchange.getResponse().getHeaders();
            set(headers, "Strict-Transport-Security", properties.strictTransportSecurity());
            set(headers, "X-Frame-Options", properties.frameOptions());
            set(headers, "X-Content-Type-Options", properties.contentTypeOptions());
            set(headers, "Referrer-Policy", properties.referrerPolicy());
            set(headers, "Content-Security-Policy", properties.contentSecurityPolicy());
            set(headers, "Permissions-Policy", properties.permissionsPolicy());
            return Mono.empty();
        });
        return chain.filter(exchange);
    }

    private static void set(HttpHeaders headers, String name, String value) {
        if (StringUtils.hasText(value)) {
            headers.set(name, value);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }
}
