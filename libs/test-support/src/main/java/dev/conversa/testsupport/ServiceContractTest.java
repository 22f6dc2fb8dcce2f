package dev.conversa.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What every Conversa service must show an operator and a client, checked against the real servers: readiness
 * reports exactly the dependencies the service uses, liveness does not depend on them, metrics are scraped without a
 * token, the API refuses anonymous and forged callers with ProblemDetail JSON, and Flyway built the service's schema.
 * A service's test extends this and passes its {@link Expectations}.
 */
@ConversaIntegrationTest
@TestPropertySource(properties = "management.endpoint.health.show-components=always")
public abstract class ServiceContractTest {

    @Autowired
    protected WebTestClient web;

    @Autowired
    protected RealServers servers;

    /**
     * What a service declares about itself.
     *
     * @param readinessDependencies health contributors its readiness group must contain ({@code r2dbc}, {@code redis},
     *                              {@code kafka})
     * @param schema                its database schema, or null for a service without a database
     * @param tables                tables its migrations create
     * @param protectedPath         a path of its API that needs a token
     */
    public record Expectations(Set<String> readinessDependencies, @Nullable String schema, Set<String> tables,
            String protectedPath) {
    }

    private final Expectations expected;

    protected ServiceContractTest(Expectations expected) {
        this.expected = expected;
    }

    @Test
    void readinessIsUpAndCoversEveryDependency() {
        Map<?, ?> health = web.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(health.get("status")).isEqualTo("UP");
        assertThat(components(health)).containsAll(expected.readinessDependencies()).contains("readinessState");
    }

    @Test
    void livenessDoesNotDependOnOtherServers() {
        Map<?, ?> health = web.get().uri("/actuator/health/liveness").exchange()
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(health.get("status")).isEqualTo("UP");
        assertThat(components(health)).contains("livenessState").doesNotContain("r2dbc", "redis", "kafka", "binders");
    }

    private static Set<String> components(Map<?, ?> health) {
        Set<String> names = new HashSet<>();
        ((Map<?, ?>) health.get("components")).keySet().forEach(name -> names.add(String.valueOf(name)));
        return names;
    }

    @Test
    void prometheusMetricsAreScrapedWithoutToken() {
        String metrics = web.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).contains("jvm_memory_used_bytes");
    }

    @Test
    void actuatorExposesNothingBeyondHealthInfoAndMetrics() {
        web.get().uri("/actuator/env").exchange().expectStatus().value(status -> assertThat(status).isIn(401, 404));
        web.get().uri("/actuator/beans").exchange().expectStatus().value(status -> assertThat(status).isIn(401, 404));
    }

    @Test
    void apiRejectsMissingTokenWithProblemDetail() {
        web.get().uri(expected.protectedPath()).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://conversa.dev/problems/unauthorized")
                .jsonPath("$.status").isEqualTo(401);
    }

    @Test
    void apiRejectsForgedExpiredAndTenantlessTokens() {
        TestJwts jwts = TestJwts.get();
        for (String token : new String[] {jwts.forgedToken("u1", "tenant-a", "admin"),
            jwts.expiredToken("u1", "tenant-a", "admin"), jwts.tokenWithoutTenant("u1", "admin")}) {
            web.get().uri(expected.protectedPath()).headers(headers -> headers.setBearerAuth(token)).exchange()
                    .expectStatus().isUnauthorized();
        }
    }

    @Test
    void migrationsCreatedTheServiceSchema() throws Exception {
        if (expected.schema() == null) {
            assertThat(expected.tables()).isEmpty();
            return;
        }
        Set<String> found = new HashSet<>();
        try (Connection connection = servers.database().connect();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = ?")) {
            query.setString(1, expected.schema());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    found.add(rows.getString(1));
                }
            }
        }
        assertThat(found).containsAll(expected.tables()).contains("flyway_schema_history");
    }
}
