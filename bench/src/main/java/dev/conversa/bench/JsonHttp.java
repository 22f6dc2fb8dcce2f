package dev.conversa.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small non-blocking JSON client for one base URL: the benchmark drives thousands of calls with bounded
 * concurrency, so a call is a {@link Mono} of the status and the parsed body, never an exception for a 4xx.
 */
final class JsonHttp {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** A response: its status and its body ({@code null} when empty or not JSON). */
    record Response(int status, JsonNode body) {

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final HttpClient http;
    private final Supplier<String> bearer;

    /** {@code bearer} is asked for a token on every call ({@code null} supplier: no Authorization header). */
    JsonHttp(String name, String baseUrl, int maxConnections, Supplier<String> bearer) {
        this.http = HttpClient.create(ConnectionProvider.builder(name).maxConnections(maxConnections)
                        .pendingAcquireMaxCount(-1).build())
                .baseUrl(baseUrl)
                .responseTimeout(Duration.ofSeconds(60));
        this.bearer = bearer;
    }

    Mono<Response> get(String path) {
        return exchange(client().get().uri(path));
    }

    Mono<Response> post(String path, Object body) {
        String text = JSON.writeValueAsString(body);
        return exchange(client().headers(headers -> headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json"))
                .post().uri(path).send(ByteBufFlux.fromString(Mono.just(text))));
    }

    private HttpClient client() {
        return bearer == null ? http
                : http.headers(headers -> headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + bearer.get()));
    }

    private static Mono<Response> exchange(HttpClient.ResponseReceiver<?> request) {
        return request.responseSingle((response, content) -> content.asString(StandardCharsets.UTF_8)
                .defaultIfEmpty("")
                .map(text -> new Response(response.status().code(), parse(text))));
    }

    private static JsonNode parse(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        }
        catch (RuntimeException notJson) {
            return null;
        }
    }
}
