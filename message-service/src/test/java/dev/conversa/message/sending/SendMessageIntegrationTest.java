package dev.conversa.message.sending;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.command.SendMessageRequested;
import dev.conversa.events.command.SendPriority;
import dev.conversa.events.conversation.MessageDirection;
import dev.conversa.events.conversation.MessageStored;
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.message.MessageType;
import dev.conversa.message.MessageIntegrity;
import dev.conversa.message.conversations.InboxFixtures;
import dev.conversa.testsupport.ConversaIntegrationTest;
import dev.conversa.testsupport.RealServers;
import dev.conversa.testsupport.TestJwts;
import dev.conversa.testsupport.TopicRecords;

/** {@code POST /api/v1/conversations/{id}/messages} on real servers: pending row first, then command and event. */
@ConversaIntegrationTest
class SendMessageIntegrationTest {

    private static final String TENANT = "tenant-sending";
    private static final String PHONE = "+5491155553333";

    @Autowired
    WebTestClient web;

    @Autowired
    RealServers servers;

    @Autowired
    DatabaseClient db;

    InboxFixtures fixtures;
    UUID session;
    UUID conversation;

    record Sent(UUID id, UUID conversationId, String direction, String type, String status, String text,
            Map<String, Object> media, String sentBy, String replyToWaMessageId) {
    }

    @AfterEach
    void everyMessageBelongsToAConversationOfItsTenant() {
        MessageIntegrity.assertEveryMessageInAConversationOfItsTenant(db);
    }

    @BeforeEach
    void setUp() {
        fixtures = new InboxFixtures(servers);
        // the first publish of a JVM creates the topic and the producer binding: more than the default 5 s
        web = web.mutate().responseTimeout(Duration.ofSeconds(30)).build();
        session = UUID.randomUUID();
        conversation = fixtures.conversation(TENANT, session).phone(PHONE).assignee("agent-a").insert();
    }

    @Test
    void sendAnswers202WithThePendingMessageThenPublishesTheCommandAndTheStoredEvent() {
        Sent sent = send(agentA(), conversation, null, Map.of("text", "Hola, tu pedido está listo"))
                .expectStatus().isAccepted()
                .expectHeader().doesNotExist("Idempotent-Replayed")
                .expectBody(Sent.class).returnResult().getResponseBody();

        assertThat(sent.status()).isEqualTo("pending");
        assertThat(sent.direction()).isEqualTo("outbound");
        assertThat(sent.type()).isEqualTo("text");
        assertThat(sent.conversationId()).isEqualTo(conversation);
        assertThat(sent.sentBy()).isEqualTo("user:agent-a");
        Map<String, Object> row = servers.database().queryRow(
                "SELECT status, idempotency_key, sent_by, text FROM message.messages WHERE id = ?", sent.id());
        assertThat(row).containsEntry("status", "pending").containsEntry("text", "Hola, tu pedido está listo");
        String key = (String) row.get("idempotency_key");
        assertThat(key).isNotBlank();
        assertThat(servers.database().queryString(
                "SELECT last_message_preview FROM message.conversations WHERE id = ?", conversation))
                .isEqualTo("Hola, tu pedido está listo");

        ConsumerRecord<String, byte[]> record = TopicRecords.await(Topics.WA_COMMANDS, session, 1).getFirst();
        assertThat(TopicRecords.header(record, "ce_type")).isEqualTo(EventTypes.MESSAGE_SEND_REQUESTED);
        assertThat(TopicRecords.header(record, "ce_tenantid")).isEqualTo(TENANT);
        SendMessageRequested command = TopicRecords.payload(record, SendMessageRequested.class);
        assertThat(command.messageId()).isEqualTo(sent.id());
        assertThat(command.idempotencyKey()).isEqualTo(key);
        assertThat(command.priority()).isEqualTo(SendPriority.CONVERSATIONAL);
        assertThat(command.to()).isEqualTo(PHONE);
        assertThat(command.sessionId()).isEqualTo(session);
        assertThat(command.type()).isEqualTo(MessageType.TEXT);
        assertThat(command.text()).isEqualTo("Hola, tu pedido está listo");
        assertThat(command.requestedBy()).isEqualTo("user:agent-a");

        ConsumerRecord<String, byte[]> event = TopicRecords.await(Topics.CRM_CONVERSATION_EVENTS, conversation, 1)
                .getFirst();
        assertThat(TopicRecords.header(event, "ce_type")).isEqualTo(EventTypes.MESSAGE_STORED);
        MessageStored stored = TopicRecords.payload(event, MessageStored.class);
        assertThat(stored.messageId()).isEqualTo(sent.id());
        assertThat(stored.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(stored.direction()).isEqualTo(MessageDirection.OUTBOUND);
        assertThat(stored.contactPhone()).isEqualTo(PHONE);
    }

    @Test
    void sameIdempotencyKeyAnswersTheSameMessageStoresOneRowAndRepublishesTheSameCommand() {
        Map<String, Object> body = Map.of("text", "¿Confirmas la entrega?");
        Sent first = send(agentA(), conversation, "key-1", body).expectStatus().isAccepted()
                .expectBody(Sent.class).returnResult().getResponseBody();
        Sent again = send(agentA(), conversation, "key-1", body).expectStatus().isAccepted()
                .expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectBody(Sent.class).returnResult().getResponseBody();

        assertThat(again).isEqualTo(first);
        assertThat(servers.database().queryLong(
                "SELECT count(*) FROM message.messages WHERE tenant_id = ? AND idempotency_key = ?", TENANT, "key-1"))
                .isEqualTo(1);
        List<ConsumerRecord<String, byte[]>> commands = TopicRecords.await(Topics.WA_COMMANDS, session, 2);
        assertThat(commands).hasSize(2);
        assertThat(commands).extracting(record -> TopicRecords.payload(record, SendMessageRequested.class))
                .allSatisfy(command -> {
                    assertThat(command.idempotencyKey()).isEqualTo("key-1");
                    assertThat(command.messageId()).isEqualTo(first.id());
                });
        assertThat(commands).extracting(record -> TopicRecords.header(record, "ce_id")).containsOnly(
                TopicRecords.header(commands.getFirst(), "ce_id"));
    }

    @Test
    void sameIdempotencyKeyWithAnotherBodyAnswers422() {
        send(agentA(), conversation, "key-2", Map.of("text", "uno")).expectStatus().isAccepted();
        send(agentA(), conversation, "key-2", Map.of("text", "dos"))
                .expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://conversa.dev/problems/idempotency-key-reused");
        UUID elsewhere = fixtures.conversation(TENANT, session).assignee("agent-a").insert();
        send(agentA(), elsewhere, "key-2", Map.of("text", "uno")).expectStatus().isEqualTo(422);
        assertThat(servers.database().queryLong(
                "SELECT count(*) FROM message.messages WHERE idempotency_key = ?", "key-2")).isEqualTo(1);
    }

    @Test
    void concurrentRepeatsOfOneKeyStoreOneMessage() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Sent>> calls = java.util.stream.IntStream.range(0, 4)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                        try {
                            start.await();
                        }
                        catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return send(agentA(), conversation, "key-race", Map.of("text", "carrera"))
                                .expectStatus().isAccepted().expectBody(Sent.class).returnResult()
                                .getResponseBody();
                    }, pool))
                    .toList();
            start.countDown();
            List<UUID> ids = calls.stream().map(CompletableFuture::join).map(Sent::id).distinct().toList();

            assertThat(ids).hasSize(1);
            assertThat(servers.database().queryLong(
                    "SELECT count(*) FROM message.messages WHERE idempotency_key = ?", "key-race")).isEqualTo(1);
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void invalidMessagesAnswer400ProblemDetail() {
        invalid(Map.of("text", "a".repeat(4097)), "text");
        invalid(Map.of("text", "   "), "text");
        invalid(Map.of(), "text");
        invalid(Map.of("text", "hola", "media", Map.of("url", "https://example.com/a.jpg", "mimeType", "image/jpeg")),
                "text");
        invalid(Map.of("media", Map.of("url", "https://example.com/a.jpg")), "media.mimeType");
        invalid(Map.of("media", Map.of("url", "http://example.com/a.jpg", "mimeType", "image/jpeg")), "media.url");
        invalid(Map.of("media", Map.of("mimeType", "image/jpeg")), "media");
        invalid(Map.of("location", Map.of("latitude", 91, "longitude", 0)), "location.latitude");
        invalid(Map.of("type", "text", "location", Map.of("latitude", 1, "longitude", 2)), "type");
        send(agentA(), conversation, "bad key with spaces", Map.of("text", "hola")).expectStatus().isBadRequest();
        send(agentA(), conversation, null, Map.of("text", "hola", "replyTo", UUID.randomUUID()))
                .expectStatus().isBadRequest();
        assertThat(servers.database().queryLong(
                "SELECT count(*) FROM message.messages WHERE conversation_id = ?", conversation)).isZero();

        // 4096 characters are fine, however many UTF-16 units they take
        send(agentA(), conversation, null, Map.of("text", "😀".repeat(4096))).expectStatus().isAccepted();
    }

    @Test
    void mediaLocationAndRepliesBecomeTheirCommands() {
        UUID quoted = fixtures.inbound(TENANT, conversation, session, "¿Tienen stock?", "wamid.Q1",
                Instant.now().minus(Duration.ofMinutes(1)));

        Sent image = send(agentA(), conversation, null, Map.of(
                        "media", Map.of("url", "https://cdn.example.com/catalogo.jpg", "mimeType", "image/jpeg",
                                "caption", "Catálogo"),
                        "replyTo", quoted))
                .expectStatus().isAccepted().expectBody(Sent.class).returnResult().getResponseBody();
        assertThat(image.type()).isEqualTo("image");
        assertThat(image.media()).containsEntry("url", "https://cdn.example.com/catalogo.jpg");
        assertThat(image.replyToWaMessageId()).isEqualTo("wamid.Q1");
        send(agentA(), conversation, null, Map.of("location",
                Map.of("latitude", -34.6037, "longitude", -58.3816, "name", "Obelisco")))
                .expectStatus().isAccepted().expectBody().jsonPath("$.type").isEqualTo("location")
                .jsonPath("$.content.location.name").isEqualTo("Obelisco");

        List<SendMessageRequested> commands = TopicRecords.await(Topics.WA_COMMANDS, session, 2).stream()
                .map(record -> TopicRecords.payload(record, SendMessageRequested.class)).toList();
        assertThat(commands.get(0).type()).isEqualTo(MessageType.IMAGE);
        assertThat(commands.get(0).media().url()).isEqualTo("https://cdn.example.com/catalogo.jpg");
        assertThat(commands.get(0).media().caption()).isEqualTo("Catálogo");
        assertThat(commands.get(0).replyToWaMessageId()).isEqualTo("wamid.Q1");
        assertThat(commands.get(1).type()).isEqualTo(MessageType.LOCATION);
        assertThat(commands.get(1).location().latitude()).isEqualTo(-34.6037);
    }

    @Test
    void conversationsTheCallerCannotSeeAnswer404AndStoreNothing() {
        String agentB = TestJwts.get().token("agent-b", TENANT, "agent");
        String otherTenant = TestJwts.get().token("admin-1", "tenant-elsewhere", "admin");
        for (String token : List.of(agentB, otherTenant)) {
            send(token, conversation, null, Map.of("text", "hola")).expectStatus().isNotFound()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
        send(agentA(), UUID.randomUUID(), null, Map.of("text", "hola")).expectStatus().isNotFound();
        assertThat(servers.database().queryLong(
                "SELECT count(*) FROM message.messages WHERE conversation_id = ?", conversation)).isZero();
        // a supervisor may answer any conversation of the tenant
        send(TestJwts.get().token("sup-1", TENANT, "supervisor"), conversation, null, Map.of("text", "hola"))
                .expectStatus().isAccepted();
    }

    @Test
    void aStoredImageIsSentWithItsRecordsMimeTypeAndIdAndBecomesTheMessagesFile() {
        UUID image = storedMedia(TENANT, "image", "image/jpeg", "foto.jpg");

        // no mimeType in the request: the record has it
        Sent sent = send(agentA(), conversation, "media-key-1", Map.of("media",
                        Map.of("mediaId", image, "caption", "Tu pedido")))
                .expectStatus().isAccepted().expectBody(Sent.class).returnResult().getResponseBody();
        assertThat(sent.type()).isEqualTo("image");
        assertThat(sent.media()).containsEntry("mediaId", image.toString()).containsEntry("mimeType", "image/jpeg");
        // a repeat with the same key and body (mimeType now given, as the record has it) is the same message
        Sent again = send(agentA(), conversation, "media-key-1", Map.of("media",
                        Map.of("mediaId", image, "mimeType", "IMAGE/JPEG", "caption", "Tu pedido")))
                .expectStatus().isAccepted().expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectBody(Sent.class).returnResult().getResponseBody();
        assertThat(again.id()).isEqualTo(sent.id());

        SendMessageRequested command = TopicRecords.payload(
                TopicRecords.await(Topics.WA_COMMANDS, session, 1).getFirst(), SendMessageRequested.class);
        assertThat(command.messageId()).isEqualTo(sent.id());
        assertThat(command.type()).isEqualTo(MessageType.IMAGE);
        assertThat(command.media().mediaId()).isEqualTo(image);
        assertThat(command.media().mimeType()).isEqualTo("image/jpeg");
        assertThat(command.media().caption()).isEqualTo("Tu pedido");
        assertThat(command.media().filename()).isNull();
        Map<String, Object> file = servers.database().queryRow(
                "SELECT message_id, conversation_id FROM message.media WHERE id = ?", image);
        assertThat(file).containsEntry("message_id", sent.id()).containsEntry("conversation_id", conversation);
    }

    @Test
    void aStoredDocumentIsNamedAsUploadedUnlessTheRequestNamesIt() {
        UUID pdf = storedMedia(TENANT, "document", "application/pdf", "factura-0042.pdf");

        send(agentA(), conversation, null, Map.of("media", Map.of("mediaId", pdf)))
                .expectStatus().isAccepted().expectBody().jsonPath("$.type").isEqualTo("document");
        send(agentA(), conversation, null, Map.of("type", "document",
                        "media", Map.of("mediaId", pdf, "filename", "Factura marzo.pdf")))
                .expectStatus().isAccepted();

        List<SendMessageRequested> commands = TopicRecords.await(Topics.WA_COMMANDS, session, 2).stream()
                .map(record -> TopicRecords.payload(record, SendMessageRequested.class)).toList();
        assertThat(commands).extracting(command -> command.media().filename())
                .containsExactly("factura-0042.pdf", "Factura marzo.pdf");
        assertThat(commands).extracting(command -> command.media().mimeType())
                .containsOnly("application/pdf");
    }

    @Test
    void anotherTenantsMediaIdIs422AndNothingIsStoredOrPublished() {
        UUID theirs = storedMedia("tenant-sending-other", "image", "image/jpeg", "ajena.jpg");

        unsendable(Map.of("media", Map.of("mediaId", theirs, "mimeType", "image/jpeg")), "media.mediaId");

        assertNothingSent();
        assertThat(servers.database().queryRow("SELECT message_id FROM message.media WHERE id = ?", theirs))
                .containsEntry("message_id", null);
    }

    @Test
    void anUnknownMediaIdIs422AndNothingIsStoredOrPublished() {
        unsendable(Map.of("media", Map.of("mediaId", UUID.randomUUID())), "media.mediaId");

        assertNothingSent();
    }

    @Test
    void aDeclaredTypeOrMimeTypeTheStoredFileContradictsIs422() {
        UUID image = storedMedia(TENANT, "image", "image/jpeg", "foto.jpg");

        unsendable(Map.of("type", "video", "media", Map.of("mediaId", image)), "type");
        unsendable(Map.of("media", Map.of("mediaId", image, "mimeType", "application/pdf")), "media.mimeType");

        assertNothingSent();
        assertThat(servers.database().queryRow("SELECT message_id FROM message.media WHERE id = ?", image))
                .containsEntry("message_id", null);
    }

    /** A row of {@code message.media} as an upload writes it (the send API reads only the row). */
    private UUID storedMedia(String tenant, String kind, String mimeType, String filename) {
        UUID id = UUID.randomUUID();
        servers.database().update("""
                INSERT INTO message.media (id, tenant_id, type, mime_type, size_bytes, sha256, original_filename,
                                           storage_key, scan_result, created_by)
                VALUES (?, ?, ?, ?, 1234, 'ab12', ?, ?, 'clean', 'user:agent-a')""",
                id, tenant, kind, mimeType, filename, tenant + "/" + id);
        return id;
    }

    private void unsendable(Map<String, Object> body, String field) {
        send(agentA(), conversation, null, body)
                .expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://conversa.dev/problems/validation")
                .jsonPath("$.errors[?(@.field == '" + field + "')]").exists();
    }

    private void assertNothingSent() {
        assertThat(servers.database().queryLong(
                "SELECT count(*) FROM message.messages WHERE conversation_id = ?", conversation)).isZero();
        assertThat(TopicRecords.read(Topics.WA_COMMANDS, session.toString(), 1, Duration.ofSeconds(1))).isEmpty();
    }

    private static String agentA() {
        return TestJwts.get().token("agent-a", TENANT, "agent");
    }

    private void invalid(Map<String, Object> body, String field) {
        send(agentA(), conversation, null, body)
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://conversa.dev/problems/validation")
                .jsonPath("$.errors[?(@.field == '" + field + "')]").exists();
    }

    private WebTestClient.ResponseSpec send(String token, UUID conversationId, String idempotencyKey,
            Map<String, Object> body) {
        return web.post().uri("/api/v1/conversations/{id}/messages", conversationId)
                .headers(headers -> {
                    headers.setBearerAuth(token);
                    if (idempotencyKey != null) {
                        headers.set("Idempotency-Key", idempotencyKey);
                    }
                })
                .header(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }
}
