package dev.conversa.session.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.conversa.events.command.SendMessageRequested;
import dev.conversa.events.command.SendPriority;
import dev.conversa.events.command.TemplateRef;
import dev.conversa.events.message.MessageType;
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.message.MessageStatusChanged;
import dev.conversa.messaging.EventPublisher;
import dev.conversa.session.ownership.CommandPartitionOwnership;
import dev.conversa.simulator.WhatsAppSimulator;
import dev.conversa.testsupport.ConversaIntegrationTest;
import dev.conversa.testsupport.RealServers;
import tools.jackson.databind.JsonNode;

/**
 * Cloud API sessions run end to end: created through the API, sending through the simulated Graph API, and the
 * simulator's signed webhooks coming back to this service's ingress.
 */
@ConversaIntegrationTest
@TestPropertySource(properties = {
        "spring.cloud.stream.bindings.handleCommand-in-0.consumer.auto-startup=true",
        "conversa.session.pacing.cloud-api.per-second=50",
})
class CloudApiSessionRuntimeIntegrationTest {

    static final WhatsAppSimulator SIMULATOR = RuntimeFixtures.startSimulator("100ms");

    @DynamicPropertySource
    static void simulator(DynamicPropertyRegistry registry) {
        registry.add("conversa.session.cloud-api.base-url", () -> SIMULATOR.baseUrl().toString());
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

    @LocalServerPort
    int port;

    RuntimeFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new RuntimeFixtures(web, SIMULATOR, publisher, "tenant-cloud");
        RuntimeFixtures.awaitOwnershipOfEveryPartition(ownership);
    }

    @Test
    void sendGoesThroughTheGraphApiOnceAndWebhookStatusesNameTheCommand() {
        CloudNumber number = registerAndCreate("cloud-send");
        fixtures.awaitStatus(number.sessionId(), "connected");
        // a free-form message needs the customer's 24-hour window open: the customer writes first
        fixtures.customerWrites("5491155550077", number.digits(), "¿me mandan la factura?");
        var command = fixtures.text(number.sessionId(), "invoice-77", "+5491155550077", "Tu factura 77",
                SendPriority.CONVERSATIONAL);

        fixtures.publish(command);
        fixtures.publish(command);

        List<MessageStatusChanged> statuses = fixtures.statuses(number.sessionId(), 4);
        assertThat(statuses).extracting(MessageStatusChanged::status)
                .contains(DeliveryStatus.ACCEPTED, DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ);
        assertThat(statuses).allSatisfy(status -> {
            assertThat(status.correlationId()).isEqualTo("corr-invoice-77");
            assertThat(status.idempotencyKey()).isEqualTo("invoice-77");
            assertThat(status.messageId()).isEqualTo(command.messageId());
        });
        String clientRef = servers.database().queryString(
                "SELECT id::text FROM session.outbound_messages WHERE idempotency_key = ?", "invoice-77");
        assertThat(fixtures.sendsOf(number.digits(), clientRef)).isEqualTo(1);
        await().atMost(RuntimeFixtures.WAIT).untilAsserted(() -> assertThat(servers.database().queryString(
                "SELECT delivery_status FROM session.outbound_messages WHERE idempotency_key = ?", "invoice-77"))
                .isEqualTo("read"));
    }

    @Test
    void templateToAPhoneNotOnWhatsAppFailsWithMetasCode() {
        CloudNumber number = registerAndCreate("cloud-undeliverable");
        fixtures.awaitStatus(number.sessionId(), "connected");
        String stranger = RuntimeFixtures.randomNumber();
        fixtures.simulatorPost("/sim/phones", Map.of("number", "+" + stranger, "name", "Nadie",
                "onWhatsApp", false), 201);

        fixtures.publish(new SendMessageRequested("tenant-cloud", number.sessionId(), UUID.randomUUID(),
                "to-stranger", "campaign-1:r-9", "+" + stranger, MessageType.TEMPLATE, null, null,
                new TemplateRef("bienvenida", "es_AR", List.of("Nadie")), null, null, SendPriority.BULK,
                "campaign-service", Instant.now()));

        await().atMost(RuntimeFixtures.WAIT).untilAsserted(() -> assertThat(
                fixtures.statuses(number.sessionId(), 1)).anySatisfy(status -> {
                    assertThat(status.status()).isEqualTo(DeliveryStatus.FAILED);
                    assertThat(status.errorCode()).isEqualTo(131026);
                    assertThat(status.idempotencyKey()).isEqualTo("to-stranger");
                }));
    }

    @Test
    void invalidCommandIsAnsweredWithANonRetryableFailureAndNeverQueued() {
        CloudNumber number = registerAndCreate("cloud-invalid");
        fixtures.awaitStatus(number.sessionId(), "connected");

        fixtures.publish(fixtures.text(number.sessionId(), "bad-recipient", "5491155550000", "sin +",
                SendPriority.CONVERSATIONAL));

        MessageStatusChanged failed = fixtures.statuses(number.sessionId(), 1).getFirst();
        assertThat(failed.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(failed.retryable()).isFalse();
        assertThat(failed.errorTitle()).contains("E.164");
        assertThat(servers.database().queryLong(
                "SELECT count(*) FROM session.outbound_messages WHERE idempotency_key = ?", "bad-recipient")).isZero();
    }

    private CloudNumber registerAndCreate(String name) {
        String phoneNumberId = "1065" + ThreadLocalRandom.current().nextLong(100_000_000_000L, 999_999_999_999L);
        String digits = "1555" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
        String token = "EAAG-" + UUID.randomUUID();
        String appSecret = "app-secret-" + UUID.randomUUID();
        fixtures.simulatorPost("/sim/cloud/numbers", Map.of("phoneNumberId", phoneNumberId,
                "phoneNumber", "+" + digits, "accessToken", token, "appSecret", appSecret,
                "verifyToken", "verify-" + name,
                "webhookUrl", "http://127.0.0.1:" + port + "/webhooks/whatsapp/" + phoneNumberId), 201);
        JsonNode created = RuntimeFixtures.json(web.post().uri("/api/v1/sessions")
                .headers(headers -> headers.setBearerAuth(fixtures.token()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", name, "transport", "cloud-api", "cloudApi", Map.of(
                        "phoneNumberId", phoneNumberId, "accessToken", token, "appSecret", appSecret,
                        "verifyToken", "verify-" + name)))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(String.class).returnResult().getResponseBody());
        return new CloudNumber(UUID.fromString(created.path("id").asString()), phoneNumberId, digits);
    }

    record CloudNumber(UUID sessionId, String phoneNumberId, String digits) {
    }
}
