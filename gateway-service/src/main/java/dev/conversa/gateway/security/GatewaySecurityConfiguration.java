package dev.conversa.gateway.security;

import java.util.Arrays;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

import dev.conversa.security.ConversaHttpSecurity;
import dev.conversa.security.ConversaSecurityAutoConfiguration;
import dev.conversa.security.Role;
import dev.conversa.web.problem.ProblemResponses;

/**
 * The gateway's security: the same JWT checks as every service ({@link ConversaHttpSecurity}), plus what only the
 * front door knows. The Cloud API webhook is public (its HMAC signature is checked by session-service on the
 * untouched body); API docs are public; {@code /api/v1/**} needs a token with a Conversa role, the admin-only
 * resources ({@code webhooks}, {@code alerts}) need {@code admin}. Finer rules (who manages sessions, campaigns,
 * agents; tenant scoping) stay in the services, which check the relayed token again.
 */
@Configuration(proxyBeanMethods = false)
class GatewaySecurityConfiguration {

    static final String[] PUBLIC_PATHS = {"/webhooks/whatsapp/**"};
    /** Signed media links: the link's HMAC and expiry are the credential (checked by message-service). */
    static final String SIGNED_MEDIA_LINK = "/api/v1/media/*/content";
    static final String[] DOCS_PATHS = {"/swagger-ui.html", "/swagger-ui/**", "/webjars/**", "/openapi/**"};
    static final String[] ADMIN_PATHS = {"/api/v1/webhooks/**", "/api/v1/alerts/**"};

    /**
     * Public WhatsApp webhooks and signed media links: no authentication at all, so not even a stray Authorization
     * header is parsed.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityWebFilterChain publicWebhookChain(ServerHttpSecurity http) {
        ServerWebExchangeMatcher publicPaths = ServerWebExchangeMatchers.matchers(
                ServerWebExchangeMatchers.pathMatchers(PUBLIC_PATHS),
                ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, SIGNED_MEDIA_LINK));
        return http
                .securityMatcher(publicPaths)
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .authorizeExchange(exchanges -> exchanges.anyExchange().permitAll())
                .build();
    }

    /** Replaces the library's default chain (same bean name) with the gateway's route rules. */
    @Bean(ConversaSecurityAutoConfiguration.DEFAULT_CHAIN)
    @Order(Ordered.LOWEST_PRECEDENCE)
    SecurityWebFilterChain conversaSecurityFilterChain(ServerHttpSecurity http, ReactiveJwtDecoder decoder,
            ProblemResponses responses, CorsConfigurationSource cors) {
        String[] anyRole = Arrays.stream(Role.values()).map(Role::name).toArray(String[]::new);
        return ConversaHttpSecurity.resourceServer(http, decoder, responses)
                .cors(spec -> spec.configurationSource(cors))
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers(HttpMethod.GET, ConversaHttpSecurity.OPEN_GET_PATHS).permitAll()
                        .pathMatchers(HttpMethod.GET, DOCS_PATHS).permitAll()
                        .pathMatchers(ADMIN_PATHS).hasRole(Role.ADMIN.name())
                        .pathMatchers("/api/**").hasAnyRole(anyRole)
                        .anyExchange().authenticated())
                .build();
    }

    @Bean
    CorsConfigurationSource corsConfigurationSource(CorsProperties properties) {
        CorsConfiguration config = new CorsConfiguration();
        config.setAllowedOrigins(properties.allowedOrigins());
        config.setAllowedMethods(properties.allowedMethods());
        config.setAllowedHeaders(properties.allowedHeaders());
        config.setExposedHeaders(properties.exposedHeaders());
        config.setAllowCredentials(false);
        config.setMaxAge(properties.maxAge());
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/api/**", config);
        return source;
    }
}
