package dev.conversa.simulator.linked;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpStatus;

import dev.conversa.simulator.WhatsAppSimulatorExtension;
import dev.conversa.simulator.ban.BanModel;
import tools.jackson.databind.JsonNode;

class DisconnectTest {

    @RegisterExtension
    static final WhatsAppSimulatorExtension SIMULATOR = new WhatsAppSimulatorExtension()
            .withProperty("simulator.linked.tick", "10ms");

    private LinkedFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new LinkedFixtures(SIMULATOR.simulator());
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 428, 440, 500, 503, 515})
    void controlDisconnectClosesWith4000PlusTheCodeAndTheDeviceMayReconnect(int code) {
        String number = LinkedFixtures.newNumber();
        JsonNode credentials = fixtures.pair(number);
        String deviceId = credentials.path("deviceId").asString();
        try (TestDevice device = fixtures.reconnect(credentials)) {
            device.expect("open");
            JsonNode view = fixtures.json(fixtures.disconnect(deviceId, code, "test " + code), HttpStatus.OK);
            assertThat(view.path("online").asBoolean()).isFalse();
            JsonNode disconnect = device.expectDisconnect(code);
            assertThat(disconnect.path("reason").asString()).isEqualTo("test " + code);
            assertThat(device.closeStatus().reasonText()).isEqualTo("test " + code);
        }
        try (TestDevice device = fixtures.reconnect(credentials)) {
            assertThat(device.expect("open").path("phoneNumber").asString()).isEqualTo(number);
        }
    }

    @Test
    void disconnectWithoutReasonUsesTheCodesDefaultReason() {
        JsonNode credentials = fixtures.pair(LinkedFixtures.newNumber());
        try (TestDevice device = fixtures.reconnect(credentials)) {
            device.expect("open");
            fixtures.http().post().uri("/sim/linked/devices/{id}/disconnect", credentials.path("deviceId").asString())
                    .bodyValue(Map.of("code", 503)).exchange().expectStatus().isOk();
            assertThat(device.expectDisconnect(503).path("reason").asString()).isEqualTo("service unavailable");
        }
    }

    @Test
    void loggedOut401RevokesTheCredentialsSoTheReconnectIsClosedWith4401() {
        String number = LinkedFixtures.newNumber();
        JsonNode credentials = fixtures.pair(number);
        String deviceId = credentials.path("deviceId").asString();
        try (TestDevice device = fixtures.reconnect(credentials)) {
            device.expect("open");
            JsonNode view = fixtures.json(fixtures.disconnect(deviceId, 401, "unlinked on the phone"), HttpStatus.OK);
            assertThat(view.path("revoked").asBoolean()).isTrue();
            assertThat(device.expectDisconnect(401).path("reason").asString()).isEqualTo("unlinked on the phone");
        }
        try (TestDevice device = fixtures.reconnect(credentials)) {
            device.expectDisconnect(401);
        }
        assertThat(fixtures.bean(LinkedInboundChannel.class).serves(number)).isFalse();
    }

    @Test
    void loggedOut401OfAnOfflineDeviceStillRevokesIt() {
        JsonNode credentials = fixtures.pair(LinkedFixtures.newNumber());
        fixtures.disconnect(credentials.path("deviceId").asString(), 401, "unlinked").expectStatus().isOk();
        try (TestDevice device = fixtures.reconnect(credentials)) {
            device.expectDisconnect(401);
        }
    }

    @Test
    void forbidden403BansTheNumberSoTheReconnectIsClosedWith4403() {
        String number = LinkedFixtures.newNumber();
        JsonNode credentials = fixtures.pair(number);
        try (TestDevice device = fixtures.reconnect(credentials)) {
            device.expect("open");
            fixtures.disconnect(credentials.path("deviceId").asString(), 403, "spam reports").expectStatus().isOk();
            assertThat(device.expectDisconnect(403).path("reason").asString()).isEqualTo("spam reports");
        }
        assertThat(fixtures.bean(BanModel.class).isBanned(number)).isTrue();
        try (TestDevice device = fixtures.reconnect(credentials)) {
            device.expectDisconnect(403);
        }
    }

    @Test
    void logoutFrameRevokesTheCredentialsAndClosesWith4401() {
        JsonNode credentials = fixtures.pair(LinkedFixtures.newNumber());
        try (TestDevice device = fixtures.reconnect(credentials)) {
            device.expect("open");
            device.send(Map.of("type", "logout"));
            device.expectDisconnect(401);
        }
        assertThat(fixtures.deviceView(credentials.path("deviceId").asString()).path("revoked").asBoolean()).isTrue();
        try (TestDevice device = fixtures.reconnect(credentials)) {
            device.expectDisconnect(401);
        }
    }

    @Test
    void disconnectOfAnUnknownDeviceAnswers404() {
        JsonNode problem = fixtures.json(fixtures.disconnect("dev-nobody", 408, "x"), HttpStatus.NOT_FOUND);
        assertThat(problem.path("detail").asString()).contains("dev-nobody");
        fixtures.http().get().uri("/sim/linked/devices/dev-nobody").exchange().expectStatus().isNotFound();
    }

    @Test
    void disconnectWithACodeOutsideTheProtocolAnswers400() {
        JsonNode credentials = fixtures.pair(LinkedFixtures.newNumber());
        String deviceId = credentials.path("deviceId").asString();
        fixtures.disconnect(deviceId, 999, "x").expectStatus().isBadRequest();
        fixtures.disconnect(deviceId, 411, "x").expectStatus().isBadRequest();
        fixtures.http().post().uri("/sim/linked/devices/{id}/disconnect", deviceId).bodyValue(Map.of())
                .exchange().expectStatus().isBadRequest();
    }

    @Test
    void transientDisconnectOfAnOfflineDeviceAnswers409() {
        JsonNode credentials = fixtures.pair(LinkedFixtures.newNumber());
        fixtures.disconnect(credentials.path("deviceId").asString(), 408, "x").expectStatus()
                .isEqualTo(HttpStatus.CONFLICT);
    }

    @Test
    void devicesListsEveryLinkedDevice() {
        String deviceId = fixtures.pair(LinkedFixtures.newNumber()).path("deviceId").asString();
        JsonNode devices = fixtures.json(fixtures.http().get().uri("/sim/linked/devices").exchange(), HttpStatus.OK);
        assertThat(devices.findValues("deviceId")).extracting(JsonNode::asString).contains(deviceId);
    }
}
