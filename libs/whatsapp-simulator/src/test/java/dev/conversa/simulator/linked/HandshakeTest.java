package dev.conversa.simulator.linked;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.conversa.simulator.WhatsAppSimulatorExtension;
import tools.jackson.databind.JsonNode;

class HandshakeTest {

    @RegisterExtension
    static final WhatsAppSimulatorExtension SIMULATOR = new WhatsAppSimulatorExtension()
            .withProperty("simulator.linked.tick", "10ms")
            .withProperty("simulator.linked.hello-timeout", "300ms");

    private LinkedFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new LinkedFixtures(SIMULATOR.simulator());
    }

    @Test
    void connectionThatNeverSaysHelloIsClosedWith4428AfterTheHelloTimeout() {
        long started = System.nanoTime();
        try (TestDevice device = fixtures.connect()) {
            JsonNode disconnect = device.expectDisconnect(428);
            assertThat(disconnect.path("reason").asString()).isEqualTo("hello timeout");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void firstFrameOtherThanHelloClosesWith4428() {
        try (TestDevice device = fixtures.connect()) {
            device.send(Map.of("type", "ping", "id", "1"));
            assertThat(device.expectDisconnect(428).path("reason").asString()).isEqualTo("hello expected");
        }
    }

    @Test
    void malformedFirstFrameClosesWith4428() {
        try (TestDevice device = fixtures.connect()) {
            device.send("{not json");
            device.expectDisconnect(428);
        }
    }

    @Test
    void helloWithAnUnknownProtocolVersionClosesWith4500() {
        try (TestDevice device = fixtures.connect()) {
            device.send(Map.of("type", "hello", "protocol", 2, "client", "future/9"));
            assertThat(device.expectDisconnect(500).path("reason").asString()).isEqualTo("unsupported protocol");
        }
    }

    @Test
    void secondHelloIsAnsweredWithError400AndTheConnectionStays() {
        try (TestDevice device = fixtures.pairingDevice()) {
            device.expect("qr");
            device.send(Map.of("type", "hello", "protocol", 1));
            assertThat(device.expect("error").path("code").asInt()).isEqualTo(400);
            device.send(Map.of("type", "ping", "id", "still-there"));
            assertThat(device.expect("pong").path("id").asString()).isEqualTo("still-there");
        }
    }

    @Test
    void unknownFrameTypeAfterHelloIsAnsweredWithError400() {
        try (TestDevice device = fixtures.pairingDevice()) {
            device.expect("qr");
            device.send(Map.of("type", "typing", "to", "5491100000000"));
            JsonNode error = device.expect("error");
            assertThat(error.path("code").asInt()).isEqualTo(400);
            assertThat(error.path("reason").asString()).contains("typing");
        }
    }
}
