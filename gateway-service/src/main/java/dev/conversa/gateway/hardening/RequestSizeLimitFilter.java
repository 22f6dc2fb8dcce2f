package dev.conversa.gateway.hardening;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.PayloadTooLargeException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import dev.conversa.web.problem.ProblemResponses;
import dev.conversa.web.problem.ProblemTypes;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Refuses bodies larger than the path's limit with 413 ProblemDetail before anything reaches a service: at once when
 * {@code Content-Length} says so, otherwise (chunked uploads) as soon as the streamed bytes pass the limit. The
 * bytes themselves pass through untouched (the WhatsApp webhook's signature covers them).
 */
public final class RequestSizeLimitFilter implements WebFilter, Ordered {

    private final long defaultMax;
    private final List<CompiledLimit> limits;
    private final ProblemResponses responses;

    private record CompiledLimit(List<PathPattern> patterns, long max) {
    }

    public RequestSizeLimitFilter(RequestSizeProperties properties, ProblemResponses responses) {
        this.defaultMax = properties.defaultMax().toBytes();
        this.limits = properties.limits().stream()
                .map(limit -> new CompiledLimit(limit.paths().stream().map(PathPatternParser.defaultInstance::parse)
                        .toList(), limit.max().toBytes()))
                .toList();
        this.responses = responses;
    }

    long limitFor(PathContainer path) {
        for (CompiledLimit limit : limits) {
            if (limit.patterns().stream().anyMatch(pattern -> pattern.matches(path))) {
                return limit.max();
            }
        }
        return defaultMax;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        long max = limitFor(request.getPath().pathWithinApplication());
        long declared = request.getHeaders().getContentLength();
        if (declared > max) {
            return responses.write(exchange, tooLarge(max));
        }
        if (declared >= 0) {
            return chain.filter(exchange);
        }
        ServerHttpRequest counted = new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                AtomicLong seen = new AtomicLong();
                return super.getBody().handle((buffer, sink) -> {
                    if (seen.addAndGet(buffer.readableByteCount()) > max) {
                        DataBufferUtils.release(buffer);
                        sink.error(new PayloadTooLargeException(null));
                    }
                    else {
                        sink.next(buffer);
                    }
                });
            }
        };
        return chain.filter(exchange.mutate().request(counted).build());
    }

    private static ProblemDetail tooLarge(long max) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
                "The request body is larger than " + max + " bytes allowed here");
        problem.setType(ProblemTypes.PAYLOAD_TOO_LARGE);
        problem.setTitle("Payload too large");
        return problem;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 2;
    }
}
