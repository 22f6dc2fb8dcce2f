package dev.conversa.gateway.hardening;

import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * Every request gets an {@value #HEADER}: the client's, when it is a sane token (letters, digits, {@code -_.:},
 * at most 128 characters), otherwise a new UUID. It is sent to the service and returned on the response, errors
 * included, so a user's report can be matched with the services' logs. Runs first of all filters.
 */
public final class RequestIdFilter implements WebFilter, Ordered {

    public static final String HEADER = "X-Request-Id";
    public static final String ATTRIBUTE = RequestIdFilter.class.getName() + ".id";
    /** The path the client asked for, kept for error bodies written after a forward (circuit-breaker fallback). */
    public static final String ORIGINAL_PATH_ATTRIBUTE = RequestIdFilter.class.getName() + ".originalPath";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String given = exchange.getRequest().getHeaders().getFirst(HEADER);
        String id = given != null && SANE.matcher(given).matches() ? given : UUID.randomUUID().toString();
        ServerWebExchange tagged = exchange.mutate()
                .request(request -> request.headers(headers -> headers.set(HEADER, id)))
                .build();
        tagged.getAttributes().put(ATTRIBUTE, id);
        tagged.getAttributes().put(ORIGINAL_PATH_ATTRIBUTE, exchange.getRequest().getPath().value());
        tagged.getResponse().beforeCommit(() -> {
            tagged.getResponse().getHeaders().set(HEADER, id);
            return Mono.empty();
        });
        return chain.filter(tagged);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
