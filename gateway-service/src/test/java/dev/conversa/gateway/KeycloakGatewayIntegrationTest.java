package dev.conversa.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.conversa.testsupport.TestRedis;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway against a real Keycloak 26.7.3, started from the Maven Central distribution (unpacked into
 * {@code target/keycloak} by the build) with {@code deploy/keycloak/conversa-realm.json} imported: a token from the
 * realm's demo client passes the gateway to a service, with its tenant claim and role; an agent's token is refused
 * on an admin-only resource. Keycloak starts in 30-90 s on a 2-core machine; this class is the slow one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "20s")
class KeycloakGatewayIntegrationTest {

    private static final Duration STARTUP = Duration.ofMinutes(4);
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Downstream downstream = new Downstream();
    private static Process keycloak;
    private static String realmUrl;

    @BeforeAll
    static void startKeycloak() throws Exception {
        Path home = Path.of(System.getProperty("conversa.keycloak.home", "target/keycloak/keycloak-26.7.3"));
        Path realm = Path.of(System.getProperty("conversa.keycloak.realm", "../deploy/keycloak/conversa-realm.json"));
        Assumptions.assumeTrue(Files.isExecutable(home.resolve("bin/kc.sh")),
                "Keycloak distribution not unpacked at " + home + " (run through Maven)");
        deleteRecursively(home.resolve("data/h2"));
        Files.createDirectories(home.resolve("data/import"));
        Files.copy(realm, home.resolve("data/import/conversa-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--import-realm", "--http-host=127.0.0.1", "--http-port=" + port,
                "--http-management-port=" + freePort(), "--cache=local")
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target/keycloak-it.log").toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("JAVA_OPTS_APPEND", "-Xms64m -Xmx512m -XX:TieredStopAtLevel=1");
        keycloak = builder.start();
        realmUrl = "http://127.0.0.1:" + port + "/realms/conversa";
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            assertThat(keycloak.isAlive()).as("Keycloak exited; see target/keycloak-it.log").isTrue();
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(realmUrl + "/.well-known/openid-configuration"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    break;
                }
            }
            catch (IOException notYet) {
                // still starting
            }
            assertThat(System.nanoTime()).as("Keycloak did not start in %s", STARTUP).isLessThan(deadline);
            Thread.sleep(1000);
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        downstream.close();
        if (keycloak != null) {
            keycloak.descendants().forEach(ProcessHandle::destroy);
            keycloak.destroy();
            keycloak.waitFor();
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestRedis.Database redis = TestRedis.allocate();
        registry.add("spring.data.redis.host", redis::host);
        registry.add("spring.data.redis.port", redis::port);
        registry.add("spring.data.redis.database", redis::index);
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> realmUrl);
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri",
                () -> realmUrl + "/protocol/openid-connect/certs");
        registry.add("CAMPAIGN_SERVICE_URL", downstream::url);
        registry.add("NOTIFICATION_SERVICE_URL", downstream::url);
        registry.add("management.tracing.export.enabled", () -> "false");
    }

    @Autowired
    WebTestClient web;

    @Test
    void demoClientTokenFromKeycloakReachesAServiceThroughTheGateway() throws Exception {
        String token = clientCredentialsToken("conversa-demo", "dev-only-demo-secret");
        Map<?, ?> claims = JsonMapper.shared().readValue(java.util.Base64.getUrlDecoder()
                .decode(token.split("\\.")[1]), Map.class);
        assertThat(claims.get("tenant_id")).isEqualTo("demo");
        assertThat(((Map<?, ?>) claims.get("realm_access")).get("roles"))
                .asInstanceOf(InstanceOfAssertFactories.list(String.class)).contains("admin");

        web.get().uri("/api/v1/campaigns").headers(headers -> headers.setBearerAuth(token)).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Echo-Path", "/api/v1/campaigns")
                .expectHeader().valueEquals("X-Echo-Authorization", "Bearer " + token);
    }

    @Test
    void agentTokenFromKeycloakIsRefusedOnAdminOnlyResources() throws Exception {
        String token = clientCredentialsToken("conversa-demo-agent", "dev-only-demo-agent-secret");
        web.get().uri("/api/v1/webhooks").headers(headers -> headers.setBearerAuth(token)).exchange()
                .expectStatus().isForbidden();
        web.get().uri("/api/v1/campaigns").headers(headers -> headers.setBearerAuth(token)).exchange()
                .expectStatus().isOk();
    }

    @Test
    void consoleClientCannotUseThePasswordGrant() throws Exception {
        HttpResponse<String> response = http.send(tokenRequest("grant_type=password&client_id=conversa-console"
                + "&username=demo-agent&password=conversa-demo-only-2026"), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isIn(400, 401);
    }

    private static String clientCredentialsToken(String clientId, String secret) throws Exception {
        HttpResponse<String> response = http.send(tokenRequest("grant_type=client_credentials&client_id=" + clientId
                + "&client_secret=" + secret), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return String.valueOf(JsonMapper.shared().readValue(response.body(), Map.class).get("access_token"));
    }

    private static HttpRequest tokenRequest(String form) {
        return HttpRequest.newBuilder(URI.create(realmUrl + "/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
