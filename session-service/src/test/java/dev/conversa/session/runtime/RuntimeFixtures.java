package dev.conversa.session.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.events.command.SendMessageRequested;
import dev.conversa.events.command.SendPriority;
import dev.conversa.events.message.MessageStatusChanged;
import dev.conversa.events.message.MessageType;
import dev.conversa.events.session.SessionStateChanged;
import dev.conversa.events.session.SessionStatus;
import dev.conversa.messaging.EventPublisher;
import dev.conversa.session.ownership.CommandPartitionOwnership;
import dev.conversa.session.sessions.SessionTransitions;
import dev.conversa.simulator.WhatsAppSimulator;
import dev.conversa.testsupport.TestJwts;
import dev.conversa.testsupport.TestKafka;
import dev.conversa.testsupport.TopicRecords;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the runtime tests do again and again: create sessions through the API, play the phone on the simulator,
 * send commands on {@code wa.commands} and read what comes back.
 */
final class RuntimeFixtures {

    static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WebTestClient web;
    private final WhatsAppSimulator simulator;
    private final EventPublisher publisher;
    private final String tenant;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    RuntimeFixtures(WebTestClient web, WhatsAppSimulator simulator, EventPublisher publisher, String tenant) {
        this.web = web.mutate().responseTimeout(Duration.ofSeconds(30)).build();
        this.simulator = simulator;
        this.publisher = publisher;
        this.tenant = tenant;
    }

    /**
     * The simulator the runtime tests talk to: quick receipts ({@code readAfter} "0s": never read), no ban model
     * (tests send faster than a person).
     */
    static WhatsAppSimulator startSimulator(String readAfter) {
        return WhatsAppSimulator.builder()
                .property("simulator.receipts.delivered-after", "50ms")
                .property("simulator.receipts.read-after", readAfter)
                .property("simulator.ban.enabled", false)
                .start();
    }

    static void awaitOwnershipOfEveryPartition(CommandPartitionOwnership ownership) {
        await().atMost(WAIT).until(() -> ownership.owned().size() == TestKafka.PARTITIONS);
    }

    String token() {
        return TestJwts.get().token("admin-1", tenant, "admin");
    }

    WebTestClient web() {
        return web;
    }

    // ---------------------------------------------------------------- sessions API

    UUID createLinkedSession(String name) {
        JsonNode created = json(web.post().uri("/api/v1/sessions")
                .headers(headers -> headers.setBearerAuth(token()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", name, "transport", "linked"))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(String.class).returnResult().getResponseBody());
        return UUID.fromString(created.path("id").asString());
    }

    JsonNode session(UUID id) {
        return json(web.get().uri("/api/v1/sessions/{id}", id)
                .headers(headers -> headers.setBearerAuth(token()))
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    void awaitStatus(UUID id, String status) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(session(id).path("status").asString())
                .isEqualTo(status));
    }

    String awaitQrRef(UUID id) {
        return await().atMost(WAIT).until(() -> {
            var result = web.get().uri("/api/v1/sessions/{id}/qr", id)
                    .headers(headers -> headers.setBearerAuth(token()))
                    .exchange()
                    .returnResult(String.class);
            if (result.getStatus().value() != 200) {
                return null;
            }
            return json(result.getResponseBody().blockFirst(Duration.ofSeconds(5))).path("ref").asString();
        }, ref -> ref != null);
    }

    /** Creates a linked session and links it to a new business number by scanning its QR; answers both. */
    Linked linkNewNumber(String name) {
        UUID id = createLinkedSession(name);
        String number = randomNumber();
        JsonNode device = scan(awaitQrRef(id), number);
        awaitStatus(id, "connected");
        return new Linked(id, number, device.path("deviceId").asString());
    }

    record Linked(UUID sessionId, String businessNumber, String deviceId) {

        String e164() {
            return "+" + businessNumber;
        }
    }

    // ---------------------------------------------------------------- the phone (simulator control API)

    JsonNode scan(String ref, String businessNumber) {
        return simulatorPost("/sim/linked/scan", Map.of("ref", ref, "phoneNumber", businessNumber,
                "pushName", "Tienda " + businessNumber.substring(businessNumber.length() - 4)), 201);
    }

    JsonNode enterPairingCode(String businessNumber, String code) {
        return simulatorPost("/sim/linked/pairing-code/enter", Map.of("phoneNumber", businessNumber, "code", code),
                201);
    }

    JsonNode customerWrites(String customer, String businessNumber, String text) {
        return simulatorPost("/sim/phones/" + customer + "/messages",
                Map.of("to", businessNumber, "type", "text", "text", text), 202);
    }

    JsonNode disconnect(String deviceId, int code) {
        return simulatorPost("/sim/linked/devices/" + deviceId + "/disconnect", Map.of("code", code), 200);
    }

    JsonNode device(String deviceId) {
        return simulatorGet("/sim/linked/devices/" + deviceId);
    }

    long sendsOf(String businessNumber, String clientRef) {
        return simulatorGet("/sim/truth/numbers/" + businessNumber + "/client-refs?key=" + clientRef)
                .path("count").asLong();
    }

    JsonNode truthOf(String businessNumber) {
        return simulatorGet("/sim/truth/numbers/" + businessNumber);
    }

    JsonNode simulatorPost(String path, Object body, int expectedStatus) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(simulator.baseUrl().resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build());
        assertThat(response.statusCode()).as("POST %s: %s", path, response.body()).isEqualTo(expectedStatus);
        return response.body().isEmpty() ? JSON.createObjectNode() : json(response.body());
    }

    JsonNode simulatorPut(String path, Object body) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(simulator.baseUrl().resolve(path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build());
        assertThat(response.statusCode()).as("PUT %s: %s", path, response.body()).isBetween(200, 299);
        return response.body().isEmpty() ? JSON.createObjectNode() : json(response.body());
    }

    void simulatorDelete(String path) {
        send(HttpRequest.newBuilder(simulator.baseUrl().resolve(path)).DELETE().build());
    }

    JsonNode simulatorGet(String path) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(simulator.baseUrl().resolve(path)).GET().build());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return json(response.body());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (Exception e) {
            throw new IllegalStateException("simulator call failed: " + request.uri(), e);
        }
    }

    // ---------------------------------------------------------------- commands and events

    SendMessageRequested text(UUID sessionId, String idempotencyKey, String to, String text, SendPriority priority) {
        return new SendMessageRequested(tenant, sessionId, UUID.randomUUID(), idempotencyKey,
                "corr-" + idempotencyKey, to, MessageType.TEXT, text, null, null, null, null, priority,
                priority == SendPriority.BULK ? "campaign-service" : "user:agent-1", Instant.now());
    }

    void publish(SendMessageRequested command) {
        String key = command.sessionId().toString();
        EventMetadata metadata = EventMetadata.of(EventTypes.MESSAGE_SEND_REQUESTED, "/message-service", key,
                command.tenantId(), key);
        publisher.publish(Topics.WA_COMMANDS, metadata, command, key).block(Duration.ofSeconds(10));
    }

    /**
     * Publishes any command on {@code wa.commands} as {@code message-service} would: keyed by the payload's
     * {@code sessionId}, with its {@code tenantId}.
     */
    void publishCommand(String type, Record payload) {
        String key = component(payload, "sessionId").toString();
        EventMetadata metadata = EventMetadata.of(type, "/message-service", key,
                component(payload, "tenantId").toString(), key);
        publisher.publish(Topics.WA_COMMANDS, metadata, payload, key).block(Duration.ofSeconds(10));
    }

    private static Object component(Record payload, String name) {
        for (java.lang.reflect.RecordComponent component : payload.getClass().getRecordComponents()) {
            if (component.getName().equals(name)) {
                try {
                    return component.getAccessor().invoke(payload);
                }
                catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalArgumentException(payload.getClass().getSimpleName() + " has no " + name);
    }

    /** The status events of the session's sends, in order, once {@code atLeast} arrived. */
    List<MessageStatusChanged> statuses(UUID sessionId, int atLeast) {
        return TopicRecords.await(Topics.WA_MESSAGE_STATUS, sessionId, atLeast).stream()
                .map(record -> TopicRecords.payload(record, MessageStatusChanged.class))
                .toList();
    }

    List<ConsumerRecord<String, byte[]>> sessionEvents(UUID sessionId, int atLeast) {
        return TopicRecords.await(Topics.WA_SESSION_EVENTS, sessionId, atLeast);
    }

    /** The session's status changes (not its QR, pairing-code or health events), in order. */
    List<SessionStateChanged> stateChanges(UUID sessionId, int atLeast) {
        return sessionEvents(sessionId, atLeast).stream()
                .filter(record -> STATE_CHANGES.contains(TopicRecords.header(record, "ce_type")))
                .map(record -> TopicRecords.payload(record, SessionStateChanged.class))
                .toList();
    }

    private static final java.util.Set<String> STATE_CHANGES = java.util.Arrays.stream(SessionStatus.values())
            .map(SessionTransitions::eventType)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    static String randomNumber() {
        return "549115" + (1_000_000 + ThreadLocalRandom.current().nextInt(8_999_999));
    }

    static JsonNode json(String body) {
        return JSON.readTree(body);
    }
}
