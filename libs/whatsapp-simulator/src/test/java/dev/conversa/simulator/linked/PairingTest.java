package dev.conversa.simulator.linked;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import dev.conversa.simulator.WhatsAppSimulatorExtension;
import dev.conversa.simulator.ban.BanModel;
import tools.jackson.databind.JsonNode;

class PairingTest {

    @RegisterExtension
    static final WhatsAppSimulatorExtension SIMULATOR = new WhatsAppSimulatorExtension()
            .withProperty("simulator.linked.tick", "10ms")
            .withProperty("simulator.linked.qr-first-ttl", "30s");

    private LinkedFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new LinkedFixtures(SIMULATOR.simulator());
    }

    @Test
    void qrScanPairsTheDeviceWhichReconnectsWithItsCredentialsAndOpensWithThePhoneNumber() {
        String number = LinkedFixtures.newNumber();
        JsonNode credentials;
        try (TestDevice device = fixtures.pairingDevice()) {
            JsonNode qr = device.expect("qr");
            assertThat(qr.path("ref").asString()).startsWith("2@");
            assertThat(qr.path("attempt").asInt()).isEqualTo(1);
            assertThat(qr.path("ttlSeconds").asInt()).isEqualTo(30);

            JsonNode view = fixtures.json(fixtures.scan(qr.path("ref").asString(), number, "Tienda Sol"),
                    HttpStatus.CREATED);
            assertThat(view.path("phoneNumber").asString()).isEqualTo(number);
            assertThat(view.path("online").asBoolean()).isFalse();

            JsonNode success = device.expect("pair-success");
            credentials = success.path("credentials");
            assertThat(credentials.path("deviceId").asString()).isEqualTo(view.path("deviceId").asString());
            assertThat(credentials.path("secret").asString()).hasSizeGreaterThan(20);
            assertThat(success.path("phoneNumber").asString()).isEqualTo(number);
            assertThat(success.path("pushName").asString()).isEqualTo("Tienda Sol");
            JsonNode disconnect = device.expectDisconnect(515);
            assertThat(disconnect.path("reason").asString()).isEqualTo("restart required");
        }
        try (TestDevice device = fixtures.reconnect(credentials)) {
            JsonNode open = device.expect("open");
            assertThat(open.path("deviceId").asString()).isEqualTo(credentials.path("deviceId").asString());
            assertThat(open.path("phoneNumber").asString()).isEqualTo(number);
            assertThat(open.path("pushName").asString()).isEqualTo("Tienda Sol");
            assertThat(open.path("pending").asInt()).isZero();
            JsonNode view = fixtures.deviceView(credentials.path("deviceId").asString());
            assertThat(view.path("online").asBoolean()).isTrue();
            assertThat(view.path("connectedAt").isString()).isTrue();
            assertThat(view.path("client").asString()).isEqualTo("test-device/1");
        }
    }

    @Test
    void pairingCodeTypedOnThePhonePairsTheDevice() {
        String number = LinkedFixtures.newNumber();
        JsonNode credentials;
        try (TestDevice device = fixtures.pairingDevice()) {
            device.expect("qr");
            device.send(Map.of("type", "pairing-code.request", "phoneNumber", number));
            JsonNode code = device.expect("pairing-code");
            assertThat(code.path("code").asString()).matches("[0-9A-HJKMNP-TV-Z]{8}");
            assertThat(code.path("phoneNumber").asString()).isEqualTo(number);
            assertThat(code.path("expiresAt").isString()).isTrue();

            JsonNode pending = fixtures.json(fixtures.http().get().uri("/sim/linked/pending").exchange(),
                    HttpStatus.OK);
            assertThat(pending.findValues("code")).extracting(JsonNode::asString)
                    .contains(code.path("code").asString());

            String typed = code.path("code").asString().substring(0, 4) + "-"
                    + code.path("code").asString().substring(4).toLowerCase();
            fixtures.enterCode(number, typed).expectStatus().isCreated();
            JsonNode success = device.expect("pair-success");
            assertThat(success.path("phoneNumber").asString()).isEqualTo(number);
            credentials = success.path("credentials");
            device.expectDisconnect(515);
        }
        try (TestDevice device = fixtures.reconnect(credentials)) {
            assertThat(device.expect("open").path("phoneNumber").asString()).isEqualTo(number);
        }
    }

    @Test
    void pairingCodeRequestOfAnOpenDeviceIsRefusedWith428() {
        try (TestDevice device = fixtures.online(LinkedFixtures.newNumber())) {
            device.send(Map.of("type", "pairing-code.request", "phoneNumber", LinkedFixtures.newNumber()));
            JsonNode error = device.expect("error");
            assertThat(error.path("code").asInt()).isEqualTo(428);
            assertThat(error.path("reason").asString()).isEqualTo("Connection Closed");
        }
    }

    @Test
    void pairingCodeRequestWithAPlusSignIsRefusedWith400() {
        try (TestDevice device = fixtures.pairingDevice()) {
            device.expect("qr");
            device.send(Map.of("type", "pairing-code.request", "phoneNumber", "+" + LinkedFixtures.newNumber()));
            assertThat(device.expect("error").path("code").asInt()).isEqualTo(400);
        }
    }

    @Test
    void unknownPairingCodeAnswers404AndACodeForAnotherNumber409() {
        String number = LinkedFixtures.newNumber();
        try (TestDevice device = fixtures.pairingDevice()) {
            device.expect("qr");
            device.send(Map.of("type", "pairing-code.request", "phoneNumber", number));
            String code = device.expect("pairing-code").path("code").asString();

            JsonNode unknown = fixtures.json(fixtures.enterCode(number, "ZZZZZZZZ".equals(code) ? "YYYYYYYY"
                    : "ZZZZZZZZ"), HttpStatus.NOT_FOUND);
            assertThat(unknown.path("status").asInt()).isEqualTo(404);
            assertThat(unknown.path("detail").asString()).contains("No connection waits");

            JsonNode other = fixtures.json(fixtures.enterCode(LinkedFixtures.newNumber(), code),
                    HttpStatus.CONFLICT);
            assertThat(other.path("detail").asString()).contains("another number");
            device.expectSilence(java.time.Duration.ofMillis(100));
        }
    }

    @Test
    void scanOfUnknownRefAnswers404ProblemDetail() {
        fixtures.scan("2@unknown", LinkedFixtures.newNumber(), "x")
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.instance").isEqualTo("/sim/linked/scan");
    }

    @Test
    void scanByABannedNumberAnswers403AndLeavesTheQrValid() {
        String banned = LinkedFixtures.newNumber();
        fixtures.bean(BanModel.class).ban(banned, "test");
        try (TestDevice device = fixtures.pairingDevice()) {
            String ref = device.expect("qr").path("ref").asString();
            fixtures.scan(ref, banned, "x").expectStatus().isForbidden();
            fixtures.scan(ref, LinkedFixtures.newNumber(), "y").expectStatus().isCreated();
            device.expect("pair-success");
        }
    }

    @Test
    void storedCredentialsOpenDirectlyWithoutQrOnEveryReconnect() {
        String number = LinkedFixtures.newNumber();
        JsonNode credentials = fixtures.pair(number);
        for (int i = 0; i < 3; i++) {
            try (TestDevice device = fixtures.reconnect(credentials)) {
                assertThat(device.expect("open").path("phoneNumber").asString()).isEqualTo(number);
                device.send(Map.of("type", "logout-not-a-frame"));
                assertThat(device.expect("error").path("code").asInt()).isEqualTo(400);
            }
        }
    }

    @Test
    void secondConnectionWithTheSameDeviceClosesTheOlderWith440() {
        JsonNode credentials = fixtures.pair(LinkedFixtures.newNumber());
        try (TestDevice first = fixtures.reconnect(credentials)) {
            first.expect("open");
            try (TestDevice second = fixtures.reconnect(credentials)) {
                second.expect("open");
                JsonNode disconnect = first.expectDisconnect(440);
                assertThat(disconnect.path("reason").asString()).isEqualTo("connection replaced");
                assertThat(fixtures.deviceView(credentials.path("deviceId").asString()).path("online").asBoolean())
                        .isTrue();
                second.expectSilence(java.time.Duration.ofMillis(100));
            }
        }
    }

    @Test
    void helloWithUnknownCredentialsClosesWith4401() {
        try (TestDevice device = fixtures.reconnect(JsonNodeFactory.credentials("dev-nobody", "secret"))) {
            device.expectDisconnect(401);
        }
    }

    @Test
    void helloWithTheWrongSecretClosesWith4401() {
        JsonNode credentials = fixtures.pair(LinkedFixtures.newNumber());
        try (TestDevice device = fixtures.reconnect(
                JsonNodeFactory.credentials(credentials.path("deviceId").asString(), "wrong"))) {
            device.expectDisconnect(401);
        }
    }

    @Test
    void pendingListsAWaitingConnectionWithItsCurrentRef() {
        try (TestDevice device = fixtures.pairingDevice()) {
            String ref = device.expect("qr").path("ref").asString();
            JsonNode pending = fixtures.json(fixtures.http().get().uri("/sim/linked/pending").exchange(),
                    HttpStatus.OK);
            JsonNode entry = null;
            for (JsonNode candidate : pending) {
                if (ref.equals(candidate.path("ref").asString())) {
                    entry = candidate;
                }
            }
            assertThat(entry).as("pending entry with ref %s in %s", ref, pending).isNotNull();
            assertThat(entry.path("connectionId").asString()).startsWith("conn-");
            assertThat(entry.path("attempt").asInt()).isEqualTo(1);
        }
    }
}
