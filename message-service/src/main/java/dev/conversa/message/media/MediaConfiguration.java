package dev.conversa.message.media;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

import dev.conversa.media.storage.MediaStorage;
import dev.conversa.message.conversations.ConversationRepository;

/**
 * Media uploads and downloads. Signed links ({@value #SIGNED_PATHS}) are fetched without a token — by a browser's
 * {@code <img>}, or by WhatsApp when a message sends media by link — so they get an open, stateless chain of their
 * own that runs first; the signature is checked by the handler. Everything else stays behind libs/security.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MediaProperties.class)
class MediaConfiguration {

    static final String SIGNED_PATHS = "/api/v1/media/*/content";

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 10)
    SecurityWebFilterChain signedMediaSecurityChain(ServerHttpSecurity http) {
        return http
                .securityMatcher(ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, SIGNED_PATHS))
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .authorizeExchange(exchanges -> exchanges.anyExchange().permitAll())
                .build();
    }

    @Bean
    MediaService mediaService(MediaStorage storage, MediaRepository repository, ConversationRepository conversations,
            MediaProperties properties, ObjectProvider<Clock> clock) {
        Clock time = clock.getIfAvailable(Clock::systemUTC);
        return new MediaService(storage, repository, conversations, new MediaTypeRules(), properties,
                properties.clamd().enabled() ? new ClamdScanner(properties.clamd()) : null,
                new MediaLinks(properties.signingKey(), properties.linkTtl(), time), time);
    }
}
