package dev.conversa.security;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;

import dev.conversa.web.problem.ProblemResponses;

/**
 * Makes a service a JWT resource server with Conversa's rules: signature from the realm's JWKS, issuer, expiry and
 * a {@code tenant_id} claim are checked; realm roles become authorities; health, info and metrics stay open for
 * probes and scrapers, {@code /v3/api-docs} for the gateway's OpenAPI aggregation; errors are ProblemDetail.
 * A service adds its own route rules with method security
 * ({@code @PreAuthorize("hasRole('ADMIN')")}), or adds a {@link SecurityWebFilterChain} for its own paths; the
 * default chain still protects everything else.
 *
 * <p>Configuration: {@code spring.security.oauth2.resourceserver.jwt.jwk-set-uri} and {@code issuer-uri}; a token
 * that verified is remembered until it expires ({@link VerifiedTokenCache}, {@code conversa.security.token-cache.*}).
 */
@AutoConfiguration(afterName = "dev.conversa.web.problem.ProblemDetailAutoConfiguration",
        beforeName = "org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive."
                + "ReactiveOAuth2ResourceServerAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@EnableWebFluxSecurity
@EnableReactiveMethodSecurity
@EnableConfigurationProperties({OAuth2ResourceServerProperties.class, TokenCacheProperties.class})
public class ConversaSecurityAutoConfiguration {

    /** The bean name of the default chain; declare a bean of this name to replace it. */
    public static final String DEFAULT_CHAIN = "conversaSecurityFilterChain";

    static final String[] OPEN_PATHS = ConversaHttpSecurity.OPEN_GET_PATHS;

    @Bean
    @ConditionalOnMissingBean
    ReactiveJwtDecoder jwtDecoder(OAuth2ResourceServerProperties properties, TokenCacheProperties cache) {
        OAuth2ResourceServerProperties.Jwt jwt = properties.getJwt();
        if (!StringUtils.hasText(jwt.getJwkSetUri())) {
            throw new IllegalStateException(
                    "spring.security.oauth2.resourceserver.jwt.jwk-set-uri must point at the realm's JWKS");
        }
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(jwt.getJwkSetUri()).build();
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(StringUtils.hasText(jwt.getIssuerUri())
                ? JwtValidators.createDefaultWithIssuer(jwt.getIssuerUri())
                : JwtValidators.createDefault());
        validators.add(new TenantClaimValidator());
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return cache.enabled() ? new VerifiedTokenCache(decoder, cache.maxEntries(), cache.maxAge()) : decoder;
    }

    /**
     * Protects every path no other chain claims: it runs last, so a service can add a chain for its own paths (with
     * a {@code securityMatcher} and a higher precedence, e.g. an open webhook) without switching this one off. Only a
     * bean of the same name replaces it.
     */
    @Bean(DEFAULT_CHAIN)
    @Order(Ordered.LOWEST_PRECEDENCE)
    @ConditionalOnMissingBean(name = DEFAULT_CHAIN)
    SecurityWebFilterChain conversaSecurityFilterChain(ServerHttpSecurity http, ReactiveJwtDecoder decoder,
            ProblemResponses responses) {
        return ConversaHttpSecurity.resourceServer(http, decoder, responses)
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers(HttpMethod.GET, OPEN_PATHS).permitAll()
                        .anyExchange().authenticated())
                .build();
    }

    @Bean
    WebFluxConfigurer conversaPrincipalArgument() {
        return new WebFluxConfigurer() {
            @Override
            public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
                configurer.addCustomResolver(new PrincipalArgumentResolver());
            }
        };
    }
}
