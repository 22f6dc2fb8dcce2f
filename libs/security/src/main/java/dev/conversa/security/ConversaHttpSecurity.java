package dev.conversa.security;

import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import dev.conversa.web.problem.ProblemResponses;

/**
 * The parts of a Conversa security chain that never change: stateless (no CSRF, session, basic or form login), JWT
 * resource server with Conversa's decoder and role mapping, 401/403 as ProblemDetail. A module that needs its own
 * chain (the gateway: public routes, CORS, route-level role rules) starts from here and adds only its
 * {@code authorizeExchange} rules, so it cannot drift from what every service checks.
 */
public final class ConversaHttpSecurity {

    /** Paths open on every module for probes, scrapers and API docs (GET only). */
    public static final String[] OPEN_GET_PATHS = {"/actuator/health", "/actuator/health/**", "/actuator/info",
        "/actuator/prometheus", "/v3/api-docs", "/v3/api-docs/**"};

    private ConversaHttpSecurity() {
    }

    public static ServerHttpSecurity resourceServer(ServerHttpSecurity http, ReactiveJwtDecoder decoder,
            ProblemResponses responses) {
        ProblemAuthenticationHandlers problems = new ProblemAuthenticationHandlers(responses);
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .oauth2ResourceServer(server -> server
                        .jwt(jwt -> jwt.jwtDecoder(decoder)
                                .jwtAuthenticationConverter(new ConversaAuthenticationConverter()))
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems));
    }
}
