package dev.conversa.campaign.campaigns;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.conversa.testsupport.RealServers;
import dev.conversa.testsupport.TestJwts;

/** Contacts written straight into {@code campaign.contacts}, and campaigns made through the API. */
public final class CampaignFixtures {

    private final WebTestClient web;
    private final RealServers servers;

    public CampaignFixtures(WebTestClient web, RealServers servers) {
        this.web = web.mutate().responseTimeout(Duration.ofSeconds(60)).build();
        this.servers = servers;
    }

    public static String admin(String tenant) {
        return TestJwts.get().token("admin-1", tenant, "admin");
    }

    /** Inserts a contact; answers its id. */
    public UUID contact(String tenant, String phone, String name, List<String> groups, List<String> tags,
            boolean optedOut) {
        UUID id = UUID.randomUUID();
        servers.database().update("""
                INSERT INTO campaign.contacts (id, tenant_id, phone, name, attributes, groups, tags, opted_out)
                VALUES (?, ?, ?, ?, '{"city":"Rosario"}'::jsonb, ?::text[], ?::text[], ?)""", id, tenant, phone, name,
                "{" + String.join(",", groups) + "}", "{" + String.join(",", tags) + "}", optedOut);
        return id;
    }

    /** Inserts {@code count} contacts of {@code group} in one statement. */
    public void contacts(String tenant, String group, int count) {
        servers.database().update("""
                INSERT INTO campaign.contacts (id, tenant_id, phone, name, groups)
                SELECT gen_random_uuid(), ?, '+54911' || lpad(g::text, 8, '0'), 'Contact ' || g, ARRAY[?]
                  FROM generate_series(1, ?) AS g""", tenant, group, count);
    }

    /** A campaign body sending "Hola {{name|cliente}}" to {@code group} from {@code sessions}. */
    public static Map<String, Object> body(String name, String group, List<UUID> sessions) {
        return Map.of("name", name, "sessionIds", sessions, "audience", Map.of("groups", List.of(group)),
                "message", Map.of("text", "Hola {{name|cliente}} de {{city|tu ciudad}}"), "maxAttempts", 2);
    }

    public UUID create(String tenant, Map<String, Object> body) {
        Map<?, ?> created = web.post().uri("/api/v1/campaigns")
                .headers(headers -> headers.setBearerAuth(admin(tenant)))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class)
                .returnResult().getResponseBody();
        return UUID.fromString((String) created.get("id"));
    }

    public Map<?, ?> control(String tenant, UUID campaign, String action) {
        return web.post().uri("/api/v1/campaigns/{id}/{action}", campaign, action)
                .headers(headers -> headers.setBearerAuth(admin(tenant)))
                .exchange()
                .expectStatus().isOk()
                .expectBody(Map.class)
                .returnResult().getResponseBody();
    }

    public void pacing(String tenant, UUID session, int perMinute, int jitter, int dailyCap) {
        web.put().uri("/api/v1/sessions/{id}/pacing", session)
                .headers(headers -> headers.setBearerAuth(admin(tenant)))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("messagesPerMinute", perMinute, "jitterPercent", jitter, "dailyCap", dailyCap,
                        "warmupDays", 0, "warmupStartCap", 1))
                .exchange()
                .expectStatus().isOk();
    }

    public long count(String sql, Object... parameters) {
        return servers.database().queryLong(sql, parameters);
    }
}
