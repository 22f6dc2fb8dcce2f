package dev.conversa.notification.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.conversa.testsupport.ConversaIntegrationTest;
import dev.conversa.testsupport.RealServers;
import dev.conversa.testsupport.TestJwts;

/**
 * {@code /api/v1/webhooks} with private targets refused (the production default). Public targets are IP literals,
 * so no DNS is needed.
 */
@ConversaIntegrationTest
class WebhooksApiIntegrationTest {

    private static final String PUBLIC_URL = "https://93.184.215.14/hooks/conversa";

    @Autowired
    private WebTestClient web;

    @Autowired
    private RealServers servers;

    private static String admin(String tenant) {
        return TestJwts.get().token("admin-1", tenant, "admin");
    }

    private WebTestClient.ResponseSpec create(String tenant, Map<String, ?> body) {
        return web.post().uri("/api/v1/webhooks").headers(headers -> headers.setBearerAuth(admin(tenant)))
                .bodyValue(body).exchange();
    }

    private Map<?, ?> created(String tenant) {
        return create(tenant, Map.of("url", PUBLIC_URL, "eventTypes", List.of("conversa.session.*")))
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
    }

    @Test
    void createShowsTheGeneratedSecretOnceAndStoresItEncrypted() {
        Map<?, ?> created = created("tenant-secret");
        String secret = (String) created.get("secret");
        assertThat(secret).startsWith("whsec_").hasSizeGreaterThan(40);

        web.get().uri("/api/v1/webhooks/{id}", created.get("id"))
                .headers(headers -> headers.setBearerAuth(admin("tenant-secret")))
                .exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.url").isEqualTo(PUBLIC_URL)
                .jsonPath("$.eventTypes[0]").isEqualTo("conversa.session.*")
                .jsonPath("$.active").isEqualTo(true)
                .jsonPath("$.secret").doesNotExist();
        byte[] stored = (byte[]) servers.database().queryRow(
                "SELECT secret_encrypted FROM notification.webhook_subscriptions WHERE id = ?::uuid",
                created.get("id")).get("secret_encrypted");
        assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(secret);
    }

    @Test
    void listIsPagedWithACursor() {
        String tenant = "tenant-pages";
        Set<Object> ids = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            ids.add(created(tenant).get("id"));
        }
        List<Object> seen = new ArrayList<>();
        String cursor = null;
        do {
            String query = cursor == null ? "/api/v1/webhooks?size=2" : "/api/v1/webhooks?size=2&cursor=" + cursor;
            Map<?, ?> page = web.get().uri(query).headers(headers -> headers.setBearerAuth(admin(tenant)))
                    .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
            ((List<?>) page.get("items")).forEach(item -> seen.add(((Map<?, ?>) item).get("id")));
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);
        assertThat(seen).hasSize(5).containsExactlyInAnyOrderElementsOf(ids);
        web.get().uri("/api/v1/webhooks?size=1000").headers(headers -> headers.setBearerAuth(admin(tenant)))
                .exchange().expectStatus().isBadRequest();
    }

    @Test
    void anotherTenantsWebhookAnswers404() {
        Object id = created("tenant-owner").get("id");
        String intruder = admin("tenant-intruder");
        web.get().uri("/api/v1/webhooks/{id}", id).headers(headers -> headers.setBearerAuth(intruder))
                .exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo("https://conversa.dev/problems/not-found");
        web.put().uri("/api/v1/webhooks/{id}", id).headers(headers -> headers.setBearerAuth(intruder))
                .bodyValue(Map.of("url", PUBLIC_URL, "eventTypes", List.of("*")))
                .exchange().expectStatus().isNotFound();
        web.delete().uri("/api/v1/webhooks/{id}", id).headers(headers -> headers.setBearerAuth(intruder))
                .exchange().expectStatus().isNotFound();
        web.get().uri("/api/v1/webhooks/{id}/deliveries", id).headers(headers -> headers.setBearerAuth(intruder))
                .exchange().expectStatus().isNotFound();
        web.get().uri("/api/v1/webhooks").headers(headers -> headers.setBearerAuth(intruder))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.items.length()").isEqualTo(0);
    }

    @Test
    void updateAndDeleteWork() {
        Object id = created("tenant-crud").get("id");
        web.put().uri("/api/v1/webhooks/{id}", id).headers(headers -> headers.setBearerAuth(admin("tenant-crud")))
                .bodyValue(Map.of("url", PUBLIC_URL + "/v2", "eventTypes", List.of("conversa.campaign.finished.v1"),
                        "active", false))
                .exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.url").isEqualTo(PUBLIC_URL + "/v2")
                .jsonPath("$.active").isEqualTo(false)
                .jsonPath("$.secret").doesNotExist();
        web.delete().uri("/api/v1/webhooks/{id}", id).headers(headers -> headers.setBearerAuth(admin("tenant-crud")))
                .exchange().expectStatus().isNoContent();
        web.get().uri("/api/v1/webhooks/{id}", id).headers(headers -> headers.setBearerAuth(admin("tenant-crud")))
                .exchange().expectStatus().isNotFound();
    }

    @Test
    void invalidSubscriptionAnswers400WithFieldErrors() {
        create("tenant-invalid", Map.of("url", "ftp://example.com/x", "eventTypes", List.of("Bad Type!")))
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://conversa.dev/problems/validation")
                .jsonPath("$.errors[?(@.field == 'url')]").exists()
                .jsonPath("$.errors[?(@.field =~ /eventTypes.*/)]").exists();
        create("tenant-invalid", Map.of("url", PUBLIC_URL, "eventTypes", List.of()))
                .expectStatus().isBadRequest();
        create("tenant-invalid", Map.of("url", PUBLIC_URL, "eventTypes", List.of("*"), "secret", "short"))
                .expectStatus().isBadRequest();
    }

    @Test
    void privateAndLoopbackTargetsAreRefused() {
        for (String url : List.of("http://127.0.0.1:8080/hook", "http://localhost/hook", "https://10.1.2.3/hook",
                "http://169.254.169.254/latest/meta-data", "http://[::1]/hook", "http://192.168.0.10/hook")) {
            create("tenant-ssrf", Map.of("url", url, "eventTypes", List.of("*")))
                    .expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.detail").value(detail ->
                            assertThat((String) detail).contains("not allowed"));
        }
        assertThat(servers.database().queryLong(
                "SELECT count(*) FROM notification.webhook_subscriptions WHERE tenant_id = 'tenant-ssrf'")).isZero();
    }

    @Test
    void onlyAdminsManageWebhooks() {
        web.get().uri("/api/v1/webhooks")
                .headers(headers -> headers.setBearerAuth(TestJwts.get().token("agent-1", "tenant-roles", "agent")))
                .exchange().expectStatus().isEqualTo(HttpStatus.FORBIDDEN);
    }
}
