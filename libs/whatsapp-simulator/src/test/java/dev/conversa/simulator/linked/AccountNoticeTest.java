package dev.conversa.simulator.linked;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.conversa.simulator.WhatsAppSimulatorExtension;
import dev.conversa.simulator.ban.BanModel;
import tools.jackson.databind.JsonNode;

class AccountNoticeTest {

    @RegisterExtension
    static final WhatsAppSimulatorExtension SIMULATOR = new WhatsAppSimulatorExtension()
            .withProperty("simulator.linked.tick", "10ms")
            .withProperty("simulator.ban.max-per-minute", "3")
            .withProperty("simulator.ban.grace-after-warning", "1h");

    private LinkedFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new LinkedFixtures(SIMULATOR.simulator());
    }

    @Test
    void banWarningReachesTheLiveDeviceAsANoticeFrame() {
        String customer = LinkedFixtures.newNumber();
        try (TestDevice device = fixtures.online(LinkedFixtures.newNumber())) {
            for (int i = 1; i <= 4; i++) {
                device.send(Map.of("type", "send", "clientRef", "burst-" + i, "to", customer,
                        "message", Map.of("type", "text", "text", "oferta " + i)));
            }
            JsonNode notice = device.skipUntil("notice").getLast();
            assertThat(notice.path("kind").asString()).isEqualTo("warning");
            assertThat(notice.path("reason").asString()).contains("faster than 3");
            assertThat(device.isClosed()).isFalse();
        }
    }

    @Test
    void banClosesEveryLiveDeviceOfTheNumberWith4403() {
        String number = LinkedFixtures.newNumber();
        try (TestDevice first = fixtures.online(number); TestDevice second = fixtures.online(number)) {
            fixtures.bean(BanModel.class).ban(number, "reported as spam");
            assertThat(first.expectDisconnect(403).path("reason").asString()).isEqualTo("reported as spam");
            assertThat(second.expectDisconnect(403).path("reason").asString()).isEqualTo("reported as spam");
        }
    }

    @Test
    void banOfAnotherNumberLeavesTheDeviceAlone() {
        try (TestDevice device = fixtures.online(LinkedFixtures.newNumber())) {
            fixtures.bean(BanModel.class).ban(LinkedFixtures.newNumber(), "someone else");
            device.expectSilence(java.time.Duration.ofMillis(200));
            assertThat(device.isClosed()).isFalse();
        }
    }
}
