package dev.conversa.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

import dev.conversa.events.Topics;
import dev.conversa.message.MessageServiceApplication;
import dev.conversa.notification.NotificationServiceApplication;
import dev.conversa.session.SessionServiceApplication;
import dev.conversa.testsupport.RealServers;
import dev.conversa.testsupport.ServiceLauncher;
import dev.conversa.testsupport.TestJwts;
import dev.conversa.testsupport.TestKafka;
import dev.conversa.web.id.Uuids;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/**
 * The backbone across three services, each started whole in this JVM on one real PostgreSQL database, one Redis
 * and one KRaft broker: session-service publishes an inbound message, message-service stores it and announces it,
 * notification-service pushes it to the SSE client of the right tenant.
 */
class WalkingSkeletonIntegrationTest {

    private static final String TENANT = "tenant-acme";
    private static final String OTHER_TENANT = "tenant-globex";
    private static final String NOTIFICATION_GROUP = "notification-skeleton-test";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ParameterizedTypeReference<ServerSentEvent<JsonNode>> SSE =
            new ParameterizedTypeReference<>() { };

    private static RealServers servers;
    private static ConfigurableApplicationContext session;
    private static ConfigurableApplicationContext message;
    private static ConfigurableApplicationContext notification;

    @BeforeAll
    static void startServices() {
        servers = RealServers.forOwner(WalkingSkeletonIntegrationTest.class.getName());
        Map<String, Object> shared = servers.properties();
        message = ServiceLauncher.start(MessageServiceApplication.class, shared);
        session = ServiceLauncher.start(SessionServiceApplication.class, shared);
        Map<String, Object> notificationProperties = new java.util.HashMap<>(shared);
        notificationProperties.put("spring.cloud.stream.bindings.relayConversationEvents-in-0.group",
                NOTIFICATION_GROUP);
        notification = ServiceLauncher.start(NotificationServiceApplication.class, notificationProperties);
        TestKafka.awaitAssignment(NOTIFICATION_GROUP, Topics.CRM_CONVERSATION_EVENTS, TIMEOUT);
    }

    @AfterAll
    static void stopServices() {
        for (ConfigurableApplicationContext context : List.of(session, message, notification)) {
            if (context != null) {
                context.close();
            }
        }
    }

    @Test
    void inboundMessageIsStoredOnceAndReachesOnlyItsTenantsSseClients() throws Exception {
        UUID sessionId = UUID.randomUUID();
        String waMessageId = "wamid." + UUID.randomUUID();
        List<ServerSentEvent<JsonNode>> otherTenantEvents = new CopyOnWriteArrayList<>();
        Disposable otherTenant = sse(OTHER_TENANT).subscribe(otherTenantEvents::add);
        Flux<ServerSentEvent<JsonNode>> events = sse(TENANT).cache();
        Disposable connected = events.subscribe();
        awaitSubscribers(2);

        String receivedEventId = inject(sessionId, waMessageId, "Hola, quiero saber el precio");

        ServerSentEvent<JsonNode> first = events.next().block(TIMEOUT);
        assertThat(first).isNotNull();
        assertThat(first.event()).isEqualTo("message.new");
        JsonNode data = first.data();
        assertThat(data.get("tenantId").asString()).isEqualTo(TENANT);
        assertThat(data.get("sessionId").asString()).isEqualTo(sessionId.toString());
        assertThat(data.get("waMessageId").asString()).isEqualTo(waMessageId);
        assertThat(data.get("direction").asString()).isEqualTo("inbound");
        assertThat(data.get("contactPhone").asString()).isEqualTo("+5491155551234");
        assertThat(data.get("text").asString()).isEqualTo("Hola, quiero saber el precio");
        String messageId = data.get("messageId").asString();
        assertThat(first.id()).isEqualTo(Uuids.named("stored", messageId, "delivered").toString());
        assertThat(receivedEventId)
                .isEqualTo(Uuids.named("received", sessionId.toString(), waMessageId).toString());

        StoredRow row = storedRow(sessionId, waMessageId);
        assertThat(row.count()).isEqualTo(1);
        assertThat(row.messageId()).isEqualTo(messageId);
        assertThat(row.conversationId()).isEqualTo(data.get("conversationId").asString());
        assertThat(row.tenantId()).isEqualTo(TENANT);
        assertThat(row.unreadCount()).isEqualTo(1);

        // WhatsApp delivering the same message again: announced again under the same id, stored once.
        inject(sessionId, waMessageId, "Hola, quiero saber el precio");
        StepVerifier.create(events.skip(1).next())
                .assertNext(repeat -> assertThat(repeat.id()).isEqualTo(first.id()))
                .expectComplete()
                .verify(TIMEOUT);
        StoredRow afterRepeat = storedRow(sessionId, waMessageId);
        assertThat(afterRepeat.count()).isEqualTo(1);
        assertThat(afterRepeat.unreadCount()).isEqualTo(1);

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

    private static Flux<ServerSentEvent<JsonNode>> sse(String tenant) {
        return WebClient.create("http://127.0.0.1:" + ServiceLauncher.port(notification))
                .get().uri("/api/v1/events/stream")
                .accept(MediaType.TEXT_EVENT_STREAM)
                .headers(headers -> headers.setBearerAuth(TestJwts.get().token("agent-1", tenant, "agent")))
                .retrieve()
                .bodyToFlux(SSE)
                .filter(event -> event.event() != null);
    }

    private static String inject(UUID sessionId, String waMessageId, String text) {
        JsonNode accepted = WebClient.create("http://127.0.0.1:" + ServiceLauncher.port(session))
                .post().uri("/internal/v1/sessions/{id}/inbound-messages", sessionId)
                .headers(headers -> headers.setBearerAuth(TestJwts.get().token("session-bridge", TENANT, "service")))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("waMessageId", waMessageId, "from", "+5491155551234", "contactName", "Ana",
                        "text", text))
                .retrieve()
                .bodyToMono(JsonNode.class)
                .block(TIMEOUT);
        assertThat(accepted).isNotNull();
        return accepted.get("eventId").asString();
    }

    private static void awaitSubscribers(int expected) {
        var hub = notification.getBean(dev.conversa.notification.stream.EventHub.class);
        org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> hub.subscriberCount() >= expected);
    }

    private record StoredRow(int count, String messageId, String conversationId, String tenantId, int unreadCount) {
    }

    private static StoredRow storedRow(UUID sessionId, String waMessageId) throws Exception {
        try (Connection connection = servers.database().connect();
                PreparedStatement query = connection.prepareStatement("""
                        SELECT m.id, m.conversation_id, m.tenant_id, c.unread_count, count(*) OVER () AS n
                          FROM message.messages m JOIN message.conversations c ON c.id = m.conversation_id
                         WHERE m.session_id = ? AND m.wa_message_id = ?""")) {
            query.setObject(1, sessionId);
            query.setString(2, waMessageId);
            try (ResultSet rows = query.executeQuery()) {
                assertThat(rows.next()).as("stored message row").isTrue();
                return new StoredRow(rows.getInt("n"), rows.getString("id"), rows.getString("conversation_id"),
                        rows.getString("tenant_id"), rows.getInt("unread_count"));
            }
        }
    }
}
