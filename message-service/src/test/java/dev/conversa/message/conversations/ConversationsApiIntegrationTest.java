package dev.conversa.message.conversations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.util.UriBuilder;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.command.ReadRequested;
import dev.conversa.events.conversation.ConversationChanged;
import dev.conversa.events.conversation.ConversationStatus;
import dev.conversa.testsupport.ConversaIntegrationTest;
import dev.conversa.testsupport.RealServers;
import dev.conversa.testsupport.TestJwts;
import dev.conversa.testsupport.TopicRecords;

/** {@code /api/v1/conversations} on real servers: listing, visibility, tenant isolation, optimistic changes, read. */
@ConversaIntegrationTest
class ConversationsApiIntegrationTest {

    private static final String TENANT = "tenant-conversations";
    private static final String OTHER_TENANT = "tenant-elsewhere";
    private static final String PROBLEMS = "https://conversa.dev/problems/";

    @Autowired
    WebTestClient web;

    @Autowired
    RealServers servers;

    InboxFixtures fixtures;

    record Item(UUID id, String status, String assignedAgentId, int unreadCount, Instant lastMessageAt,
            long version) {
    }

    record Page(List<Item> items, String nextCursor) {
    }

    record MessageItem(UUID id, String direction, String text, Instant createdAt) {
    }

    record MessagePage(List<MessageItem> items, String nextCursor) {
    }

    @BeforeEach
    void setUp() {
        fixtures = new InboxFixtures(servers);
        // the first publish of a JVM creates the topic and the producer binding: more than the default 5 s
        web = web.mutate().responseTimeout(Duration.ofSeconds(30)).build();
    }

    @Test
    void cursorPagingWalksEveryConversationOnceInRecencyOrder() {
        UUID session = UUID.randomUUID();
        Instant base = Instant.now().truncatedTo(ChronoUnit.MICROS).minus(Duration.ofHours(1));
        List<UUID> seeded = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            seeded.add(fixtures.conversation(TENANT, session).lastMessageAt(base.plusSeconds(i)).insert());
        }
        // ties on the timestamp and conversations without any message yet
        seeded.add(fixtures.conversation(TENANT, session).lastMessageAt(base.plusSeconds(3)).insert());
        seeded.add(fixtures.conversation(TENANT, session).lastMessageAt(base.plusSeconds(3)).insert());
        seeded.add(fixtures.conversation(TENANT, session).lastMessageAt(null).insert());
        seeded.add(fixtures.conversation(TENANT, session).lastMessageAt(null).insert());

        List<UUID> walked = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            String after = cursor;
            Page page = list(admin(), uri -> uri.queryParam("session", session).queryParam("size", 3)
                    .queryParamIfPresent("cursor", java.util.Optional.ofNullable(after)));
            assertThat(page.items()).hasSizeLessThanOrEqualTo(3);
            page.items().forEach(item -> walked.add(item.id()));
            cursor = page.nextCursor();
            pages++;
        }
        while (cursor != null && pages < 10);

        assertThat(walked).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(seeded);
        assertThat(pages).isEqualTo(4);
        List<Item> all = list(admin(), uri -> uri.queryParam("session", session).queryParam("size", 100)).items();
        assertThat(all).extracting(Item::id).containsExactlyElementsOf(walked);
        assertThat(all).isSortedAccordingTo(Comparator
                .comparing(Item::lastMessageAt, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
                .thenComparing(item -> item.id().toString()).reversed());
    }

    @Test
    void filtersNarrowByStatusAssigneeUnreadAndText() {
        UUID session = UUID.randomUUID();
        UUID open = fixtures.conversation(TENANT, session).assignee("agent-a").unread(2).name("Lucia Perez")
                .phone("+5491155551111").insert();
        UUID closed = fixtures.conversation(TENANT, session).status("closed").preview("Tu pedido está listo")
                .insert();
        UUID pending = fixtures.conversation(TENANT, session).status("pending").assignee("agent-b").insert();

        assertThat(ids(uri -> uri.queryParam("session", session).queryParam("status", "closed")))
                .containsExactly(closed);
        assertThat(ids(uri -> uri.queryParam("session", session).queryParam("status", "open,pending")))
                .containsExactlyInAnyOrder(open, pending);
        assertThat(ids(uri -> uri.queryParam("session", session).queryParam("status", "open")
                .queryParam("status", "closed"))).containsExactlyInAnyOrder(open, closed);
        assertThat(ids(uri -> uri.queryParam("session", session).queryParam("assignee", "agent-a")))
                .containsExactly(open);
        assertThat(ids(uri -> uri.queryParam("session", session).queryParam("assignee", "none")))
                .containsExactly(closed);
        assertThat(ids(uri -> uri.queryParam("session", session).queryParam("unread", true)))
                .containsExactly(open);
        assertThat(ids(uri -> uri.queryParam("session", session).queryParam("unread", false)))
                .containsExactlyInAnyOrder(closed, pending);
        assertThat(ids(uri -> uri.queryParam("session", session).queryParam("text", "PEDIDO")))
                .containsExactly(closed);
        assertThat(ids(uri -> uri.queryParam("session", session).queryParam("text", "lucia")))
                .containsExactly(open);
        assertThat(ids(uri -> uri.queryParam("session", session).queryParam("text", "55551111")))
                .containsExactly(open);
        // LIKE wildcards in the text are plain characters
        assertThat(ids(uri -> uri.queryParam("session", session).queryParam("text", "%"))).isEmpty();
    }

    @Test
    void badListingInputAnswers400ProblemDetail() {
        UUID conversation = fixtures.conversation(TENANT, UUID.randomUUID()).insert();
        badRequest("/api/v1/conversations?cursor=not-a-cursor");
        badRequest("/api/v1/conversations?size=101");
        badRequest("/api/v1/conversations?size=0");
        badRequest("/api/v1/conversations?status=archived");
        badRequest("/api/v1/conversations?session=not-a-uuid");
        badRequest("/api/v1/conversations?unread=maybe");
        badRequest("/api/v1/conversations/" + conversation + "/messages?size=500");
        badRequest("/api/v1/conversations/not-a-uuid");
        // a cursor of one listing is refused by another
        String conversationsCursor = list(admin(), uri -> uri.queryParam("size", 1)).nextCursor();
        assertThat(conversationsCursor).isNotNull();
        badRequest("/api/v1/conversations/" + conversation + "/messages?cursor=" + conversationsCursor);
    }

    @Test
    void agentSeesOnlyConversationsAssignedToThem() {
        UUID session = UUID.randomUUID();
        UUID mine = fixtures.conversation(TENANT, session).assignee("agent-a").bot(false).insert();
        UUID theirs = fixtures.conversation(TENANT, session).assignee("agent-b").bot(false).insert();
        UUID nobodys = fixtures.conversation(TENANT, session).bot(true).insert();
        String agentA = TestJwts.get().token("agent-a", TENANT, "agent");

        assertThat(list(agentA, uri -> uri.queryParam("session", session)).items()).extracting(Item::id)
                .containsExactly(mine);
        assertThat(list(agentA, uri -> uri.queryParam("session", session).queryParam("assignee", "me")).items())
                .extracting(Item::id).containsExactly(mine);
        assertThat(list(agentA, uri -> uri.queryParam("session", session).queryParam("assignee", "agent-b"))
                .items()).isEmpty();
        get(agentA, mine).expectStatus().isOk();
        for (UUID hidden : List.of(theirs, nobodys)) {
            notFound(get(agentA, hidden));
            notFound(patch(agentA, hidden, "\"0\"", Map.of("status", "closed")));
            notFound(web.get().uri("/api/v1/conversations/{id}/messages", hidden)
                    .headers(auth(agentA)).exchange());
            notFound(web.post().uri("/api/v1/conversations/{id}/read", hidden).headers(auth(agentA)).exchange());
        }
        // the bot sees what it answers; supervisors see everything
        String bot = TestJwts.get().token("bot-1", TENANT, "bot");
        assertThat(list(bot, uri -> uri.queryParam("session", session)).items()).extracting(Item::id)
                .containsExactly(nobodys);
        String supervisor = TestJwts.get().token("sup-1", TENANT, "supervisor");
        assertThat(list(supervisor, uri -> uri.queryParam("session", session)).items()).extracting(Item::id)
                .containsExactlyInAnyOrder(mine, theirs, nobodys);
    }

    @Test
    void anotherTenantsConversationAnswers404() {
        UUID session = UUID.randomUUID();
        UUID conversation = fixtures.conversation(TENANT, session).unread(1).insert();
        String otherAdmin = TestJwts.get().token("admin-9", OTHER_TENANT, "admin");

        notFound(get(otherAdmin, conversation));
        notFound(patch(otherAdmin, conversation, "\"0\"", Map.of("status", "closed")));
        notFound(web.get().uri("/api/v1/conversations/{id}/messages", conversation).headers(auth(otherAdmin))
                .exchange());
        notFound(web.post().uri("/api/v1/conversations/{id}/read", conversation).headers(auth(otherAdmin))
                .exchange());
        assertThat(list(otherAdmin, uri -> uri.queryParam("session", session)).items()).isEmpty();
        assertThat(servers.database().queryLong(
                "SELECT version FROM message.conversations WHERE id = ?", conversation)).isZero();
    }

    @Test
    void patchNeedsTheCurrentVersionAndAnnouncesTheChange() {
        UUID conversation = fixtures.conversation(TENANT, UUID.randomUUID()).insert();

        get(admin(), conversation).expectStatus().isOk().expectHeader().valueEquals(HttpHeaders.ETAG, "\"0\"");
        web.get().uri("/api/v1/conversations/{id}", conversation).headers(auth(admin()))
                .header(HttpHeaders.IF_NONE_MATCH, "\"0\"").exchange().expectStatus().isNotModified();
        patch(admin(), conversation, null, Map.of("status", "closed")).expectStatus().isEqualTo(428)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        patch(admin(), conversation, "\"7\"", Map.of("status", "closed")).expectStatus().isEqualTo(412)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo(PROBLEMS + "precondition-failed")
                .jsonPath("$.currentVersion").isEqualTo(0);
        patch(admin(), conversation, "\"0\"", Map.of("status", "archived")).expectStatus().isBadRequest();
        patch(admin(), conversation, "\"0\"", Map.of()).expectStatus().isBadRequest();

        patch(admin(), conversation, "\"0\"", Map.of("status", "closed")).expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ETAG, "\"1\"")
                .expectBody().jsonPath("$.status").isEqualTo("closed").jsonPath("$.version").isEqualTo(1);
        // the old version is stale now
        patch(admin(), conversation, "\"0\"", Map.of("botEnabled", false)).expectStatus().isEqualTo(412);
        patch(admin(), conversation, "\"1\"", Map.of("status", "open", "botEnabled", false)).expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ETAG, "\"2\"")
                .expectBody().jsonPath("$.status").isEqualTo("open").jsonPath("$.botEnabled").isEqualTo(false);

        List<ConsumerRecord<String, byte[]>> events = TopicRecords.await(Topics.CRM_CONVERSATION_EVENTS,
                conversation, 2);
        assertThat(TopicRecords.types(events)).containsExactly(EventTypes.CONVERSATION_CLOSED,
                EventTypes.CONVERSATION_UPDATED);
        ConversationChanged closed = TopicRecords.payload(events.get(0), ConversationChanged.class);
        assertThat(closed.status()).isEqualTo(ConversationStatus.CLOSED);
        assertThat(closed.version()).isEqualTo(1);
        assertThat(closed.tenantId()).isEqualTo(TENANT);
        ConversationChanged reopened = TopicRecords.payload(events.get(1), ConversationChanged.class);
        assertThat(reopened.status()).isEqualTo(ConversationStatus.OPEN);
        assertThat(reopened.botEnabled()).isFalse();
        assertThat(reopened.version()).isEqualTo(2);

        // a patch that changes nothing keeps the version and announces nothing
        patch(admin(), conversation, "\"2\"", Map.of("status", "open")).expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ETAG, "\"2\"");
        assertThat(TopicRecords.read(Topics.CRM_CONVERSATION_EVENTS, conversation.toString(), 3,
                Duration.ofSeconds(1))).hasSize(2);
    }

    @Test
    void concurrentPatchesOfTheSameVersionLetExactlyOneWin() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                UUID conversation = fixtures.conversation(TENANT, UUID.randomUUID()).insert();
                CountDownLatch start = new CountDownLatch(1);
                CompletableFuture<Integer> close = CompletableFuture.supplyAsync(() -> await(start,
                        () -> status(patch(admin(), conversation, "\"0\"", Map.of("status", "closed")))), pool);
                CompletableFuture<Integer> bot = CompletableFuture.supplyAsync(() -> await(start,
                        () -> status(patch(admin(), conversation, "\"0\"", Map.of("botEnabled", false)))), pool);
                start.countDown();

                assertThat(List.of(close.get(), bot.get())).containsExactlyInAnyOrder(200, 412);
                assertThat(servers.database().queryLong("SELECT version FROM message.conversations WHERE id = ?",
                        conversation)).isEqualTo(1);
            }
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void messagesAreListedNewestFirstAcrossPages() {
        UUID session = UUID.randomUUID();
        UUID conversation = fixtures.conversation(TENANT, session).insert();
        Instant base = Instant.now().minus(Duration.ofMinutes(10));
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(fixtures.inbound(TENANT, conversation, session, "mensaje " + i, "wamid.P" + i + session,
                    base.plusSeconds(i)));
        }

        List<UUID> walked = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            String after = cursor;
            MessagePage page = web.get().uri(uri -> uri.path("/api/v1/conversations/{id}/messages")
                            .queryParam("size", 2)
                            .queryParamIfPresent("cursor", java.util.Optional.ofNullable(after))
                            .build(conversation))
                    .headers(auth(admin())).exchange()
                    .expectStatus().isOk().expectBody(MessagePage.class).returnResult().getResponseBody();
            page.items().forEach(item -> walked.add(item.id()));
            cursor = page.nextCursor();
            pages++;
        }
        while (cursor != null && pages < 10);

        assertThat(walked).containsExactlyElementsOf(ids.reversed());
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void readClearsUnreadAndRequestsReceiptsForTheUnreadInboundMessages() {
        UUID session = UUID.randomUUID();
        UUID conversation = fixtures.conversation(TENANT, session).phone("+5491155552222").unread(2).insert();
        Instant base = Instant.now().minus(Duration.ofMinutes(5));
        fixtures.inbound(TENANT, conversation, session, "ya leído", "wamid.R1", base);
        fixtures.message(TENANT, conversation, session, "outbound", "delivered", "respuesta", "wamid.R2",
                base.plusSeconds(1));
        fixtures.inbound(TENANT, conversation, session, "uno", "wamid.R3", base.plusSeconds(2));
        fixtures.inbound(TENANT, conversation, session, "dos", "wamid.R4", base.plusSeconds(3));

        web.post().uri("/api/v1/conversations/{id}/read", conversation).headers(auth(admin())).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ETAG, "\"1\"")
                .expectBody().jsonPath("$.unreadCount").isEqualTo(0);

        ConsumerRecord<String, byte[]> command = TopicRecords.await(Topics.WA_COMMANDS, session, 1).getFirst();
        assertThat(TopicRecords.header(command, "ce_type")).isEqualTo(EventTypes.MESSAGE_READ_REQUESTED);
        ReadRequested read = TopicRecords.payload(command, ReadRequested.class);
        assertThat(read.waMessageIds()).containsExactly("wamid.R3", "wamid.R4");
        assertThat(read.contactPhone()).isEqualTo("+5491155552222");
        assertThat(read.tenantId()).isEqualTo(TENANT);
        assertThat(read.requestedBy()).isEqualTo("user:admin-1");

        ConsumerRecord<String, byte[]> updated = TopicRecords.await(Topics.CRM_CONVERSATION_EVENTS, conversation, 1)
                .getFirst();
        assertThat(TopicRecords.header(updated, "ce_type")).isEqualTo(EventTypes.CONVERSATION_UPDATED);
        assertThat(TopicRecords.payload(updated, ConversationChanged.class).unreadCount()).isZero();

        // nothing unread any more: no new version, no second command
        web.post().uri("/api/v1/conversations/{id}/read", conversation).headers(auth(admin())).exchange()
                .expectStatus().isOk().expectHeader().valueEquals(HttpHeaders.ETAG, "\"1\"");
        assertThat(TopicRecords.read(Topics.WA_COMMANDS, session.toString(), 2, Duration.ofSeconds(1))).hasSize(1);
    }

    @Test
    void requestsWithoutTheRightRoleAreRefused() {
        UUID conversation = fixtures.conversation(TENANT, UUID.randomUUID()).insert();
        String bot = TestJwts.get().token("bot-1", TENANT, "bot");
        patch(bot, conversation, "\"0\"", Map.of("status", "closed")).expectStatus().isForbidden();
        web.get().uri("/api/v1/conversations").exchange().expectStatus().isUnauthorized();
    }

    private static String admin() {
        return TestJwts.get().token("admin-1", TENANT, "admin");
    }

    private static java.util.function.Consumer<HttpHeaders> auth(String token) {
        return headers -> headers.setBearerAuth(token);
    }

    private Page list(String token, Function<UriBuilder, UriBuilder> query) {
        return web.get().uri(uri -> query.apply(uri.path("/api/v1/conversations")).build())
                .headers(auth(token)).exchange()
                .expectStatus().isOk().expectBody(Page.class).returnResult().getResponseBody();
    }

    private List<UUID> ids(Function<UriBuilder, UriBuilder> query) {
        return list(admin(), query).items().stream().map(Item::id).toList();
    }

    private WebTestClient.ResponseSpec get(String token, UUID id) {
        return web.get().uri("/api/v1/conversations/{id}", id).headers(auth(token)).exchange();
    }

    private WebTestClient.ResponseSpec patch(String token, UUID id, String ifMatch, Map<String, Object> body) {
        return web.patch().uri("/api/v1/conversations/{id}", id)
                .headers(auth(token))
                .headers(headers -> {
                    if (ifMatch != null) {
                        headers.setIfMatch(ifMatch);
                    }
                })
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private void badRequest(String uri) {
        web.get().uri(uri).headers(auth(admin())).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(400).jsonPath("$.type").exists();
    }

    private static void notFound(WebTestClient.ResponseSpec response) {
        response.expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo(PROBLEMS + "not-found");
    }

    private static int status(WebTestClient.ResponseSpec response) {
        return response.returnResult(Void.class).getStatus().value();
    }

    private static <T> T await(CountDownLatch start, java.util.function.Supplier<T> work) {
        try {
            start.await();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return work.get();
    }
}
