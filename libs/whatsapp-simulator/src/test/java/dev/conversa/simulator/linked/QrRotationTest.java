package dev.conversa.simulator.linked;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.conversa.simulator.WhatsAppSimulatorExtension;
import tools.jackson.databind.JsonNode;

class QrRotationTest {

    @RegisterExtension
    static final WhatsAppSimulatorExtension SIMULATOR = new WhatsAppSimulatorExtension()
            .withProperty("simulator.linked.tick", "10ms")
            .withProperty("simulator.linked.qr-first-delay", "300ms")
            .withProperty("simulator.linked.qr-first-ttl", "400ms")
            .withProperty("simulator.linked.qr-next-ttl", "150ms")
            .withProperty("simulator.linked.qr-refs", "6");

    private LinkedFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new LinkedFixtures(SIMULATOR.simulator());
    }

    @Test
    void sixQrRefsAreShownThenTheConnectionClosesWith4408QrRefsAttemptsEnded() {
        long started = System.nanoTime();
        try (TestDevice device = fixtures.pairingDevice()) {
            Set<String> refs = new HashSet<>();
            Instant previousExpiry = null;
            for (int attempt = 1; attempt <= 6; attempt++) {
                JsonNode qr = device.expect("qr");
                assertThat(qr.path("attempt").asInt()).isEqualTo(attempt);
                assertThat(qr.path("ttlSeconds").asInt()).isEqualTo(1);
                refs.add(qr.path("ref").asString());
                Instant expiresAt = Instant.parse(qr.path("expiresAt").asString());
                if (previousExpiry != null) {
                    assertThat(Duration.between(previousExpiry, expiresAt)).isEqualTo(Duration.ofMillis(150));
                }
                previousExpiry = expiresAt;
            }
            assertThat(refs).hasSize(6);
            JsonNode disconnect = device.expectDisconnect(408);
            assertThat(disconnect.path("reason").asString()).isEqualTo("QR refs attempts ended");
            assertThat(device.closeStatus().reasonText()).isEqualTo("QR refs attempts ended");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isGreaterThanOrEqualTo(Duration.ofMillis(300 + 400 + 5 * 150));
    }

    @Test
    void pairingCodeRequestedBeforeTheFirstQrIsRefusedWith428() {
        try (TestDevice device = fixtures.pairingDevice()) {
            device.send(Map.of("type", "pairing-code.request", "phoneNumber", LinkedFixtures.newNumber()));
            JsonNode error = device.expect("error");
            assertThat(error.path("code").asInt()).isEqualTo(428);
            assertThat(error.path("reason").asString()).isEqualTo("Connection Closed");
            assertThat(device.expect("qr").path("attempt").asInt()).isEqualTo(1);
        }
    }

    @Test
    void scanOfARefThatWasReplacedAnswers404() {
        try (TestDevice device = fixtures.pairingDevice()) {
            String first = device.expect("qr").path("ref").asString();
            String second = device.expect("qr").path("ref").asString();
            fixtures.scan(first, LinkedFixtures.newNumber(), "x").expectStatus().isNotFound();
            assertThat(second).isNotEqualTo(first);
        }
    }

    @Test
    void pairingCodeExpiresWithTheLastQrRef() {
        String number = LinkedFixtures.newNumber();
        try (TestDevice device = fixtures.pairingDevice()) {
            device.expect("qr");
            device.send(Map.of("type", "pairing-code.request", "phoneNumber", number));
            JsonNode code = device.skipUntil("pairing-code").getLast();
            Instant expiresAt = Instant.parse(code.path("expiresAt").asString());
            java.util.List<JsonNode> untilClose = device.skipUntil("disconnect");
            JsonNode lastQr = untilClose.get(untilClose.size() - 2);
            assertThat(lastQr.path("attempt").asInt()).isEqualTo(6);
            assertThat(Instant.parse(lastQr.path("expiresAt").asString())).isEqualTo(expiresAt);
            assertThat(Instant.now()).isAfterOrEqualTo(expiresAt);
            fixtures.enterCode(number, code.path("code").asString()).expectStatus().isNotFound();
        }
    }
}
