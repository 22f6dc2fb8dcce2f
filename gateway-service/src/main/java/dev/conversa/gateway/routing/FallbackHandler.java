package dev.conversa.gateway.routing;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ResponseStatusException;

import dev.conversa.gateway.hardening.RequestIdFilter;
import dev.conversa.web.problem.ProblemTypes;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import reactor.core.publisher.Mono;

/**
 * Where a route's circuit breaker forwards a failed call ({@code forward:/fallback/<service>}): 503 ProblemDetail
 * naming the service, never the downstream host or the exception; 504 when the service did not answer in time.
 * The cause is logged once, without a stack trace for the expected cases.
 */
final class FallbackHandler {

    static final URI GATEWAY_TIMEOUT = ProblemTypes.of("gateway-timeout");
    private static final Logger log = LoggerFactory.getLogger(FallbackHandler.class);

    Mono<ServerResponse> handle(ServerRequest request) {
        String service = request.pathVariable("service");
        Throwable cause = request.exchange()
                .getAttribute(ServerWebExchangeUtils.CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR);
        boolean timeout = cause instanceof TimeoutException
                || cause instanceof ResponseStatusException status && status.getStatusCode().value() == 504;
        HttpStatus status = timeout ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.SERVICE_UNAVAILABLE;
        String detail;
        if (cause instanceof CallNotPermittedException) {
            detail = "The " + service + " service is failing; calls are paused for a few seconds";
        }
        else if (timeout) {
            detail = "The " + service + " service did not answer in time";
        }
        else {
            detail = "The " + service + " service is unavailable";
        }
        if (cause instanceof CallNotPermittedException) {
            log.debug("Route {} open, refused {}", service, originalPath(request));
        }
        else {
            log.warn("Route {} failed for {}: {}", service, originalPath(request),
                    cause == null ? "?" : cause.toString());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", (timeout ? GATEWAY_TIMEOUT : ProblemTypes.SERVICE_UNAVAILABLE).toString());
        body.put("title", timeout ? "Gateway timeout" : "Service unavailable");
        body.put("status", status.value());
        body.put("detail", detail);
        body.put("instance", originalPath(request));
        ServerResponse.BodyBuilder response = ServerResponse.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (!timeout) {
            response.header("Retry-After", "5");
        }
        return response.bodyValue(body);
    }

    private static String originalPath(ServerRequest request) {
        String original = request.exchange().getAttribute(RequestIdFilter.ORIGINAL_PATH_ATTRIBUTE);
        return original == null ? request.path() : original;
    }
}
