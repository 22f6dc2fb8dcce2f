package dev.conversa.simulator.linked;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.conversa.simulator.WhatsAppSimulator;
import dev.conversa.simulator.core.InboundMessage;
import dev.conversa.simulator.core.InboundRouter;
import dev.conversa.simulator.core.WaMessageIds;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Phones, pairing and the control API for linked-device tests against an embedded simulator. */
final class LinkedFixtures {

    private static final AtomicLong NUMBERS = new AtomicLong(System.nanoTime() % 1_000_000);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WhatsAppSimulator simulator;
    private final WebTestClient http;

    LinkedFixtures(WhatsAppSimulator simulator) {
        this.simulator = simulator;
        this.http = WebTestClient.bindToServer().baseUrl(simulator.baseUrl().toString()).build();
    }

    /** A number no other test uses. */
    static String newNumber() {
        return "54911" + String.format("%08d", NUMBERS.incrementAndGet() % 100_000_000);
    }

    WebTestClient http() {
        return http;
    }

    TestDevice pairingDevice() {
        return TestDevice.pairing(simulator.linkedDeviceUrl());
    }

    TestDevice connect() {
        return TestDevice.connect(simulator.linkedDeviceUrl());
    }

    TestDevice reconnect(JsonNode credentials) {
        return reconnect(credentials, TestDevice.Acks.AUTO);
    }

    TestDevice reconnect(JsonNode credentials, TestDevice.Acks acks) {
        return TestDevice.withCredentials(simulator.linkedDeviceUrl(), credentials, acks);
    }

    /** Pairs a new device for {@code number} by QR scan; answers its credentials. */
    JsonNode pair(String number) {
        try (TestDevice device = pairingDevice()) {
            JsonNode qr = device.expect("qr");
            scan(qr.path("ref").asString(), number, "Tienda " + number).expectStatus().isCreated();
            JsonNode success = device.expect("pair-success");
            device.expectDisconnect(515);
            return success.path("credentials");
        }
    }

    /** Pairs a device for {@code number} and connects it; the {@code open} frame has been read. */
    TestDevice online(String number) {
        return online(number, TestDevice.Acks.AUTO);
    }

    /** Connects the paired device with these credentials; the {@code open} frame (no pending) has been read. */
    TestDevice online(JsonNode credentials, TestDevice.Acks acks) {
        TestDevice device = reconnect(credentials, acks);
        JsonNode open = device.expect("open");
        assertThat(open.path("deviceId").asString()).isEqualTo(credentials.path("deviceId").asString());
        assertThat(open.path("pending").asInt()).isZero();
        return device;
    }

    /** Pairs a device for {@code number} and connects it acknowledging as {@code acks} says. */
    TestDevice online(String number, TestDevice.Acks acks) {
        TestDevice device = reconnect(pair(number), acks);
        JsonNode open = device.expect("open");
        assertThat(open.path("phoneNumber").asString()).isEqualTo(number);
        return device;
    }

    WebTestClient.ResponseSpec scan(String ref, String number, String pushName) {
        return http.post().uri("/sim/linked/scan")
                .bodyValue(Map.of("ref", ref, "phoneNumber", number, "pushName", pushName))
                .exchange();
    }

    WebTestClient.ResponseSpec enterCode(String number, String code) {
        return http.post().uri("/sim/linked/pairing-code/enter")
                .bodyValue(Map.of("phoneNumber", number, "code", code))
                .exchange();
    }

    WebTestClient.ResponseSpec disconnect(String deviceId, int code, String reason) {
        return http.post().uri("/sim/linked/devices/{id}/disconnect", deviceId)
                .bodyValue(Map.of("code", code, "reason", reason))
                .exchange();
    }

    JsonNode json(WebTestClient.ResponseSpec response, HttpStatus status) {
        byte[] body = response.expectStatus().isEqualTo(status).expectBody().returnResult().getResponseBody();
        return JSON.readTree(body);
    }

    JsonNode deviceView(String deviceId) {
        return json(http.get().uri("/sim/linked/devices/{id}", deviceId).exchange(), HttpStatus.OK);
    }

    /** A customer's text to {@code business}, routed as the phone would send it. */
    InboundMessage text(String customer, String business, String text) {
        return inbound(customer, business, "text", text, null, null, null, null, null);
    }

    static InboundMessage inbound(String customer, String business, String type, String text,
            InboundMessage.Media media, InboundMessage.Location location, InboundMessage.Reaction reaction,
            InboundMessage.ButtonReply button, String context) {
        return new InboundMessage(WaMessageIds.next(), customer, business, "Cliente " + customer, type, text, media,
                location, reaction, button, context, Instant.now(), null);
    }

    void deliver(InboundMessage message) {
        simulator.bean(InboundRouter.class).deliver(message).block(TestDevice.WAIT);
    }

    <T> T bean(Class<T> type) {
        return simulator.bean(type);
    }
}
