package dev.conversa.gateway.ratelimit;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import dev.conversa.security.ConversaJwt;
import dev.conversa.web.problem.ProblemResponses;
import dev.conversa.web.problem.ProblemTypes;
import reactor.core.publisher.Mono;

/**
 * Charges every API request to its caller's bucket ({@link RedisRateLimiter}) and answers 429 ProblemDetail with
 * {@code Retry-After} (seconds) when it is empty. Runs after authentication, so the caller is the verified token's
 * tenant and subject; anonymous requests count per client address. {@code X-RateLimit-Limit} and
 * {@code X-RateLimit-Remaining} are on every limited response. If Redis does not answer within
 * {@code redis-timeout}, the request passes: an outage of the limiter must not become an outage of the API.
 */
public final class RateLimitFilter implements WebFilter, Ordered {

    /** After Spring Security's filter chain (order -100), before routing. */
    public static final int ORDER = 0;

    private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);
    private static final String KEY_PREFIX = "conversa:gateway:rl:";
    private static final List<PathPattern> LIMITED = List.of(PathPatternParser.defaultInstance.parse("/api/**"),
            PathPatternParser.defaultInstance.parse("/webhooks/**"));

    private final RateLimitProperties properties;
    private final RedisRateLimiter limiter;
    private final ProblemResponses responses;
    private final List<CompiledRule> rules;

    record CompiledRule(String name, List<String> methods, List<PathPattern> paths, RateLimitProperties.Limit limit) {

        boolean matches(String method, PathContainer path) {
            return (methods.isEmpty() || methods.contains(method))
                    && paths.stream().anyMatch(pattern -> pattern.matches(path));
        }
    }

    public RateLimitFilter(RateLimitProperties properties, RedisRateLimiter limiter, ProblemResponses responses) {
        this.properties = properties;
        this.limiter = limiter;
        this.responses = responses;
        this.rules = properties.rules().stream()
                .map(rule -> new CompiledRule(rule.name(),
                        rule.methods().stream().map(m -> m.toUpperCase(Locale.ROOT)).toList(),
                        rule.paths().stream().map(PathPatternParser.defaultInstance::parse).toList(), rule.limit()))
                .toList();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        PathContainer path = request.getPath().pathWithinApplication();
        if (!properties.enabled() || LIMITED.stream().noneMatch(pattern -> pattern.matches(path))) {
            return chain.filter(exchange);
        }
        CompiledRule rule = ruleFor(request.getMethod().name(), path);
        return exchange.getPrincipal()
                .map(RateLimitFilter::callerOf)
                .defaultIfEmpty("ip:" + clientAddress(request))
                .flatMap(caller -> limiter.acquire(KEY_PREFIX + rule.name() + ":" + caller, rule.limit())
                        .timeout(properties.redisTimeout())
                        .onErrorResume(error -> {
                            log.warn("Rate limiter unavailable, letting the request pass: {}",
                                    NestedExceptionUtils.getMostSpecificCause(error).toString());
                            return Mono.empty();
                        }))
                .flatMap(decision -> {
                    var headers = exchange.getResponse().getHeaders();
                    headers.set("X-RateLimit-Limit", Integer.toString(rule.limit().requests()));
                    headers.set("X-RateLimit-Remaining", Long.toString(Math.max(0, decision.remaining())));
                    if (decision.allowed()) {
                        return chain.filter(exchange).thenReturn(Boolean.TRUE);
                    }
                    long retryAfter = Math.max(1, (decision.waitMillis() + 999) / 1000);
                    headers.set("Retry-After", Long.toString(retryAfter));
                    return responses.write(exchange, tooMany(rule, retryAfter)).thenReturn(Boolean.TRUE);
                })
                .switchIfEmpty(Mono.defer(() -> chain.filter(exchange).thenReturn(Boolean.TRUE)))
                .then();
    }

    CompiledRule ruleFor(String method, PathContainer path) {
        for (CompiledRule rule : rules) {
            if (rule.matches(method, path)) {
                return rule;
            }
        }
        return new CompiledRule("default", List.of(), LIMITED, properties.defaults());
    }

    private static String callerOf(Principal principal) {
        if (principal instanceof JwtAuthenticationToken token) {
            return "user:" + token.getToken().getClaimAsString(ConversaJwt.TENANT_CLAIM) + ":" + token.getName();
        }
        return "user:" + principal.getName();
    }

    private static String clientAddress(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        return remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
    }

    private static ProblemDetail tooMany(CompiledRule rule, long retryAfter) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
                "Rate limit '" + rule.name() + "' of " + rule.limit().requests() + " requests per "
                        + rule.limit().period().toSeconds() + " s reached; retry in " + retryAfter + " s");
        problem.setType(ProblemTypes.TOO_MANY_REQUESTS);
        problem.setTitle("Too many requests");
        problem.setProperty("retryAfterSeconds", retryAfter);
        return problem;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
