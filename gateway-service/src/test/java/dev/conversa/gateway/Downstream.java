package dev.conversa.gateway;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.handler.codec.http.HttpHeaders;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A real HTTP server standing for a Conversa service behind the gateway. It echoes: the response body is the
 * request body byte for byte, and {@code X-Echo-*} headers tell what arrived (path, Authorization, request id,
 * signature). {@code /api/v1/events/stream} is an SSE stream of five events 300 ms apart; {@code /api/v1/agents/slow}
 * answers after 3 s. Every request is recorded in {@link #requests()}.
 */
final class Downstream implements AutoCloseable {

    record Seen(String method, String path, HttpHeaders headers) {
    }

    private final List<Seen> requests = new CopyOnWriteArrayList<>();
    private final DisposableServer server;

    Downstream() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes
                        .get("/api/v1/events/stream", (request, response) -> {
                            record(request.method().name(), request.fullPath(), request.requestHeaders());
                            return response.header("Content-Type", "text/event-stream")
                                    .sendString(Flux.interval(Duration.ofMillis(300)).take(5)
                                            .map(i -> "id: " + i + "\ndata: {\"n\":" + i + "}\n\n"));
                        })
                        .get("/api/v1/agents/slow", (request, response) -> {
                            record(request.method().name(), request.fullPath(), request.requestHeaders());
                            return response.sendString(Mono.delay(Duration.ofSeconds(3)).thenReturn("late"));
                        })
                        .route(request -> true, (request, response) -> {
                            record(request.method().name(), request.fullPath(), request.requestHeaders());
                            HttpHeaders in = request.requestHeaders();
                            return response
                                    .header("X-Echo-Path", request.uri())
                                    .header("X-Echo-Authorization", String.valueOf(in.get("Authorization")))
                                    .header("X-Echo-Request-Id", String.valueOf(in.get("X-Request-Id")))
                                    .header("X-Echo-Signature", String.valueOf(in.get("X-Hub-Signature-256")))
                                    .header("Content-Type", in.get("Content-Type", "application/octet-stream"))
                                    // a service's own (weaker) header, which the gateway must replace
                                    .header("X-Frame-Options", "SAMEORIGIN")
                                    .send(request.receive().retain());
                        }))
                .bindNow();
    }

    private void record(String method, String path, HttpHeaders headers) {
        requests.add(new Seen(method, path, headers.copy()));
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    List<Seen> requests() {
        return requests;
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
