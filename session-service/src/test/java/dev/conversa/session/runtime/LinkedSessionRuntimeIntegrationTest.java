package dev.conversa.session.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.command.SendPriority;
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.events.message.MessageStatusChanged;
import dev.conversa.events.session.SessionStateChanged;
import dev.conversa.messaging.EventPublisher;
import dev.conversa.session.ownership.CommandPartitionOwnership;
import dev.conversa.simulator.WhatsAppSimulator;
import dev.conversa.testsupport.ConversaIntegrationTest;
import dev.conversa.testsupport.RealServers;
import dev.conversa.testsupport.TopicRecords;
import tools.jackson.databind.JsonNode;

/**
 * Linked-device sessions run end to end: the sessions API, the owner's runtime, the WhatsApp simulator speaking the
 * linked-device protocol, PostgreSQL, Redis and the KRaft broker.
 */
@ConversaIntegrationTest
@TestPropertySource(properties = {
        "spring.cloud.stream.bindings.handleCommand-in-0.consumer.auto-startup=true",
        "conversa.session.reconnect.base=100ms",
        "conversa.session.reconnect.max-delay=500ms",
        "conversa.session.pacing.linked.per-second=5",
        "conversa.session.pacing.linked.burst=1",
        "conversa.session.pacing.linked.jitter-min=0ms",
        "conversa.session.pacing.linked.jitter-max=0ms",
        "conversa.session.outbound.reconcile-delay=5s",
        "conversa.session.linked.ack-timeout=1s",
        "conversa.session.runtime.zombie-threshold=2",
        "conversa.session.pairing-code-wait=10s",
})
class LinkedSessionRuntimeIntegrationTest {

    static final WhatsAppSimulator SIMULATOR = RuntimeFixtures.startSimulator("100ms");

    @DynamicPropertySource
    static void simulator(DynamicPropertyRegistry registry) {
        registry.add("conversa.session.linked.url", () -> SIMULATOR.linkedDeviceUrl().toString());
    }

    @AfterAll
    static void stopSimulator() {
        SIMULATOR.close();
    }

    @Autowired
    WebTestClient web;

    @Autowired
    EventPublisher publisher;

    @Autowired
    CommandPartitionOwnership ownership;

    @Autowired
    RealServers servers;

    @Autowired
    MeterRegistry meters;

    RuntimeFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new RuntimeFixtures(web, SIMULATOR, publisher, "tenant-linked");
        RuntimeFixtures.awaitOwnershipOfEveryPartition(ownership);
    }

    @Test
    void newSessionShowsAQrThenConnectsWhenThePhoneScansItAndStoresOnlyCiphertext() {
        RuntimeFixtures.Linked linked = fixtures.linkNewNumber("scan-me");

        JsonNode session = fixtures.session(linked.sessionId());
        assertThat(session.path("phoneNumber").asString()).isEqualTo(linked.e164());
        List<String> types = TopicRecords.types(fixtures.sessionEvents(linked.sessionId(), 4));
        assertThat(types).contains(EventTypes.SESSION_QR_UPDATED, EventTypes.SESSION_QR_READY,
                EventTypes.SESSION_CONNECTED);
        byte[] ciphertext = (byte[]) servers.database().queryRow(
                "SELECT ciphertext FROM session.auth_state WHERE session_id = ?", linked.sessionId())
                .get("ciphertext");
        assertThat(new String(ciphertext, java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain(linked.deviceId()).doesNotContain("secret");
        assertThat(fixtures.device(linked.deviceId()).path("online").asBoolean()).isTrue();
    }

    @Test
    void customersMessageIsPublishedWithAnE164SenderAndAcknowledgedToWhatsApp() {
        RuntimeFixtures.Linked linked = fixtures.linkNewNumber("inbound");
        String customer = RuntimeFixtures.randomNumber();

        String waMessageId = fixtures.customerWrites(customer, linked.businessNumber(), "hola, ¿tienen stock?")
                .path("waMessageId").asString();

        MessageReceived received = TopicRecords.payload(
                TopicRecords.await(Topics.WA_MESSAGE_INBOUND, linked.sessionId(), 1).getFirst(),
                MessageReceived.class);
        assertThat(received.waMessageId()).isEqualTo(waMessageId);
        assertThat(received.from()).isEqualTo("+" + customer);
        assertThat(received.text()).isEqualTo("hola, ¿tienen stock?");
        assertThat(received.tenantId()).isEqualTo("tenant-linked");
        await().atMost(RuntimeFixtures.WAIT).untilAsserted(() -> assertThat(
                fixtures.device(linked.deviceId()).path("unacknowledged").asInt()).isZero());
    }

    @Test
    void sendIsMadeOnceEvenWhenTheCommandComesTwiceAndItsStatusesCarryTheCorrelationId() {
        RuntimeFixtures.Linked linked = fixtures.linkNewNumber("send-once");
        var command = fixtures.text(linked.sessionId(), "order-42-confirmation", "+5491155550042",
                "Tu pedido 42 está confirmado", SendPriority.CONVERSATIONAL);
        long acceptedBefore = acceptedSends();

        fixtures.publish(command);
        fixtures.publish(command);

        List<MessageStatusChanged> statuses = fixtures.statuses(linked.sessionId(), 4);
        assertThat(statuses).extracting(MessageStatusChanged::status)
                .containsSubsequence(DeliveryStatus.ACCEPTED, DeliveryStatus.SENT, DeliveryStatus.DELIVERED,
                        DeliveryStatus.READ);
        assertThat(statuses).allSatisfy(status -> {
            assertThat(status.correlationId()).isEqualTo("corr-order-42-confirmation");
            assertThat(status.idempotencyKey()).isEqualTo("order-42-confirmation");
            assertThat(status.messageId()).isEqualTo(command.messageId());
            assertThat(status.recipient()).isEqualTo("+5491155550042");
        });
        String clientRef = servers.database().queryString(
                "SELECT id::text FROM session.outbound_messages WHERE idempotency_key = ?", "order-42-confirmation");
        assertThat(fixtures.sendsOf(linked.businessNumber(), clientRef)).isEqualTo(1);
        assertThat(servers.database().queryLong(
                "SELECT count(*) FROM session.outbound_messages WHERE session_id = ?", linked.sessionId()))
                .isEqualTo(1);
        // the send's latency is measured (other tests' sends may land on the same meter)
        assertThat(acceptedSends() - acceptedBefore).isGreaterThanOrEqualTo(1);
    }

    private long acceptedSends() {
        Timer timer = meters.find("conversa.session.send").tag("transport", "linked").tag("outcome", "accepted")
                .timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void conversationalReplyOvertakesAQueuedCampaign() {
        RuntimeFixtures.Linked linked = fixtures.linkNewNumber("priority");
        for (int i = 0; i < 8; i++) {
            fixtures.publish(fixtures.text(linked.sessionId(), "campaign-7-r" + i, "+54911555100" + i,
                    "Promo de noviembre " + i, SendPriority.BULK));
        }
        await().atMost(RuntimeFixtures.WAIT).until(() -> accepted(linked.sessionId(), 1).size() >= 1);

        fixtures.publish(fixtures.text(linked.sessionId(), "reply-1", "+5491155559999", "Claro, te ayudo",
                SendPriority.CONVERSATIONAL));
        int acceptedWhenQueued = accepted(linked.sessionId(), 1).size();

        await().atMost(RuntimeFixtures.WAIT).until(() -> accepted(linked.sessionId(), 9).size() == 9);
        List<String> order = accepted(linked.sessionId(), 9).stream().map(MessageStatusChanged::idempotencyKey)
                .toList();
        int replyPosition = order.indexOf("reply-1");
        // one campaign send may hold the slot the reply arrived in; the reply takes the next one
        assertThat(replyPosition).as("order %s", order).isLessThanOrEqualTo(acceptedWhenQueued + 1);
        assertThat(order.subList(replyPosition + 1, order.size())).as("campaign sends the reply overtook")
                .isNotEmpty().allMatch(key -> key.startsWith("campaign-7-"));
    }

    @Test
    void sendsToDifferentRecipientsAreInFlightTogetherWhileOneRecipientsSendsStayInOrder() {
        RuntimeFixtures.Linked linked = fixtures.linkNewNumber("pipelined");
        // acks take 800 ms (under the 1 s ack timeout) while the pace gives a slot every 200 ms
        fixtures.simulatorPut("/sim/faults", Map.of("number", linked.businessNumber(), "latencyMillis", 800));
        try {
            for (int i = 0; i < 4; i++) {
                fixtures.publish(fixtures.text(linked.sessionId(), "fan-" + i, "+54911555200" + i, "Hola " + i,
                        SendPriority.BULK));
            }
            for (int i = 0; i < 3; i++) {
                fixtures.publish(fixtures.text(linked.sessionId(), "thread-" + i, "+5491155552999", "Parte " + i,
                        SendPriority.BULK));
            }

            await().atMost(RuntimeFixtures.WAIT).until(() -> servers.database().queryLong(
                    "SELECT count(*) FROM session.outbound_messages WHERE session_id = ? AND state = 'sending'",
                    linked.sessionId()) >= 2);
            await().atMost(RuntimeFixtures.WAIT).until(() -> accepted(linked.sessionId(), 7).size() == 7);
        }
        finally {
            fixtures.simulatorDelete("/sim/faults");
        }
        List<String> thread = accepted(linked.sessionId(), 7).stream().map(MessageStatusChanged::idempotencyKey)
                .filter(key -> key.startsWith("thread-")).toList();
        assertThat(thread).containsExactly("thread-0", "thread-1", "thread-2");
        assertThat(fixtures.truthOf(linked.businessNumber()).path("outboundAccepted").asLong()).isEqualTo(7);
    }

    /** The session's accepted sends in the order WhatsApp took them (a repeated event counts once). */
    private List<MessageStatusChanged> accepted(UUID sessionId, int atLeast) {
        Map<String, MessageStatusChanged> first = new java.util.LinkedHashMap<>();
        fixtures.statuses(sessionId, atLeast).stream()
                .filter(status -> status.status() == DeliveryStatus.ACCEPTED)
                .forEach(status -> first.putIfAbsent(status.idempotencyKey(), status));
        return List.copyOf(first.values());
    }

    @Test
    void sameTextToTheSameNumberUnderAnotherKeyWithinTheWindowIsSuppressed() {
        RuntimeFixtures.Linked linked = fixtures.linkNewNumber("dedup");

        fixtures.publish(fixtures.text(linked.sessionId(), "promo-a", "+5491155557777", "Oferta 2x1",
                SendPriority.BULK));
        fixtures.publish(fixtures.text(linked.sessionId(), "promo-b", "+5491155557777", "Oferta 2x1",
                SendPriority.BULK));

        await().atMost(RuntimeFixtures.WAIT).untilAsserted(() -> {
            List<MessageStatusChanged> statuses = fixtures.statuses(linked.sessionId(), 2);
            assertThat(statuses).anySatisfy(status -> {
                assertThat(status.idempotencyKey()).isEqualTo("promo-b");
                assertThat(status.status()).isEqualTo(DeliveryStatus.FAILED);
                assertThat(status.errorCode()).isEqualTo(409);
                assertThat(status.retryable()).isFalse();
            });
            assertThat(statuses).anySatisfy(status -> {
                assertThat(status.idempotencyKey()).isEqualTo("promo-a");
                assertThat(status.status()).isEqualTo(DeliveryStatus.ACCEPTED);
            });
        });
        assertThat(fixtures.truthOf(linked.businessNumber()).path("outboundAccepted").asLong()).isEqualTo(1);
    }

    @Test
    void phoneThatUnlinksTheDeviceEndsLoggedOutWithItsAuthStateWiped() {
        RuntimeFixtures.Linked linked = fixtures.linkNewNumber("unlinked");

        fixtures.disconnect(linked.deviceId(), 401);

        fixtures.awaitStatus(linked.sessionId(), "logged_out");
        await().atMost(RuntimeFixtures.WAIT).until(() -> servers.database().queryLong(
                "SELECT count(*) FROM session.auth_state WHERE session_id = ?", linked.sessionId()) == 0);
        assertThat(fixtures.session(linked.sessionId()).path("lastDisconnect").path("code").asInt()).isEqualTo(401);
    }

    @Test
    void bannedNumberEndsBannedAndKeepsItsAuthStateForAnAppeal() {
        RuntimeFixtures.Linked linked = fixtures.linkNewNumber("banned");

        fixtures.disconnect(linked.deviceId(), 403);

        fixtures.awaitStatus(linked.sessionId(), "banned");
        assertThat(servers.database().queryLong("SELECT count(*) FROM session.auth_state WHERE session_id = ?",
                linked.sessionId())).isEqualTo(1);
    }

    @Test
    void lostConnectionReconnectsWithTheSavedCredentialsWithoutANewQr() {
        RuntimeFixtures.Linked linked = fixtures.linkNewNumber("reconnect");

        fixtures.disconnect(linked.deviceId(), 408);

        await().atMost(RuntimeFixtures.WAIT).untilAsserted(() -> {
            assertThat(fixtures.device(linked.deviceId()).path("logins").asLong()).isGreaterThanOrEqualTo(2);
            assertThat(fixtures.session(linked.sessionId()).path("status").asString()).isEqualTo("connected");
        });
        List<SessionStateChanged> changes = fixtures.stateChanges(linked.sessionId(), 6);
        assertThat(changes).anySatisfy(change -> assertThat(change.reasonCode()).isEqualTo(408));
        assertThat(fixtures.device(linked.deviceId()).path("replacements").asLong()).isZero();
    }

    @Test
    void logoutThroughTheApiUnlinksTheDevice() {
        RuntimeFixtures.Linked linked = fixtures.linkNewNumber("api-logout");

        fixtures.web().post().uri("/api/v1/sessions/{id}/logout", linked.sessionId())
                .headers(headers -> headers.setBearerAuth(fixtures.token()))
                .exchange()
                .expectStatus().isAccepted();

        fixtures.awaitStatus(linked.sessionId(), "logged_out");
        assertThat(fixtures.device(linked.deviceId()).path("revoked").asBoolean()).isTrue();
    }

    @Test
    void pairingCodeComesBackInTheAnswerAndLinksThePhone() {
        UUID id = fixtures.createLinkedSession("pairing");
        fixtures.awaitQrRef(id);
        String number = RuntimeFixtures.randomNumber();

        JsonNode answer = RuntimeFixtures.json(fixtures.web().post().uri("/api/v1/sessions/{id}/pairing-code", id)
                .headers(headers -> headers.setBearerAuth(fixtures.token()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("phoneNumber", "+" + number))
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        assertThat(answer.path("code").asString()).hasSize(8);

        fixtures.enterPairingCode(number, answer.path("code").asString());
        fixtures.awaitStatus(id, "connected");
        assertThat(fixtures.session(id).path("phoneNumber").asString()).isEqualTo("+" + number);
    }

    @Test
    void sessionWhoseSendsGoUnansweredIsDeclaredAZombieAndRestarted() {
        RuntimeFixtures.Linked linked = fixtures.linkNewNumber("zombie");
        fixtures.simulatorPut("/sim/faults", Map.of("number", linked.businessNumber(), "latencyMillis", 3000));
        try {
            fixtures.publish(fixtures.text(linked.sessionId(), "slow-1", "+5491155550101", "uno",
                    SendPriority.CONVERSATIONAL));
            fixtures.publish(fixtures.text(linked.sessionId(), "slow-2", "+5491155550102", "dos",
                    SendPriority.CONVERSATIONAL));

            await().atMost(RuntimeFixtures.WAIT).untilAsserted(() -> assertThat(
                    fixtures.stateChanges(linked.sessionId(), 1).stream()
                            .filter(change -> change.reason() != null && change.reason().startsWith("zombie"))
                            .toList()).isNotEmpty());
        }
        finally {
            fixtures.simulatorDelete("/sim/faults");
        }
        fixtures.awaitStatus(linked.sessionId(), "connected");
        // the slow acks still came as receipts: each send settled once, none sent twice
        await().atMost(RuntimeFixtures.WAIT).untilAsserted(() -> {
            for (String key : List.of("slow-1", "slow-2")) {
                String clientRef = servers.database().queryString(
                        "SELECT id::text FROM session.outbound_messages WHERE idempotency_key = ?", key);
                assertThat(fixtures.sendsOf(linked.businessNumber(), clientRef)).isEqualTo(1);
            }
        });
    }
}
