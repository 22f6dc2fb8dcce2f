package dev.conversa.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import dev.conversa.testsupport.TestJwts;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The session-service REST API as an operator uses it (an {@code admin} of one tenant): create linked sessions,
 * read their QR, count them by status. Tokens are minted by {@link TestJwts} and renewed well before they expire,
 * because a 5,000-session run can outlast one.
 */
final class SessionsApi {

    private static final Duration TOKEN_RENEWAL = Duration.ofMinutes(20);

    private final JsonHttp http;
    private final String tenant;
    private volatile String token;
    private volatile Instant tokenMintedAt = Instant.EPOCH;

    SessionsApi(String baseUrl, String tenant, int maxConnections) {
        this.tenant = tenant;
        this.http = new JsonHttp("sessions-api", baseUrl, maxConnections, this::token);
    }

    /** {@code POST /api/v1/sessions} with transport {@code linked}: the id of the new (pending) session. */
    Mono<UUID> createLinked(String name) {
        return http.post("/api/v1/sessions", Map.of("name", name, "transport", "linked"))
                .flatMap(response -> response.status() == 201
                        ? Mono.just(UUID.fromString(response.body().get("id").asString()))
                        : Mono.error(new IllegalStateException("create " + name + " answered " + response)));
    }

    /** {@code GET /api/v1/sessions/{id}/qr}: the QR ref shown now, or empty (404) while there is none yet. */
    Mono<String> qrRef(UUID sessionId) {
        return http.get("/api/v1/sessions/" + sessionId + "/qr")
                .flatMap(response -> {
                    if (response.status() == 404) {
                        return Mono.empty();
                    }
                    return response.ok() ? Mono.just(response.body().get("ref").asString())
                            : Mono.error(new IllegalStateException("qr of " + sessionId + " answered " + response));
                });
    }

    /** {@code GET /api/v1/sessions/stats}: the tenant's sessions by status. */
    JsonNode stats() {
        JsonHttp.Response response = http.get("/api/v1/sessions/stats").block(Duration.ofSeconds(60));
        if (response == null || !response.ok()) {
            throw new IllegalStateException("stats answered " + response);
        }
        return response.body();
    }

    long connected() {
        return stats().path("byStatus").path("connected").asLong();
    }

    private String token() {
        if (Duration.between(tokenMintedAt, Instant.now()).compareTo(TOKEN_RENEWAL) > 0) {
            token = TestJwts.get().token("bench-admin", tenant, "admin");
            tokenMintedAt = Instant.now();
        }
        return token;
    }
}
