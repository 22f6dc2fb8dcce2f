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

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.command.ReadRequested;
import dev.conversa.messaging.EventPublisher;
import dev.conversa.session.ownership.CommandPartitionOwnership;
import dev.conversa.simulator.WhatsAppSimulator;
import dev.conversa.testsupport.ConversaIntegrationTest;
import dev.conversa.testsupport.TopicRecords;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;

/**
 * {@code conversa.message.read-requested.v1} end to end: the owner marks the customer's messages read on WhatsApp at
 * once, over the session's live connection — a {@code read} frame for a linked device (the simulator counts it as
 * {@code readsReported}), Meta's mark-as-read for a Cloud API number. The simulator keeps no record of a Cloud API
 * mark-as-read; it answers {@code 200} only for a message the number received and {@code 400} (131009) otherwise, so
 * the outcomes counted by {@code conversa.session.read.receipts} show what it answered.
 */
@ConversaIntegrationTest
@TestPropertySource(properties = {
        "spring.cloud.stream.bindings.handleCommand-in-0.consumer.auto-startup=true",
})
class ReadReceiptsIntegrationTest {

    static final WhatsAppSimulator SIMULATOR = RuntimeFixtures.startSimulator("0s");
    private static final String TENANT = "tenant-reads";

    @DynamicPropertySource
    static void simulator(DynamicPropertyRegistry registry) {
        registry.add("conversa.session.linked.url", () -> SIMULATOR.linkedDeviceUrl().toString());
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
    MeterRegistry meters;

    @LocalServerPort
    int port;

    RuntimeFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new RuntimeFixtures(web, SIMULATOR, publisher, TENANT);
        RuntimeFixtures.awaitOwnershipOfEveryPartition(ownership);
    }

    @Test
    void linkedSessionReportsTheReadMessagesToWhatsApp() {
        RuntimeFixtures.Linked linked = fixtures.linkNewNumber("reads-linked");
        String customer = RuntimeFixtures.randomNumber();
        String first = fixtures.customerWrites(customer, linked.businessNumber(), "hola").path("waMessageId")
                .asString();
        String second = fixtures.customerWrites(customer, linked.businessNumber(), "¿tienen envío?")
                .path("waMessageId").asString();
        TopicRecords.await(Topics.WA_MESSAGE_INBOUND, linked.sessionId(), 2);
        assertThat(fixtures.device(linked.deviceId()).path("readsReported").asLong()).isZero();

        fixtures.publishCommand(EventTypes.MESSAGE_READ_REQUESTED, read(linked.sessionId(), customer, first, second));

        await().atMost(RuntimeFixtures.WAIT).untilAsserted(() -> assertThat(
                fixtures.device(linked.deviceId()).path("readsReported").asLong()).isEqualTo(2));
        // conversational and cheap: nothing went through the outbound queue, nothing was sent to the customer
        assertThat(fixtures.truthOf(linked.businessNumber()).path("outboundAccepted").asLong()).isZero();
    }

    @Test
    void cloudApiSessionMarksReceivedMessagesReadAndAnUnknownIdIsRefusedNotRetried() {
        CloudNumber number = registerAndCreate("reads-cloud");
        fixtures.awaitStatus(number.sessionId(), "connected");
        String customer = RuntimeFixtures.randomNumber();
        String first = fixtures.customerWrites(customer, number.digits(), "hola").path("waMessageId").asString();
        String second = fixtures.customerWrites(customer, number.digits(), "¿tienen envío?").path("waMessageId")
                .asString();
        TopicRecords.await(Topics.WA_MESSAGE_INBOUND, number.sessionId(), 2);
        double sent = readReceipts("cloud-api", "sent");
        double failed = readReceipts("cloud-api", "failed");

        fixtures.publishCommand(EventTypes.MESSAGE_READ_REQUESTED, read(number.sessionId(), customer, first, second));
        fixtures.publishCommand(EventTypes.MESSAGE_READ_REQUESTED,
                read(number.sessionId(), customer, "wamid.never-received"));

        await().atMost(RuntimeFixtures.WAIT).untilAsserted(() -> {
            assertThat(readReceipts("cloud-api", "sent")).isEqualTo(sent + 2);
            assertThat(readReceipts("cloud-api", "failed")).isEqualTo(failed + 1);
        });
        assertThat(fixtures.truthOf(number.digits()).path("outboundAccepted").asLong()).isZero();
        assertThat(fixtures.session(number.sessionId()).path("status").asString()).isEqualTo("connected");
    }

    @Test
    void readRequestForASessionThatIsNotLiveHereIsDropped() {
        double dropped = readReceipts("none", "dropped");

        fixtures.publishCommand(EventTypes.MESSAGE_READ_REQUESTED,
                read(UUID.randomUUID(), RuntimeFixtures.randomNumber(), "wamid.A", "wamid.B", "wamid.C"));

        await().atMost(RuntimeFixtures.WAIT).untilAsserted(() -> assertThat(readReceipts("none", "dropped"))
                .isEqualTo(dropped + 3));
    }

    private static ReadRequested read(UUID sessionId, String customerDigits, String... waMessageIds) {
        return new ReadRequested(TENANT, sessionId, "+" + customerDigits, List.of(waMessageIds), "user:agent-1",
                Instant.now());
    }

    private double readReceipts(String transport, String outcome) {
        Counter counter = meters.find("conversa.session.read.receipts").tag("transport", transport)
                .tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
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
