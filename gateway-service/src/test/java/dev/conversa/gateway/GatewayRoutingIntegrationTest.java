package dev.conversa.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.conversa.testsupport.TestJwts;
import dev.conversa.testsupport.TestRedis;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * The gateway in front of a real HTTP server standing for the services: tokens, roles, rate limits, size limits,
 * headers, the public webhook, SSE, timeouts and the circuit-breaker fallback, all through real HTTP on real Redis.
 * campaign-service's URL points at a closed port (a service that is down).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "20s")
class GatewayRoutingIntegrationTest {

    private static final String PROBLEMS = "https://conversa.dev/problems/";
    private static final Downstream downstream = new Downstream();
    private static final TestJwts jwts = TestJwts.get();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestRedis.Database redis = TestRedis.allocate();
        registry.add("spring.data.redis.host", redis::host);
        registry.add("spring.data.redis.port", redis::port);
        registry.add("spring.data.redis.database", redis::index);
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", jwts::issuer);
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", jwts::jwksUri);
        for (String service : List.of("SESSION", "MESSAGE", "DISTRIBUTION", "NOTIFICATION")) {
            registry.add(service + "_SERVICE_URL", downstream::url);
        }
        registry.add("CAMPAIGN_SERVICE_URL", () -> "http://127.0.0.1:" + closedPort());
        registry.add("GATEWAY_RESPONSE_TIMEOUT", () -> "1s");
        registry.add("RATE_LIMIT_SEND_PER_MINUTE", () -> "3");
        registry.add("MAX_REQUEST_SIZE", () -> "64KB");
        registry.add("CORS_ALLOWED_ORIGINS", () -> "https://console.example.com");
        registry.add("management.tracing.export.enabled", () -> "false");
    }

    @AfterAll
    static void stop() {
        downstream.close();
    }

    @Autowired
    WebTestClient web;

    private static java.util.function.Consumer<HttpHeaders> bearer(String token) {
        return headers -> headers.setBearerAuth(token);
    }

    @Test
    void missingTokenIs401ProblemWithRequestIdAndSecurityHeaders() {
        web.get().uri("/api/v1/sessions").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals("WWW-Authenticate", "Bearer")
                .expectHeader().exists("X-Request-Id")
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().valueEquals("X-Frame-Options", "DENY")
                .expectHeader().valueMatches("Strict-Transport-Security", "max-age=\\d+.*")
                .expectHeader().valueMatches("Content-Security-Policy", ".*frame-ancestors 'none'.*")
                .expectBody()
                .jsonPath("$.type").isEqualTo(PROBLEMS + "unauthorized")
                .jsonPath("$.status").isEqualTo(401)
                .jsonPath("$.trace").doesNotExist();
        assertThat(downstream.requests()).noneMatch(seen -> seen.path().equals("/api/v1/sessions"));
    }

    @Test
    void forgedExpiredAndTenantlessTokensAre401() {
        for (String token : List.of(jwts.forgedToken("u1", "t1", "admin"), jwts.expiredToken("u1", "t1", "admin"),
                jwts.tokenWithoutTenant("u1", "admin"), "not-a-jwt")) {
            web.get().uri("/api/v1/conversations").headers(bearer(token)).exchange()
                    .expectStatus().isUnauthorized()
                    .expectBody().jsonPath("$.type").isEqualTo(PROBLEMS + "unauthorized");
        }
    }

    @Test
    void agentOnAdminOnlyResourceIs403AndTokenWithoutConversaRoleIs403() {
        web.get().uri("/api/v1/webhooks").headers(bearer(jwts.token("agent-1", "t1", "agent"))).exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo(PROBLEMS + "forbidden");
        web.get().uri("/api/v1/sessions").headers(bearer(jwts.token("nobody", "t1", "offline_access"))).exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void validTokenIsRelayedWithTheRequestIdAndServiceHeadersAreHardened() {
        String token = jwts.token("admin-1", "t1", "admin");
        web.get().uri("/api/v1/webhooks?page=2").headers(bearer(token)).header("X-Request-Id", "req-abc.123")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Echo-Path", "/api/v1/webhooks?page=2")
                .expectHeader().valueEquals("X-Echo-Authorization", "Bearer " + token)
                .expectHeader().valueEquals("X-Echo-Request-Id", "req-abc.123")
                .expectHeader().valueEquals("X-Request-Id", "req-abc.123")
                .expectHeader().valueEquals("X-Frame-Options", "DENY")
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff");
    }

    @Test
    void insaneRequestIdIsReplacedByAFreshOne() {
        web.get().uri("/api/v1/agents").headers(bearer(jwts.token("sup-1", "t1", "supervisor")))
                .header("X-Request-Id", "<script>alert(1)</script>")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueMatches("X-Request-Id", "[0-9a-f-]{36}");
    }

    @Test
    void routesReachTheServiceOwningEachPath() {
        String token = jwts.token("admin-2", "t1", "admin");
        for (String path : List.of("/api/v1/sessions/s1", "/api/v1/conversations/c1/escalate",
                "/api/v1/messages/search?q=x", "/api/v1/agents/me", "/api/v1/queue", "/api/v1/routing",
                "/api/v1/alerts/recipients", "/api/v1/media/m1")) {
            web.method(path.endsWith("escalate") ? HttpMethod.POST : HttpMethod.GET).uri(path)
                    .headers(bearer(token)).exchange()
                    .expectStatus().isOk()
                    .expectHeader().valueEquals("X-Echo-Path", path);
        }
    }

    @Test
    void sendingMessagesIsLimitedPerUserWith429ProblemAndRetryAfter() {
        String alice = jwts.token("alice", "t1", "agent");
        for (int i = 0; i < 3; i++) {
            web.post().uri("/api/v1/conversations/c1/messages").headers(bearer(alice))
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"text\":\"hi\"}").exchange()
                    .expectStatus().isOk()
                    .expectHeader().valueEquals("X-RateLimit-Limit", "3");
        }
        web.post().uri("/api/v1/conversations/c1/messages").headers(bearer(alice))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"text\":\"hi\"}").exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueMatches("Retry-After", "[1-9][0-9]*")
                .expectHeader().valueEquals("X-RateLimit-Remaining", "0")
                .expectBody()
                .jsonPath("$.type").isEqualTo(PROBLEMS + "too-many-requests")
                .jsonPath("$.status").isEqualTo(429);
        // another user, and alice on an endpoint with the default limit, still pass
        web.post().uri("/api/v1/conversations/c1/messages").headers(bearer(jwts.token("bob", "t1", "agent")))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"text\":\"hi\"}").exchange()
                .expectStatus().isOk();
        web.get().uri("/api/v1/conversations/c1").headers(bearer(alice)).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-RateLimit-Limit", "100");
    }

    @Test
    void oversizedBodiesAre413BeforeReachingAService() {
        byte[] big = new byte[65 * 1024];
        Arrays.fill(big, (byte) 'a');
        String token = jwts.token("admin-3", "t1", "admin");
        web.post().uri("/api/v1/agents").headers(bearer(token)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(big).exchange()
                .expectStatus().isEqualTo(413)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo(PROBLEMS + "payload-too-large");
        // chunked: no Content-Length, the limit applies to the streamed bytes
        Flux<DataBuffer> chunks = Flux.range(0, 20).map(i -> DefaultDataBufferFactory.sharedInstance.wrap(
                new byte[8 * 1024]));
        web.post().uri("/api/v1/agents/chunked").headers(bearer(token))
                .contentType(MediaType.APPLICATION_OCTET_STREAM).body(chunks, DataBuffer.class).exchange()
                .expectStatus().isEqualTo(413);
        assertThat(downstream.requests()).noneMatch(seen -> seen.path().equals("/api/v1/agents"));
    }

    @Test
    void signedMediaLinkPassesWithoutATokenButTheRestOfMediaNeedsOne() {
        String link = "/api/v1/media/m1/content?expires=1700000000&signature=abc";
        web.get().uri(link).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Echo-Path", link);
        web.get().uri("/api/v1/media/m1").exchange().expectStatus().isUnauthorized();
        web.delete().uri("/api/v1/media/m1/content").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void whatsappWebhookIsPublicAndItsBodyArrivesByteForByte() {
        byte[] body = ("{\"object\":\"whatsapp_business_account\",  \"entry\":"
                + "[{\"text\":\"ol\u00e1 \\u00e9 \ud83d\ude00\"}]}\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] echoed = web.post().uri("/webhooks/whatsapp/1234567890")
                .header("X-Hub-Signature-256", "sha256=abc123")
                .header("Authorization", "Bearer whatever")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Echo-Signature", "sha256=abc123")
                .expectHeader().valueEquals("X-Echo-Authorization", "null")
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(echoed).isEqualTo(body);
        web.get().uri("/webhooks/whatsapp/1234567890?hub.mode=subscribe&hub.challenge=42").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Echo-Path",
                        "/webhooks/whatsapp/1234567890?hub.mode=subscribe&hub.challenge=42");
    }

    @Test
    void serverSentEventsStreamThroughUnbufferedAndOutliveTheResponseTimeout() {
        FluxExchangeResult<String> result = web.get().uri("/api/v1/events/stream")
                .headers(bearer(jwts.token("agent-2", "t1", "agent")))
                .accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .returnResult(String.class);
        long start = System.nanoTime();
        // events come one by one as the service writes them (300 ms apart), not at the end (1.5 s, past the 1 s
        // response timeout of ordinary routes)
        StepVerifier.create(result.getResponseBody())
                .assertNext(first -> {
                    assertThat(first).contains("\"n\":0");
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(900));
                })
                .expectNextCount(4)
                .verifyComplete();
    }

    @Test
    void manyConcurrentStreamsPassTheCircuitBreaker() {
        // Resilience4j's default bulkhead would admit 25 concurrent calls per breaker; a live stream is one call
        String token = jwts.token("agent-3", "t1", "agent");
        List<String> firstEvents = Flux.range(0, 40)
                .flatMap(i -> web.get().uri("/api/v1/events/stream").headers(bearer(token))
                        .accept(MediaType.TEXT_EVENT_STREAM).exchange()
                        .expectStatus().isOk()
                        .returnResult(String.class).getResponseBody().take(1), 40)
                .collectList().block(Duration.ofSeconds(20));
        assertThat(firstEvents).hasSize(40).allMatch(event -> event.contains("\"n\":0"));
    }

    @Test
    void slowServiceIs504ProblemAndDownServiceIs503ProblemWithoutInternalNames() {
        String token = jwts.token("admin-4", "t1", "admin");
        web.get().uri("/api/v1/agents/slow").headers(bearer(token)).exchange()
                .expectStatus().isEqualTo(504)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo(PROBLEMS + "gateway-timeout")
                .jsonPath("$.instance").isEqualTo("/api/v1/agents/slow");
        String body = web.get().uri("/api/v1/campaigns").headers(bearer(token)).exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().exists("Retry-After")
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(body).contains(PROBLEMS + "service-unavailable", "campaign").doesNotContain("127.0.0.1",
                "Connection refused", "Exception");
    }

    @Test
    void corsPreflightIsAnsweredForTheConfiguredOriginOnly() {
        web.options().uri("/api/v1/conversations").header("Origin", "https://console.example.com")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "Authorization, Content-Type").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Access-Control-Allow-Origin", "https://console.example.com");
        web.options().uri("/api/v1/conversations").header("Origin", "https://evil.example.com")
                .header("Access-Control-Request-Method", "POST").exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void swaggerUiAndServiceApiDocsArePublic() {
        web.get().uri("/swagger-ui.html").exchange().expectStatus().is3xxRedirection();
        web.get().uri("/openapi/session").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Echo-Path", "/v3/api-docs");
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
