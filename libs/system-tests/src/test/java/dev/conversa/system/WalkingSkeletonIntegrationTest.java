package dev.conversa.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.stream.binding.BindingsLifecycleController;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

import dev.conversa.events.Topics;
import dev.conversa.message.MessageServiceApplication;
import dev.conversa.notification.NotificationServiceApplication;
import dev.conversa.notification.stream.EventHub;
import dev.conversa.notification.stream.StreamId;
import dev.conversa.session.SessionServiceApplication;
import dev.conversa.session.ownership.CommandPartitionOwnership;
import dev.conversa.simulator.WhatsAppSimulator;
import dev.conversa.testsupport.RealServers;
import dev.conversa.testsupport.ServiceLauncher;
import dev.conversa.testsupport.TestJwts;
import dev.conversa.testsupport.TestKafka;
import dev.conversa.testsupport.TopicRecords;
import dev.conversa.web.id.Uuids;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The backbone across three services, each started whole in this JVM on one real PostgreSQL database, one Redis
 * and one KRaft broker, with WhatsApp played by the embedded simulator: a business links its number to a
 * session-service session by scanning the QR the sessions API shows; a customer writes to that number; the session
 * receives the message over the linked-device protocol and publishes it, message-service stores it and announces
 * it, notification-service pushes it to the SSE client of the right tenant.
 */
class WalkingSkeletonIntegrationTest {

    private static final String TENANT = "tenant-acme";
    private static final String OTHER_TENANT = "tenant-globex";
    private static final String NOTIFICATION_GROUP = "notification-skeleton-test";
    private static final String BUSINESS = "5491100000001";
    private static final String CUSTOMER = "5491155551234";
    private static final String COMMANDS_BINDING = "handleCommand-in-0";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ParameterizedTypeReference<ServerSentEvent<JsonNode>> SSE =
            new ParameterizedTypeReference<>() { };
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static WhatsAppSimulator whatsapp;
    private static RealServers servers;
    private static ConfigurableApplicationContext session;
    private static ConfigurableApplicationContext message;
    private static ConfigurableApplicationContext notification;

    @BeforeAll
    static void startServices() {
        whatsapp = WhatsAppSimulator.builder()
                .property("simulator.ban.enabled", false)
                .start();
        servers = RealServers.forOwner(WalkingSkeletonIntegrationTest.class.getName());
        message = ServiceLauncher.start(MessageServiceApplication.class, servers.properties());
        // the delivery.ack of a handed-on frame waits an hour instead of ≤ 50 ms: the session can be taken away from
        // this instance between handing a message on and acknowledging it to WhatsApp, deterministically
        session = startSessionService();
        Map<String, Object> notificationProperties = new HashMap<>(servers.properties());
        notificationProperties.put("spring.cloud.stream.bindings.relayConversationEvents-in-0.group",
                NOTIFICATION_GROUP);
        // required by notification-service's webhooks (encrypts subscription secrets); any AES-256 key in a test
        notificationProperties.put("conversa.notification.webhooks.secret-key",
                "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
        notification = ServiceLauncher.start(NotificationServiceApplication.class, notificationProperties);
        TestKafka.awaitAssignment(NOTIFICATION_GROUP, Topics.CRM_CONVERSATION_EVENTS, TIMEOUT);
    }

    @AfterAll
    static void stopServices() {
        for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] {session, message,
                notification}) {
            if (context != null) {
                context.close();
            }
        }
        if (whatsapp != null) {
            whatsapp.close();
        }
    }

    /**
     * session-service in the default group {@code session-service} (a new group on this JVM's broker: it starts at
     * the earliest offset, so the restart command the API publishes when a session is created is never missed),
     * talking to the simulator; answers once it owns every {@code wa.commands} partition, so every session created
     * from now on runs on it.
     */
    private static ConfigurableApplicationContext startSessionService() {
        Map<String, Object> properties = new HashMap<>(servers.properties());
        properties.put("conversa.session.linked.url", whatsapp.linkedDeviceUrl().toString());
        properties.put("conversa.session.linked.ack-flush-interval", "1h");
        ConfigurableApplicationContext started = ServiceLauncher.start(SessionServiceApplication.class, properties);
        CommandPartitionOwnership ownership = started.getBean(CommandPartitionOwnership.class);
        await("session-service owns every wa.commands partition").atMost(TIMEOUT)
                .until(() -> ownership.owned().size() == TestKafka.PARTITIONS);
        return started;
    }

    /**
     * Stops session-service's {@code wa.commands} binding (its consumer leaves the group: every partition is revoked
     * and the runtime closes their sessions and frees their leases), then starts it again (every partition is
     * assigned back and their sessions are restored from the stored auth state).
     */
    private static void moveCommandPartitionsAwayAndBack() {
        CommandPartitionOwnership ownership = session.getBean(CommandPartitionOwnership.class);
        BindingsLifecycleController bindings = session.getBean(BindingsLifecycleController.class);
        bindings.changeState(COMMANDS_BINDING, BindingsLifecycleController.State.STOPPED);
        await("wa.commands partitions revoked").atMost(TIMEOUT).until(() -> ownership.owned().isEmpty());
        bindings.changeState(COMMANDS_BINDING, BindingsLifecycleController.State.STARTED);
        await("wa.commands partitions assigned again").atMost(TIMEOUT)
                .until(() -> ownership.owned().size() == TestKafka.PARTITIONS);
    }

    @Test
    void customersWhatsAppMessageIsStoredOnceAndReachesOnlyItsTenantsSseClients() throws Exception {
        List<ServerSentEvent<JsonNode>> otherTenantEvents = new CopyOnWriteArrayList<>();
        Disposable otherTenant = sse(OTHER_TENANT).subscribe(otherTenantEvents::add);
        // the inbox also announces conversation changes (opened, updated); this test follows the messages
        Flux<ServerSentEvent<JsonNode>> events = sse(TENANT)
                .filter(event -> "message.new".equals(event.event()))
                .cache();
        Disposable connected = events.subscribe();
        awaitSubscribers(2);

        UUID sessionId = createLinkedSession("Tienda Centro");
        JsonNode device = whatsappPost("/sim/linked/scan",
                Map.of("ref", awaitQrRef(sessionId), "phoneNumber", BUSINESS, "pushName", "Tienda Centro"),
                HttpStatusCode.valueOf(201));
        String deviceId = device.get("deviceId").asString();
        await("session connected").atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(session(sessionId).get("status").asString()).isEqualTo("connected"));
        assertThat(session(sessionId).get("phoneNumber").asString()).isEqualTo("+" + BUSINESS);

        whatsappPost("/sim/phones", Map.of("number", "+" + CUSTOMER, "name", "Ana", "onWhatsApp", true),
                HttpStatusCode.valueOf(201));
        String waMessageId = whatsappPost("/sim/phones/" + CUSTOMER + "/messages",
                Map.of("to", BUSINESS, "type", "text", "text", "Hola, quiero saber el precio"),
                HttpStatusCode.valueOf(202)).get("waMessageId").asString();
        assertThat(waMessageId).startsWith("wamid.");

        ServerSentEvent<JsonNode> first = events.next().block(TIMEOUT);
        assertThat(first).isNotNull();
        assertThat(first.event()).isEqualTo("message.new");
        JsonNode data = first.data();
        assertThat(data.get("tenantId").asString()).isEqualTo(TENANT);
        assertThat(data.get("sessionId").asString()).isEqualTo(sessionId.toString());
        assertThat(data.get("waMessageId").asString()).isEqualTo(waMessageId);
        assertThat(data.get("direction").asString()).isEqualTo("inbound");
        assertThat(data.get("contactPhone").asString()).isEqualTo("+" + CUSTOMER);
        assertThat(data.get("text").asString()).isEqualTo("Hola, quiero saber el precio");
        String messageId = data.get("messageId").asString();
        // the SSE id is the entry id in the tenant's replay log; the CloudEvent id travels in the data
        assertThat(data.get("eventId").asString()).isEqualTo(Uuids.named("stored", messageId, "delivered").toString());
        assertThat(StreamId.parse(first.id())).isPresent();
        String receivedEventId = Uuids.named("received", sessionId.toString(), waMessageId).toString();
        assertThat(inboundEventIds(sessionId, 1)).containsExactly(receivedEventId);

        StoredRow row = storedRow(sessionId, waMessageId);
        assertThat(row.count()).isEqualTo(1);
        assertThat(row.messageId()).isEqualTo(messageId);
        assertThat(row.conversationId()).isEqualTo(data.get("conversationId").asString());
        assertThat(row.tenantId()).isEqualTo(TENANT);
        assertThat(row.contactName()).isEqualTo("Ana");
        assertThat(row.unreadCount()).isEqualTo(1);

        // WhatsApp delivering the same message again: session-service handed the message on, but the session's
        // wa.commands partition moved away (a rebalance, as when an instance joins or leaves) before the delivery.ack
        // went out. The session is closed with the ack unsent; its next owner (here the same instance, once the
        // partition comes back) opens it anew, WhatsApp redelivers the frame, and it is published again under the
        // same event id, announced again under the same id, and stored once.
        assertThat(whatsappGet("/sim/linked/devices/" + deviceId).get("unacknowledged").asInt()).isEqualTo(1);
        long logins = whatsappGet("/sim/linked/devices/" + deviceId).get("logins").asLong();
        moveCommandPartitionsAwayAndBack();
        assertThat(inboundEventIds(sessionId, 2)).containsExactly(receivedEventId, receivedEventId);
        // message-service announces it again under the same CloudEvent id; the replay log holds one entry per id,
        // so the SSE client does not get it a second time
        String conversationId = data.get("conversationId").asString();
        await("stored announced again").atMost(TIMEOUT).until(() -> TopicRecords.read(Topics.CRM_CONVERSATION_EVENTS,
                conversationId, 1, Duration.ofSeconds(5)).stream()
                .filter(record -> first.data().get("eventId").asString()
                        .equals(TopicRecords.header(record, "ce_id"))).count() == 2);
        StepVerifier.create(events.skip(1).next())
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(2))
                .thenCancel()
                .verify(TIMEOUT);
        JsonNode afterRedelivery = whatsappGet("/sim/linked/devices/" + deviceId);
        assertThat(afterRedelivery.get("redelivered").asLong()).isEqualTo(1);
        assertThat(afterRedelivery.get("logins").asLong()).isEqualTo(logins + 1);
        assertThat(afterRedelivery.get("replacements").asLong()).isZero();
        StoredRow afterRepeat = storedRow(sessionId, waMessageId);
        assertThat(afterRepeat.count()).isEqualTo(1);
        assertThat(afterRepeat.messageId()).isEqualTo(messageId);
        assertThat(afterRepeat.unreadCount()).isEqualTo(1);
        assertThat(session(sessionId).get("status").asString()).isEqualTo("connected");

        assertThat(otherTenantEvents).isEmpty();
        connected.dispose();
        otherTenant.dispose();
    }

    @Test
    void sseStreamRejectsRequestsWithoutToken() {
        WebClient.create("http://127.0.0.1:" + ServiceLauncher.port(notification))
                .get().uri("/api/v1/events/stream")
                .exchangeToMono(response -> {
                    assertThat(response.statusCode().value()).isEqualTo(401);
                    assertThat(response.headers().contentType()).contains(MediaType.APPLICATION_PROBLEM_JSON);
                    return response.releaseBody();
                })
                .block(TIMEOUT);
    }

    // ---------------------------------------------------------------- notification-service

    private static Flux<ServerSentEvent<JsonNode>> sse(String tenant) {
        return WebClient.create("http://127.0.0.1:" + ServiceLauncher.port(notification))
                .get().uri("/api/v1/events/stream")
                .accept(MediaType.TEXT_EVENT_STREAM)
                                // a supervisor: an agent gets only the conversations assigned to it, and nobody assigns this one
                .headers(headers -> headers.setBearerAuth(TestJwts.get().token("supervisor-1", tenant, "supervisor")))
                .retrieve()
                .bodyToFlux(SSE)
                .filter(event -> event.event() != null);
    }

    private static void awaitSubscribers(int expected) {
        EventHub hub = notification.getBean(EventHub.class);
        await().atMost(TIMEOUT).until(() -> hub.subscriberCount() >= expected);
    }

    // ---------------------------------------------------------------- session-service's sessions API

    private static WebClient sessionsApi() {
        return WebClient.builder()
                .baseUrl("http://127.0.0.1:" + ServiceLauncher.port(session) + "/api/v1/sessions")
                .defaultHeaders(headers -> headers.setBearerAuth(TestJwts.get().token("admin-1", TENANT, "admin")))
                .build();
    }

    private static UUID createLinkedSession(String name) {
        JsonNode created = sessionsApi().post()
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", name, "transport", "linked"))
                .exchangeToMono(response -> {
                    assertThat(response.statusCode().value()).isEqualTo(201);
                    return response.bodyToMono(JsonNode.class);
                })
                .block(TIMEOUT);
        assertThat(created).isNotNull();
        return UUID.fromString(created.get("id").asString());
    }

    private static JsonNode session(UUID id) {
        return sessionsApi().get().uri("/{id}", id).retrieve().bodyToMono(JsonNode.class).block(TIMEOUT);
    }

    /** The QR ref the session shows once its device connected to WhatsApp (404 until then). */
    private static String awaitQrRef(UUID id) {
        return await("QR of session " + id).atMost(TIMEOUT).until(() -> sessionsApi().get().uri("/{id}/qr", id)
                .exchangeToMono(response -> response.statusCode().value() == 200
                        ? response.bodyToMono(JsonNode.class).map(qr -> qr.get("ref").asString())
                        : response.releaseBody().then(Mono.<String>empty()))
                .block(TIMEOUT), ref -> ref != null && !ref.isBlank());
    }

    // ---------------------------------------------------------------- WhatsApp (the simulator's control API)

    private static JsonNode whatsappPost(String path, Object body, HttpStatusCode expected) {
        String answer = WebClient.create(whatsapp.baseUrl().toString()).post().uri(path)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchangeToMono(response -> response.bodyToMono(String.class).defaultIfEmpty("")
                        .doOnNext(text -> assertThat(response.statusCode()).as("POST %s: %s", path, text)
                                .isEqualTo(expected)))
                .block(TIMEOUT);
        return JSON.readTree(answer == null || answer.isEmpty() ? "{}" : answer);
    }

    private static JsonNode whatsappGet(String path) {
        return WebClient.create(whatsapp.baseUrl().toString()).get().uri(path)
                .retrieve().bodyToMono(JsonNode.class).block(TIMEOUT);
    }

    // ---------------------------------------------------------------- what was published and stored

    /** The CloudEvent ids of the session's records on {@code wa.message.inbound}, in order. */
    private static List<String> inboundEventIds(UUID sessionId, int count) {
        List<ConsumerRecord<String, byte[]>> records = TopicRecords.await(Topics.WA_MESSAGE_INBOUND, sessionId, count);
        return records.stream().map(record -> TopicRecords.header(record, "ce_id")).toList();
    }

    private record StoredRow(int count, String messageId, String conversationId, String tenantId, String contactName,
            int unreadCount) {
    }

    private static StoredRow storedRow(UUID sessionId, String waMessageId) throws Exception {
        try (Connection connection = servers.database().connect();
                PreparedStatement query = connection.prepareStatement("""
                        SELECT m.id, m.conversation_id, m.tenant_id, c.contact_name, c.unread_count,
                               count(*) OVER () AS n
                          FROM message.messages m JOIN message.conversations c ON c.id = m.conversation_id
                         WHERE m.session_id = ? AND m.wa_message_id = ?""")) {
            query.setObject(1, sessionId);
            query.setString(2, waMessageId);
            try (ResultSet rows = query.executeQuery()) {
                assertThat(rows.next()).as("stored message row").isTrue();
                return new StoredRow(rows.getInt("n"), rows.getString("id"), rows.getString("conversation_id"),
                        rows.getString("tenant_id"), rows.getString("contact_name"), rows.getInt("unread_count"));
            }
        }
    }
}
