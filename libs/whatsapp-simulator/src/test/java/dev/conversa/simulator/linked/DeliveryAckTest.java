package dev.conversa.simulator.linked;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.HttpStatus;

import dev.conversa.simulator.WhatsAppSimulatorExtension;
import dev.conversa.simulator.core.InboundMessage;
import tools.jackson.databind.JsonNode;

/** {@code deliveryId} and {@code delivery.ack}: frames a device did not acknowledge are delivered again. */
class DeliveryAckTest {

    @RegisterExtension
    static final WhatsAppSimulatorExtension SIMULATOR = new WhatsAppSimulatorExtension()
            .withProperty("simulator.linked.tick", "10ms")
            .withProperty("simulator.linked.offline-queue-capacity", "5")
            .withProperty("simulator.receipts.delivered-after", "100ms")
            .withProperty("simulator.receipts.read-after", "250ms");

    private static final TestDevice.Acks MANUAL = TestDevice.Acks.MANUAL;

    private LinkedFixtures fixtures;
    private final String business = LinkedFixtures.newNumber();
    private final String customer = LinkedFixtures.newNumber();

    @BeforeEach
    void fixtures() {
        fixtures = new LinkedFixtures(SIMULATOR.simulator());
    }

    @Test
    void messageWhoseConnectionDropsBeforeItsAckIsRedeliveredWithTheSameDeliveryIdAheadOfLaterMessages() {
        JsonNode credentials = fixtures.pair(business);
        String deviceId = credentials.path("deviceId").asString();
        String first;
        InboundMessage before = fixtures.text(customer, business, "antes del corte");
        try (TestDevice device = fixtures.online(credentials, MANUAL)) {
            fixtures.deliver(before);
            JsonNode frame = device.expect("message");
            assertThat(frame.path("deliveryId").asString()).isEqualTo(before.waMessageId());
            first = device.text(frame);
            fixtures.disconnect(deviceId, 428, "network flap").expectStatus().isOk();
            device.expectDisconnect(428);
        }
        InboundMessage away = fixtures.text(customer, business, "mientras no estabas");
        fixtures.deliver(away);
        JsonNode view = fixtures.deviceView(deviceId);
        assertThat(view.path("queued").asInt()).isEqualTo(2);
        assertThat(view.path("unacknowledged").asInt()).isZero();

        try (TestDevice device = fixtures.reconnect(credentials, MANUAL)) {
            assertThat(device.expect("open").path("pending").asInt()).isEqualTo(2);
            JsonNode again = device.expect("message");
            assertThat(device.text(again)).isEqualTo(first);
            assertThat(device.expect("message").path("deliveryId").asString()).isEqualTo(away.waMessageId());
            device.sync();
            view = fixtures.deviceView(deviceId);
            assertThat(view.path("redelivered").asLong()).isEqualTo(1);
            assertThat(view.path("unacknowledged").asInt()).isEqualTo(2);
            assertThat(view.path("queued").asInt()).isZero();
        }
    }

    @Test
    void messageOnASocketThatDiesWithoutACloseIsRedeliveredAfterReconnect() {
        JsonNode credentials = fixtures.pair(business);
        InboundMessage message = fixtures.text(customer, business, "hola");
        try (TestDevice device = fixtures.online(credentials, MANUAL)) {
            fixtures.deliver(message);
            device.expect("message");
            device.cut();
            device.closeStatus();
        }
        awaitOffline(credentials);
        try (TestDevice device = fixtures.reconnect(credentials, MANUAL)) {
            assertThat(device.expect("open").path("pending").asInt()).isEqualTo(1);
            assertThat(device.expect("message").path("deliveryId").asString()).isEqualTo(message.waMessageId());
        }
    }

    @Test
    void acknowledgedMessageIsNotRedelivered() {
        JsonNode credentials = fixtures.pair(business);
        String deviceId = credentials.path("deviceId").asString();
        try (TestDevice device = fixtures.online(credentials, MANUAL)) {
            fixtures.deliver(fixtures.text(customer, business, "guardado"));
            device.ack(device.expect("message").path("deliveryId").asString());
            device.sync();
            assertThat(fixtures.deviceView(deviceId).path("unacknowledged").asInt()).isZero();
            fixtures.disconnect(deviceId, 428, "network flap").expectStatus().isOk();
            device.expectDisconnect(428);
        }
        try (TestDevice device = fixtures.reconnect(credentials, MANUAL)) {
            assertThat(device.expect("open").path("pending").asInt()).isZero();
            fixtures.deliver(fixtures.text(customer, business, "nuevo"));
            assertThat(device.expect("message").path("text").asString()).isEqualTo("nuevo");
        }
        assertThat(fixtures.deviceView(deviceId).path("redelivered").asLong()).isZero();
    }

    @Test
    void automaticAcksOfTheTestDeviceLeaveNothingToRedeliver() {
        JsonNode credentials = fixtures.pair(business);
        String deviceId = credentials.path("deviceId").asString();
        try (TestDevice device = fixtures.online(credentials, TestDevice.Acks.AUTO)) {
            fixtures.deliver(fixtures.text(customer, business, "uno"));
            fixtures.deliver(fixtures.text(customer, business, "dos"));
            device.expect("message");
            device.expect("message");
            device.sync();
            assertThat(fixtures.deviceView(deviceId).path("unacknowledged").asInt()).isZero();
        }
    }

    @Test
    void partialAcksRedeliverOnlyTheUnacknowledgedMessagesInTheirOrder() {
        JsonNode credentials = fixtures.pair(business);
        String deviceId = credentials.path("deviceId").asString();
        List<String> ids = new ArrayList<>();
        try (TestDevice device = fixtures.online(credentials, MANUAL)) {
            for (int i = 1; i <= 4; i++) {
                fixtures.deliver(fixtures.text(customer, business, "m" + i));
                ids.add(device.expect("message").path("deliveryId").asString());
            }
            device.ack(ids.get(3), ids.get(1));
            device.sync();
            assertThat(fixtures.deviceView(deviceId).path("unacknowledged").asInt()).isEqualTo(2);
            fixtures.disconnect(deviceId, 408, "network flap").expectStatus().isOk();
            device.expectDisconnect(408);
        }
        try (TestDevice device = fixtures.reconnect(credentials, MANUAL)) {
            assertThat(device.expect("open").path("pending").asInt()).isEqualTo(2);
            assertThat(device.expect("message").path("deliveryId").asString()).isEqualTo(ids.get(0));
            assertThat(device.expect("message").path("deliveryId").asString()).isEqualTo(ids.get(2));
            fixtures.deliver(fixtures.text(customer, business, "m5"));
            assertThat(device.expect("message").path("text").asString()).isEqualTo("m5");
        }
        assertThat(fixtures.deviceView(deviceId).path("redelivered").asLong()).isEqualTo(2);
    }

    @Test
    void receiptNotAcknowledgedIsRedeliveredAfterReconnectLikeAMessage() {
        JsonNode credentials = fixtures.pair(business);
        String deviceId = credentials.path("deviceId").asString();
        List<String> unacknowledged = new ArrayList<>();
        try (TestDevice device = fixtures.online(credentials, MANUAL)) {
            device.send(Map.of("type", "send", "clientRef", "key-1", "to", customer,
                    "message", Map.of("type", "text", "text", "hola")));
            JsonNode ack = device.expect("ack");
            assertThat(ack.has("deliveryId")).isFalse();
            String waMessageId = ack.path("waMessageId").asString();
            JsonNode sent = device.expect("receipt");
            assertThat(sent.path("deliveryId").asString()).isEqualTo(waMessageId + ":sent");
            device.ack(sent.path("deliveryId").asString());
            for (String status : List.of("delivered", "read")) {
                JsonNode receipt = device.expect("receipt");
                assertThat(receipt.path("deliveryId").asString()).isEqualTo(waMessageId + ":" + status);
                unacknowledged.add(device.text(receipt));
            }
            device.sync();
            assertThat(fixtures.deviceView(deviceId).path("unacknowledged").asInt()).isEqualTo(2);
            fixtures.disconnect(deviceId, 503, "maintenance").expectStatus().isOk();
            device.expectDisconnect(503);
        }
        try (TestDevice device = fixtures.reconnect(credentials, MANUAL)) {
            assertThat(device.expect("open").path("pending").asInt()).isEqualTo(2);
            assertThat(device.text(device.expect("receipt"))).isEqualTo(unacknowledged.get(0));
            assertThat(device.text(device.expect("receipt"))).isEqualTo(unacknowledged.get(1));
            device.expectSilence(Duration.ofMillis(200));
        }
    }

    @Test
    void duplicateAndUnknownAcksAreIgnoredAndTheConnectionStaysOpen() {
        JsonNode credentials = fixtures.pair(business);
        String deviceId = credentials.path("deviceId").asString();
        String second;
        try (TestDevice device = fixtures.online(credentials, MANUAL)) {
            fixtures.deliver(fixtures.text(customer, business, "uno"));
            fixtures.deliver(fixtures.text(customer, business, "dos"));
            String first = device.expect("message").path("deliveryId").asString();
            second = device.expect("message").path("deliveryId").asString();
            device.ack(first);
            device.ack(first);
            device.ack("wamid.unknown", first, "wamid.unknown:read");
            device.sync();
            assertThat(device.isClosed()).isFalse();
            assertThat(fixtures.deviceView(deviceId).path("unacknowledged").asInt()).isEqualTo(1);
            fixtures.disconnect(deviceId, 428, "network flap").expectStatus().isOk();
            device.expectDisconnect(428);
        }
        try (TestDevice device = fixtures.reconnect(credentials, MANUAL)) {
            assertThat(device.expect("open").path("pending").asInt()).isEqualTo(1);
            assertThat(device.expect("message").path("deliveryId").asString()).isEqualTo(second);
        }
    }

    @Test
    void deliveryAckWithMoreThan1000IdsIsAnsweredWithError400AndAcknowledgesNothing() {
        JsonNode credentials = fixtures.pair(business);
        String deviceId = credentials.path("deviceId").asString();
        try (TestDevice device = fixtures.online(credentials, MANUAL)) {
            fixtures.deliver(fixtures.text(customer, business, "hola"));
            String id = device.expect("message").path("deliveryId").asString();
            List<String> tooMany = new ArrayList<>(IntStream.range(0, 1000).mapToObj(i -> "wamid.x" + i).toList());
            tooMany.add(id);
            device.ack(tooMany);
            JsonNode error = device.expect("error");
            assertThat(error.path("code").asInt()).isEqualTo(400);
            assertThat(error.path("reason").asString()).contains("1000");
            device.ack(List.of());
            assertThat(device.expect("error").path("code").asInt()).isEqualTo(400);
            device.sync();
            assertThat(fixtures.deviceView(deviceId).path("unacknowledged").asInt()).isEqualTo(1);

            List<String> exactly1000 = new ArrayList<>(tooMany.subList(1, 1001));
            device.ack(exactly1000);
            device.sync();
            assertThat(device.isClosed()).isFalse();
            assertThat(fixtures.deviceView(deviceId).path("unacknowledged").asInt()).isZero();
        }
    }

    @Test
    void unacknowledgedFramesCountTowardsTheCapacityAndTheOldestIsDroppedAndCounted() {
        JsonNode credentials = fixtures.pair(business);
        String deviceId = credentials.path("deviceId").asString();
        try (TestDevice device = fixtures.online(credentials, MANUAL)) {
            for (int i = 1; i <= 6; i++) {
                fixtures.deliver(fixtures.text(customer, business, "m" + i));
                device.expect("message");
            }
            JsonNode view = fixtures.deviceView(deviceId);
            assertThat(view.path("unacknowledged").asInt()).isEqualTo(5);
            assertThat(view.path("queueDropped").asLong()).isEqualTo(1);
            fixtures.disconnect(deviceId, 428, "network flap").expectStatus().isOk();
            device.expectDisconnect(428);
        }
        fixtures.deliver(fixtures.text(customer, business, "m7"));
        JsonNode view = fixtures.deviceView(deviceId);
        assertThat(view.path("queued").asInt()).isEqualTo(5);
        assertThat(view.path("unacknowledged").asInt()).isZero();
        assertThat(view.path("queueDropped").asLong()).isEqualTo(2);
        try (TestDevice device = fixtures.reconnect(credentials, MANUAL)) {
            assertThat(device.expect("open").path("pending").asInt()).isEqualTo(5);
            for (int i = 3; i <= 7; i++) {
                assertThat(device.expect("message").path("text").asString()).isEqualTo("m" + i);
            }
        }
        assertThat(fixtures.deviceView(deviceId).path("redelivered").asLong()).isEqualTo(4);
    }

    @Test
    void replacement440MovesTheOldConnectionsUnacknowledgedFramesToTheNewConnection() {
        JsonNode credentials = fixtures.pair(business);
        String deviceId = credentials.path("deviceId").asString();
        try (TestDevice old = fixtures.online(credentials, MANUAL)) {
            fixtures.deliver(fixtures.text(customer, business, "leído"));
            fixtures.deliver(fixtures.text(customer, business, "sin confirmar"));
            old.ack(old.expect("message").path("deliveryId").asString());
            JsonNode pending = old.expect("message");
            old.sync();
            try (TestDevice replacement = fixtures.reconnect(credentials, MANUAL)) {
                assertThat(old.expectDisconnect(440).path("reason").asString()).isEqualTo("connection replaced");
                assertThat(replacement.expect("open").path("pending").asInt()).isEqualTo(1);
                JsonNode again = replacement.expect("message");
                assertThat(replacement.text(again)).isEqualTo(old.text(pending));
                replacement.sync();
                JsonNode view = fixtures.deviceView(deviceId);
                assertThat(view.path("online").asBoolean()).isTrue();
                assertThat(view.path("unacknowledged").asInt()).isEqualTo(1);
                assertThat(view.path("redelivered").asLong()).isEqualTo(1);
                assertThat(view.path("logins").asLong()).isEqualTo(2);
                assertThat(view.path("replacements").asLong()).isEqualTo(1);
            }
        }
    }

    @Test
    void revokingTheLastDeviceDiscardsItsUnacknowledgedFrames() {
        JsonNode credentials = fixtures.pair(business);
        String deviceId = credentials.path("deviceId").asString();
        try (TestDevice device = fixtures.online(credentials, MANUAL)) {
            fixtures.deliver(fixtures.text(customer, business, "hola"));
            device.expect("message");
            JsonNode view = fixtures.json(fixtures.disconnect(deviceId, 401, "unlinked"), HttpStatus.OK);
            device.expectDisconnect(401);
            assertThat(view.path("unacknowledged").asInt()).isZero();
            assertThat(view.path("queued").asInt()).isZero();
        }
        JsonNode view = fixtures.deviceView(deviceId);
        assertThat(view.path("unacknowledged").asInt()).isZero();
        assertThat(view.path("queued").asInt()).isZero();
    }

    private void awaitOffline(JsonNode credentials) {
        Awaitility.await().atMost(TestDevice.WAIT).until(() -> !fixtures
                .deviceView(credentials.path("deviceId").asString()).path("online").asBoolean());
    }
}
