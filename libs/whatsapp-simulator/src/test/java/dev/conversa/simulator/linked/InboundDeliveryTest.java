package dev.conversa.simulator.linked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.conversa.simulator.WhatsAppSimulatorExtension;
import dev.conversa.simulator.core.InboundMessage;
import dev.conversa.simulator.core.UnknownBusinessNumberException;
import dev.conversa.simulator.core.WaMessageIds;
import tools.jackson.databind.JsonNode;

class InboundDeliveryTest {

    @RegisterExtension
    static final WhatsAppSimulatorExtension SIMULATOR = new WhatsAppSimulatorExtension()
            .withProperty("simulator.linked.tick", "10ms")
            .withProperty("simulator.linked.offline-queue-capacity", "5");

    private LinkedFixtures fixtures;
    private final String customer = LinkedFixtures.newNumber();

    @BeforeEach
    void fixtures() {
        fixtures = new LinkedFixtures(SIMULATOR.simulator());
    }

    @Test
    void textMessageArrivesAsAMessageFrameWithNullFieldsLeftOut() {
        String business = LinkedFixtures.newNumber();
        try (TestDevice device = fixtures.online(business)) {
            InboundMessage message = fixtures.text(customer, business, "hola, ¿tienen stock?");
            fixtures.deliver(message);
            JsonNode frame = device.expect("message");
            assertThat(frame.path("waMessageId").asString()).isEqualTo(message.waMessageId());
            assertThat(frame.path("deliveryId").asString()).isEqualTo(message.waMessageId());
            assertThat(frame.path("from").asString()).isEqualTo(customer);
            assertThat(frame.path("to").asString()).isEqualTo(business);
            assertThat(frame.path("pushName").asString()).isEqualTo("Cliente " + customer);
            assertThat(frame.path("messageType").asString()).isEqualTo("text");
            assertThat(frame.path("text").asString()).isEqualTo("hola, ¿tienen stock?");
            assertThat(Instant.parse(frame.path("timestamp").asString())).isEqualTo(message.timestamp());
            assertThat(frame.has("media")).isFalse();
            assertThat(frame.has("location")).isFalse();
            assertThat(frame.has("contextWaMessageId")).isFalse();
            assertThat(frame.has("sentAtMicros")).isFalse();
        }
    }

    @Test
    void imageMessageCarriesItsMediaIdMimeTypeAndCaption() {
        String business = LinkedFixtures.newNumber();
        try (TestDevice device = fixtures.online(business)) {
            fixtures.deliver(LinkedFixtures.inbound(customer, business, "image", null,
                    new InboundMessage.Media("media-42", "image/jpeg", "c2hh", 2048L, null, "la factura"),
                    null, null, null, null));
            JsonNode frame = device.expect("message");
            assertThat(frame.path("messageType").asString()).isEqualTo("image");
            JsonNode media = frame.path("media");
            assertThat(media.path("id").asString()).isEqualTo("media-42");
            assertThat(media.path("mimeType").asString()).isEqualTo("image/jpeg");
            assertThat(media.path("sha256").asString()).isEqualTo("c2hh");
            assertThat(media.path("fileSize").asLong()).isEqualTo(2048);
            assertThat(media.path("caption").asString()).isEqualTo("la factura");
            assertThat(media.has("filename")).isFalse();
        }
    }

    @Test
    void locationMessageCarriesCoordinatesNameAndAddress() {
        String business = LinkedFixtures.newNumber();
        try (TestDevice device = fixtures.online(business)) {
            fixtures.deliver(LinkedFixtures.inbound(customer, business, "location", null, null,
                    new InboundMessage.Location(-34.6037, -58.3816, "Obelisco", "Av. 9 de Julio s/n"),
                    null, null, null));
            JsonNode location = device.expect("message").path("location");
            assertThat(location.path("latitude").asDouble()).isEqualTo(-34.6037);
            assertThat(location.path("longitude").asDouble()).isEqualTo(-58.3816);
            assertThat(location.path("name").asString()).isEqualTo("Obelisco");
            assertThat(location.path("address").asString()).isEqualTo("Av. 9 de Julio s/n");
        }
    }

    @Test
    void reactionNamesTheMessageReactedToAndTheEmoji() {
        String business = LinkedFixtures.newNumber();
        try (TestDevice device = fixtures.online(business)) {
            fixtures.deliver(LinkedFixtures.inbound(customer, business, "reaction", null, null, null,
                    new InboundMessage.Reaction("wamid.original", "👍"), null, null));
            JsonNode frame = device.expect("message");
            assertThat(frame.path("messageType").asString()).isEqualTo("reaction");
            assertThat(frame.path("reaction").path("waMessageId").asString()).isEqualTo("wamid.original");
            assertThat(frame.path("reaction").path("emoji").asString()).isEqualTo("👍");
        }
    }

    @Test
    void buttonReplyCarriesIdTitleAndTheMessageItAnswers() {
        String business = LinkedFixtures.newNumber();
        try (TestDevice device = fixtures.online(business)) {
            fixtures.deliver(LinkedFixtures.inbound(customer, business, "button", null, null, null, null,
                    new InboundMessage.ButtonReply("confirm-1", "Confirmar"), "wamid.question"));
            JsonNode frame = device.expect("message");
            assertThat(frame.path("buttonReply").path("id").asString()).isEqualTo("confirm-1");
            assertThat(frame.path("buttonReply").path("title").asString()).isEqualTo("Confirmar");
            assertThat(frame.path("contextWaMessageId").asString()).isEqualTo("wamid.question");
        }
    }

    @Test
    void loadRunTimestampIsPassedThroughAsSentAtMicros() {
        String business = LinkedFixtures.newNumber();
        try (TestDevice device = fixtures.online(business)) {
            fixtures.deliver(new InboundMessage(WaMessageIds.next(), customer, business, "x", "text", "t", null, null,
                    null, null, null, Instant.now(), 1_700_000_000_123_456L));
            assertThat(device.expect("message").path("sentAtMicros").asLong()).isEqualTo(1_700_000_000_123_456L);
        }
    }

    @Test
    void messagesSentWhileTheDeviceWasAwayFollowItsOpenFrameInOrder() {
        String business = LinkedFixtures.newNumber();
        JsonNode credentials = fixtures.pair(business);
        try (TestDevice device = fixtures.reconnect(credentials)) {
            device.expect("open");
            device.cut();
            device.closeStatus();
        }
        awaitOffline(credentials);
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            InboundMessage message = fixtures.text(customer, business, "offline " + i);
            ids.add(message.waMessageId());
            fixtures.deliver(message);
        }
        assertThat(fixtures.deviceView(credentials.path("deviceId").asString()).path("queued").asInt()).isEqualTo(3);
        try (TestDevice device = fixtures.reconnect(credentials)) {
            assertThat(device.expect("open").path("pending").asInt()).isEqualTo(3);
            for (String id : ids) {
                assertThat(device.expect("message").path("waMessageId").asString()).isEqualTo(id);
            }
            fixtures.deliver(fixtures.text(customer, business, "live again"));
            assertThat(device.expect("message").path("text").asString()).isEqualTo("live again");
        }
    }

    @Test
    void messageThatArrivesBetweenPairingAndTheRestartReconnectIsQueued() {
        String business = LinkedFixtures.newNumber();
        JsonNode credentials = fixtures.pair(business);
        fixtures.deliver(fixtures.text(customer, business, "right after linking"));
        try (TestDevice device = fixtures.reconnect(credentials)) {
            assertThat(device.expect("open").path("pending").asInt()).isEqualTo(1);
            assertThat(device.expect("message").path("text").asString()).isEqualTo("right after linking");
        }
    }

    @Test
    void fullOfflineQueueDropsTheOldestFramesAndCountsThem() {
        String business = LinkedFixtures.newNumber();
        JsonNode credentials = fixtures.pair(business);
        for (int i = 1; i <= 8; i++) {
            fixtures.deliver(fixtures.text(customer, business, "m" + i));
        }
        JsonNode view = fixtures.deviceView(credentials.path("deviceId").asString());
        assertThat(view.path("queued").asInt()).isEqualTo(5);
        assertThat(view.path("queueDropped").asLong()).isEqualTo(3);
        try (TestDevice device = fixtures.reconnect(credentials)) {
            assertThat(device.expect("open").path("pending").asInt()).isEqualTo(5);
            for (int i = 4; i <= 8; i++) {
                assertThat(device.expect("message").path("text").asString()).isEqualTo("m" + i);
            }
        }
    }

    @Test
    void onlyNumbersWithALinkedDeviceAreServed() {
        String business = LinkedFixtures.newNumber();
        LinkedInboundChannel channel = fixtures.bean(LinkedInboundChannel.class);
        assertThat(channel.serves(business)).isFalse();
        assertThatThrownBy(() -> fixtures.deliver(fixtures.text(customer, business, "nobody home")))
                .isInstanceOf(UnknownBusinessNumberException.class);
        fixtures.pair(business);
        assertThat(channel.serves(business)).isTrue();
    }

    @Test
    void readFrameIsRecordedOnTheDevice() {
        String business = LinkedFixtures.newNumber();
        JsonNode credentials = fixtures.pair(business);
        try (TestDevice device = fixtures.reconnect(credentials)) {
            device.expect("open");
            device.send(Map.of("type", "read", "waMessageIds", List.of("wamid.a", "wamid.b")));
            device.send(Map.of("type", "ping", "id", "sync"));
            device.expect("pong");
            assertThat(fixtures.deviceView(credentials.path("deviceId").asString()).path("readsReported").asLong())
                    .isEqualTo(2);
        }
    }

    private void awaitOffline(JsonNode credentials) {
        org.awaitility.Awaitility.await().atMost(TestDevice.WAIT).until(() -> !fixtures
                .deviceView(credentials.path("deviceId").asString()).path("online").asBoolean());
    }
}
