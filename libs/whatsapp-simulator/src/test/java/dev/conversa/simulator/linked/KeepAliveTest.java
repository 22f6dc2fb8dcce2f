package dev.conversa.simulator.linked;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.conversa.simulator.WhatsAppSimulatorExtension;
import tools.jackson.databind.JsonNode;

class KeepAliveTest {

    @RegisterExtension
    static final WhatsAppSimulatorExtension SIMULATOR = new WhatsAppSimulatorExtension()
            .withProperty("simulator.linked.tick", "10ms")
            .withProperty("simulator.linked.ping-interval", "150ms")
            .withProperty("simulator.linked.ping-timeout", "200ms");

    private LinkedFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new LinkedFixtures(SIMULATOR.simulator());
    }

    @Test
    void deviceThatAnswersPingsStaysConnected() throws InterruptedException {
        JsonNode credentials = fixtures.pair(LinkedFixtures.newNumber());
        try (TestDevice device = fixtures.reconnect(credentials)) {
            device.expect("open");
            device.expectSilence(Duration.ofMillis(1000));
            assertThat(device.pingsAnswered()).isGreaterThanOrEqualTo(4);
            assertThat(device.isClosed()).isFalse();
            assertThat(fixtures.deviceView(credentials.path("deviceId").asString()).path("online").asBoolean())
                    .isTrue();
        }
    }

    @Test
    void deviceThatStopsAnsweringPingsIsDroppedWith4408ConnectionLost() {
        try (TestDevice device = fixtures.online(LinkedFixtures.newNumber())) {
            device.answerPings(false);
            JsonNode ping = device.expect("ping");
            assertThat(ping.path("id").asString()).isNotBlank();
            long pinged = System.nanoTime();
            JsonNode disconnect = device.expectDisconnect(408);
            assertThat(disconnect.path("reason").asString()).isEqualTo("connection lost");
            assertThat(Duration.ofNanos(System.nanoTime() - pinged)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        }
    }

    @Test
    void pongWithAnotherIdDoesNotCountAsAnAnswer() {
        try (TestDevice device = fixtures.online(LinkedFixtures.newNumber())) {
            device.answerPings(false);
            device.expect("ping");
            device.send(Map.of("type", "pong", "id", "not-the-ping"));
            device.expectDisconnect(408);
        }
    }

    @Test
    void pairingConnectionThatStopsAnsweringPingsIsDroppedToo() {
        try (TestDevice device = fixtures.pairingDevice()) {
            device.answerPings(false);
            device.expect("qr");
            device.expect("ping");
            device.expectDisconnect(408);
        }
    }

    @Test
    void devicePingIsAnsweredWithAPongOfTheSameId() {
        try (TestDevice device = fixtures.online(LinkedFixtures.newNumber())) {
            device.send(Map.of("type", "ping", "id", "device-7"));
            assertThat(device.expect("pong").path("id").asString()).isEqualTo("device-7");
        }
    }
}
