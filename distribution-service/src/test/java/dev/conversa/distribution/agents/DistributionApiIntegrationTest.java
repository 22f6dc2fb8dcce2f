package dev.conversa.distribution.agents;

import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.conversa.distribution.DistributionTestBase;

/** The REST API's contract: roles, tenant isolation, validation, pagination, ETags. */
class DistributionApiIntegrationTest extends DistributionTestBase {

    @Test
    void firstStatusCreatesTheAgentFromTheTokenAndListsShowLoad() {
        String tenant = "tenant-api-list";
        for (String agent : List.of("ana", "bea", "carla")) {
            agentStatus(tenant, agent, "online");
        }
        String supervisor = token("sup", tenant, "supervisor");

        get(supervisor, "/api/v1/agents?size=2").expectStatus().isOk().expectBody()
                .jsonPath("$.items.length()").isEqualTo(2)
                .jsonPath("$.items[0].userId").isEqualTo("ana")
                .jsonPath("$.items[0].status").isEqualTo("online")
                .jsonPath("$.items[0].maxConcurrent").isEqualTo(10)
                .jsonPath("$.items[0].activeConversations").isEqualTo(0)
                .jsonPath("$.nextCursor").isNotEmpty();
        String cursor = get(supervisor, "/api/v1/agents?size=2").expectBody(Map.class).returnResult()
                .getResponseBody().get("nextCursor").toString();
        get(supervisor, "/api/v1/agents?size=2&cursor=" + cursor).expectStatus().isOk().expectBody()
                .jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.items[0].userId").isEqualTo("carla")
                .jsonPath("$.nextCursor").doesNotExist();
        get(supervisor, "/api/v1/agents?cursor=bm9wZQ").expectStatus().isBadRequest();
        get(supervisor, "/api/v1/agents?size=1000").expectStatus().isBadRequest();
    }

    @Test
    void supervisorsEditCapacitySkillsAndTeamWithIfMatch() {
        String tenant = "tenant-api-patch";
        agentStatus(tenant, "ana", "away");
        String supervisor = token("sup", tenant, "supervisor");

        String etag = get(supervisor, "/api/v1/agents/ana").expectStatus().isOk()
                .returnResult(String.class).getResponseHeaders().getETag();
        web.patch().uri("/api/v1/agents/ana").headers(h -> {
            h.setBearerAuth(supervisor);
            h.setIfMatch("\"999\"");
        }).bodyValue(Map.of("maxConcurrent", 3)).exchange().expectStatus().isEqualTo(412);
        web.patch().uri("/api/v1/agents/ana").headers(h -> {
            h.setBearerAuth(supervisor);
            h.setIfMatch(etag);
        }).bodyValue(Map.of("maxConcurrent", 3, "skills", List.of("ventas", "soporte"), "team", "norte",
                "displayName", "Ana G.")).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.maxConcurrent").isEqualTo(3)
                .jsonPath("$.skills[1]").isEqualTo("soporte")
                .jsonPath("$.team").isEqualTo("norte")
                .jsonPath("$.displayName").isEqualTo("Ana G.");
        patch(supervisor, "/api/v1/agents/ana", Map.of("team", "")).expectStatus().isOk().expectBody()
                .jsonPath("$.team").doesNotExist();
    }

    @Test
    void invalidBodiesAnswer400WithTheFields() {
        String tenant = "tenant-api-validation";
        agentStatus(tenant, "ana", "online");
        String supervisor = token("sup", tenant, "supervisor");

        put(token("ana", tenant, "agent"), "/api/v1/agents/me/status", Map.of("status", "sleeping"))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors.status").isNotEmpty();
        patch(supervisor, "/api/v1/agents/ana", Map.of("maxConcurrent", -1))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors.maxConcurrent").isNotEmpty();
        patch(supervisor, "/api/v1/agents/ana", Map.of())
                .expectStatus().isBadRequest();
        post(supervisor, "/api/v1/conversations/" + UUID.randomUUID() + "/reassign", Map.of())
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors.agentId").isNotEmpty();
        put(token("admin", tenant, "admin"), "/api/v1/routing/sessions/" + UUID.randomUUID(),
                Map.of("botEnabled", true, "escalationKeywords", List.of(" ")))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors.escalationKeywords").isNotEmpty();
        put(token("admin", tenant, "admin"), "/api/v1/routing/tenant", Map.of())
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors.releaseOnOffline").isNotEmpty();
    }

    @Test
    void rolesAreEnforced() {
        String tenant = "tenant-api-roles";
        agentStatus(tenant, "ana", "online");
        UUID id = UUID.randomUUID();

        put(token("bot-1", tenant, "bot"), "/api/v1/agents/me/status", Map.of("status", "online"))
                .expectStatus().isForbidden();
        patch(token("ana", tenant, "agent"), "/api/v1/agents/ana", Map.of("maxConcurrent", 50))
                .expectStatus().isForbidden();
        get(token("ana", tenant, "agent"), "/api/v1/queue").expectStatus().isForbidden();
        post(token("ana", tenant, "agent"), "/api/v1/conversations/" + id + "/reassign", Map.of("agentId", "ana"))
                .expectStatus().isForbidden();
        post(token("ana", tenant, "agent"), "/api/v1/conversations/" + id + "/escalate", Map.of())
                .expectStatus().isForbidden();
        put(token("sup", tenant, "supervisor"), "/api/v1/routing/tenant", Map.of("releaseOnOffline", true))
                .expectStatus().isForbidden();
        web.get().uri("/api/v1/agents").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void anotherTenantsAgentsAndConversationsAreNotFound() {
        String tenant = "tenant-api-mine";
        agentStatus(tenant, "ana", "online");
        UUID id = UUID.randomUUID();
        produce(opened(tenant, id, UUID.randomUUID(), Instant.now()));
        await().atMost(TIMEOUT).until(() -> "assigned:ana".equals(state(id)));
        String intruder = token("sup", "tenant-api-other", "supervisor");

        get(intruder, "/api/v1/agents/ana").expectStatus().isNotFound();
        patch(intruder, "/api/v1/agents/ana", Map.of("maxConcurrent", 1)).expectStatus().isNotFound();
        get(intruder, "/api/v1/agents").expectStatus().isOk().expectBody().jsonPath("$.items.length()").isEqualTo(0);
        post(intruder, "/api/v1/conversations/" + id + "/unassign", Map.of()).expectStatus().isNotFound();
        post(intruder, "/api/v1/conversations/" + id + "/reassign", Map.of("agentId", "ana"))
                .expectStatus().isNotFound();
        get(intruder, "/api/v1/conversations/" + id + "/routing").expectStatus().isNotFound();
        get(token("sup", tenant, "supervisor"), "/api/v1/conversations/" + id + "/routing").expectStatus().isOk()
                .expectBody().jsonPath("$.agentId").isEqualTo("ana");
        // an agent sees only the conversations assigned to them
        get(token("bea", tenant, "agent"), "/api/v1/conversations/" + id + "/routing").expectStatus().isNotFound();
    }
}
