package dev.conversa.gateway.routing;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The routes themselves are configuration ({@code spring.cloud.gateway.server.webflux.routes}); this is where their
 * circuit breakers fall back to. Only reachable by the breakers' {@code forward:}: no route points here.
 */
@Configuration(proxyBeanMethods = false)
class RoutingConfiguration {

    @Bean
    RouterFunction<ServerResponse> circuitBreakerFallback() {
        FallbackHandler handler = new FallbackHandler();
        return RouterFunctions.route(RequestPredicates.path("/fallback/{service}"), handler::handle);
    }
}
