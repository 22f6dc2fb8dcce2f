package dev.conversa.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.conversa.testsupport.TestJwts;
import dev.conversa.testsupport.TestRedis;

/**
 * A token signed by the realm's key but issued by another realm (or another Keycloak) is refused: the gateway here
 * trusts the JWKS of the test realm but expects issuer {@code .../realms/other}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class GatewayIssuerIntegrationTest {

    private static final Downstream downstream = new Downstream();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestRedis.Database redis = TestRedis.allocate();
        registry.add("spring.data.redis.host", redis::host);
        registry.add("spring.data.redis.port", redis::port);
        registry.add("spring.data.redis.database", redis::index);
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri",
                () -> TestJwts.get().issuer().replace("/realms/conversa", "/realms/other"));
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", () -> TestJwts.get().jwksUri());
        registry.add("SESSION_SERVICE_URL", downstream::url);
        registry.add("management.tracing.export.enabled", () -> "false");
    }

    @AfterAll
    static void stop() {
        downstream.close();
    }

    @Autowired
    WebTestClient web;

    @Test
    void tokenOfAnotherIssuerIs401EvenWithAValidSignature() {
        web.get().uri("/api/v1/sessions")
                .headers(headers -> headers.setBearerAuth(TestJwts.get().token("admin-1", "t1", "admin")))
                .exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.type").isEqualTo("https://conversa.dev/problems/unauthorized");
        org.assertj.core.api.Assertions.assertThat(downstream.requests()).isEmpty();
    }
}
