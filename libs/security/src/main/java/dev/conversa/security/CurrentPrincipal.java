package dev.conversa.security;

import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import reactor.core.publisher.Mono;

/**
 * The caller of the current request, for functional handlers. Annotated handlers take a {@link ConversaPrincipal}
 * parameter instead.
 */
public final class CurrentPrincipal {

    private CurrentPrincipal() {
    }

    public static Mono<ConversaPrincipal> get() {
        return ReactiveSecurityContextHolder.getContext()
                .mapNotNull(context -> context.getAuthentication())
                .filter(JwtAuthenticationToken.class::isInstance)
                .map(auth -> ConversaJwt.principal(((JwtAuthenticationToken) auth).getToken()));
    }
}
