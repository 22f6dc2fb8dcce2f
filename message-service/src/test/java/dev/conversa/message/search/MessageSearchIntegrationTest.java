package dev.conversa.message.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.conversa.message.conversations.InboxFixtures;
import dev.conversa.testsupport.ConversaIntegrationTest;
import dev.conversa.testsupport.RealServers;
import dev.conversa.testsupport.TestJwts;

/** {@code GET /api/v1/messages/search} on real PostgreSQL: Spanish and English stems, rank, tenant, visibility. */
@ConversaIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MessageSearchIntegrationTest {

    private static final String TENANT = "tenant-search";
    private static final String OTHER_TENANT = "tenant-search-other";

    @Autowired
    WebTestClient web;

    @Autowired
    RealServers servers;

    UUID oneOrder;
    UUID manyOrders;
    UUID englishOrder;
    UUID agentBsOrder;
    UUID otherTenantsOrder;

    record Hit(UUID messageId, UUID conversationId, String contactPhone, String text, float rank) {
    }

    record Page(List<Hit> items, int page, int size, long total) {
    }

    @BeforeAll
    void seed() {
        InboxFixtures fixtures = new InboxFixtures(servers);
        Instant at = Instant.now().minus(Duration.ofHours(1));
        UUID session = UUID.randomUUID();
        UUID agentA = fixtures.conversation(TENANT, session).assignee("agent-a").insert();
        UUID agentB = fixtures.conversation(TENANT, session).assignee("agent-b").insert();
        oneOrder = fixtures.inbound(TENANT, agentA, session, "Quiero consultar el estado de mi pedido", "wamid.S1",
                at);
        manyOrders = fixtures.inbound(TENANT, agentA, session,
                "Los pedidos llegan mañana: un pedido grande y otro pedido chico", "wamid.S2", at.plusSeconds(1));
        englishOrder = fixtures.inbound(TENANT, agentA, session, "Where is my order? It was due yesterday",
                "wamid.S3", at.plusSeconds(2));
        fixtures.inbound(TENANT, agentA, session, "Gracias, nada más", "wamid.S4", at.plusSeconds(3));
        agentBsOrder = fixtures.inbound(TENANT, agentB, session, "Necesito cambiar el pedido", "wamid.S5",
                at.plusSeconds(4));
        UUID otherSession = UUID.randomUUID();
        UUID other = fixtures.conversation(OTHER_TENANT, otherSession).insert();
        otherTenantsOrder = fixtures.inbound(OTHER_TENANT, other, otherSession, "Mi pedido no llegó", "wamid.S6",
                at);
    }

    @Test
    void spanishPluralFindsTheSingularRankedByHowWellItMatches() {
        Page page = search(admin(), "pedidos", 0, 20);

        assertThat(page.items()).extracting(Hit::messageId)
                .containsExactlyInAnyOrder(oneOrder, manyOrders, agentBsOrder)
                .doesNotContain(otherTenantsOrder);
        assertThat(page.items().getFirst().messageId()).isEqualTo(manyOrders);
        assertThat(page.items()).extracting(Hit::rank).isSortedAccordingTo((a, b) -> Float.compare(b, a));
        assertThat(page.total()).isEqualTo(3);
    }

    @Test
    void englishPluralFindsTheSingular() {
        assertThat(search(admin(), "orders", 0, 20).items()).extracting(Hit::messageId)
                .containsExactly(englishOrder);
        assertThat(search(admin(), "\"my order\"", 0, 20).items()).extracting(Hit::messageId)
                .containsExactly(englishOrder);
    }

    @Test
    void searchStaysInTheCallersTenantAndVisibleConversations() {
        String otherAdmin = TestJwts.get().token("admin-9", OTHER_TENANT, "admin");
        assertThat(search(otherAdmin, "pedido", 0, 20).items()).extracting(Hit::messageId)
                .containsExactly(otherTenantsOrder);
        String agentA = TestJwts.get().token("agent-a", TENANT, "agent");
        assertThat(search(agentA, "pedido", 0, 20).items()).extracting(Hit::messageId)
                .containsExactlyInAnyOrder(oneOrder, manyOrders);
        String agentC = TestJwts.get().token("agent-c", TENANT, "agent");
        assertThat(search(agentC, "pedido", 0, 20).total()).isZero();
    }

    @Test
    void pagesSplitTheRankedResultsWithoutRepeats() {
        List<UUID> seen = new ArrayList<>();
        for (int page = 0; page < 3; page++) {
            Page result = search(admin(), "pedido", page, 1);
            assertThat(result.items()).hasSize(1);
            assertThat(result.total()).isEqualTo(3);
            seen.add(result.items().getFirst().messageId());
        }
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrder(oneOrder, manyOrders, agentBsOrder);
        Page beyond = search(admin(), "pedido", 3, 1);
        assertThat(beyond.items()).isEmpty();
        assertThat(beyond.total()).isEqualTo(3);
    }

    @Test
    void badQueriesAnswer400ProblemDetail() {
        for (String uri : List.of("/api/v1/messages/search", "/api/v1/messages/search?q=",
                "/api/v1/messages/search?q=" + "a".repeat(201), "/api/v1/messages/search?q=pedido&size=101",
                "/api/v1/messages/search?q=pedido&page=-1")) {
            web.get().uri(uri).headers(headers -> headers.setBearerAuth(admin())).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
        web.get().uri(uri -> uri.path("/api/v1/messages/search").queryParam("q", "{q}").build("   "))
                .headers(headers -> headers.setBearerAuth(admin())).exchange()
                .expectStatus().isBadRequest();
    }

    private static String admin() {
        return TestJwts.get().token("admin-1", TENANT, "admin");
    }

    private Page search(String token, String q, int page, int size) {
        WebTestClient.ResponseSpec response = web.get()
                .uri(uri -> uri.path("/api/v1/messages/search").queryParam("q", "{q}").queryParam("page", page)
                        .queryParam("size", size).build(q))
                .headers(headers -> headers.setBearerAuth(token)).exchange();
        return response.expectStatus().isOk().expectBody(Page.class).returnResult().getResponseBody();
    }
}
