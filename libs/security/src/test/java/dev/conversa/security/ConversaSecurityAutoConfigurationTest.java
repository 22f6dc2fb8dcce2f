package dev.conversa.security;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.conversa.testsupport.TestJwts;

/**
 * A service with the library on its classpath is a JWT resource server: tokens are verified against the realm's
 * JWKS and issuer, must name a tenant, realm roles drive method security, and every refusal is ProblemDetail.
 */
@SpringBootTest(classes = SecurityTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class ConversaSecurityAutoConfigurationTest {

    private static final String TYPES = "https://conversa.dev/problems/";

    @DynamicPropertySource
    static void realm(DynamicPropertyRegistry registry) {
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", () -> TestJwts.get().jwksUri());
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> TestJwts.get().issuer());
    }

    @Autowired
    WebTestClient client;

    private final TestJwts jwts = TestJwts.get();

    @Test
    void adminTokenPassesAdminOnlyRoute() {
        client.get().uri("/test/admin-only")
                .headers(bearer(jwts.token("u-admin", "tenant-a", "admin")))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.result").isEqualTo("admin stuff");
    }

    @Test
    void agentTokenOnAdminOnlyRouteIs403Problem() {
        client.get().uri("/test/admin-only")
                .headers(bearer(jwts.token("u-agent", "tenant-a", "agent")))
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo(TYPES + "forbidden")
                .jsonPath("$.status").isEqualTo(403)
                .jsonPath("$.instance").isEqualTo("/test/admin-only");
    }

    @Test
    void unknownRealmRolesGrantNothing() {
        client.get().uri("/test/admin-only")
                .headers(bearer(jwts.token("u-x", "tenant-a", "offline_access", "administrator")))
                .exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void principalParameterIsResolvedFromTheToken() {
        client.get().uri("/test/me")
                .headers(bearer(jwts.token("u-sup", "tenant-b", "supervisor", "agent", "offline_access")))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.userId").isEqualTo("u-sup")
                .jsonPath("$.tenantId").isEqualTo("tenant-b")
                .jsonPath("$.username").isEqualTo("u-sup")
                .jsonPath("$.roles.length()").isEqualTo(2)
                .jsonPath("$.roles[0]").isEqualTo("AGENT")
                .jsonPath("$.roles[1]").isEqualTo("SUPERVISOR")
                .jsonPath("$.seesWholeTenant").isEqualTo(true);
    }

    @Test
    void currentPrincipalIsAvailableToReactiveCode() {
        client.get().uri("/test/current")
                .headers(bearer(jwts.token("u-agent", "tenant-c", "agent")))
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class).isEqualTo("tenant-c");
    }

    @Test
    void requestWithoutTokenIs401ProblemWithBearerChallenge() {
        client.get().uri("/test/me")
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo(TYPES + "unauthorized")
                .jsonPath("$.status").isEqualTo(401)
                .jsonPath("$.instance").isEqualTo("/test/me");
    }

    @Test
    void tokenWithoutTenantIsRejectedWith401() {
        expectUnauthorized(jwts.tokenWithoutTenant("u-admin", "admin"));
    }

    @Test
    void expiredTokenIsRejectedWith401() {
        expectUnauthorized(jwts.expiredToken("u-admin", "tenant-a", "admin"));
    }

    @Test
    void tokenSignedByUnpublishedKeyIsRejectedWith401() {
        expectUnauthorized(jwts.forgedToken("u-admin", "tenant-a", "admin"));
    }

    @Test
    void malformedTokenIsRejectedWith401() {
        expectUnauthorized("not-a-jwt");
    }

    @Test
    void healthProbePathIsOpenWithoutToken() {
        // no actuator on this classpath: an open path reaches the router (404), a protected one stops at 401
        client.get().uri("/actuator/health")
                .exchange()
                .expectStatus().isNotFound()
                .expectBody()
                .jsonPath("$.type").isEqualTo(TYPES + "not-found");
    }

    @Test
    void apiDocsAreOpenForTheGatewaysSwaggerUiButOnlyForReading() {
        // no springdoc on this classpath: open GETs reach the router (404); a POST there still needs a token
        client.get().uri("/v3/api-docs").exchange().expectStatus().isNotFound();
        client.get().uri("/v3/api-docs/swagger-config").exchange().expectStatus().isNotFound();
        client.post().uri("/v3/api-docs").exchange().expectStatus().isUnauthorized();
    }

    private void expectUnauthorized(String token) {
        client.get().uri("/test/me")
                .headers(bearer(token))
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo(TYPES + "unauthorized")
                .jsonPath("$.userId").doesNotExist();
    }

    private static java.util.function.Consumer<HttpHeaders> bearer(String token) {
        return headers -> headers.setBearerAuth(token);
    }
}
