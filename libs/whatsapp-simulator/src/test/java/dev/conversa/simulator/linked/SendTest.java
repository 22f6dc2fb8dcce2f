package dev.conversa.simulator.linked;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.conversa.simulator.WhatsAppSimulatorExtension;
import dev.conversa.simulator.core.FaultInjector;
import dev.conversa.simulator.media.MediaStore;
import dev.conversa.simulator.phone.PhoneBook;
import dev.conversa.simulator.truth.GroundTruth;
import tools.jackson.databind.JsonNode;

class SendTest {

    @RegisterExtension
    static final WhatsAppSimulatorExtension SIMULATOR = new WhatsAppSimulatorExtension()
            .withProperty("simulator.linked.tick", "10ms")
            .withProperty("simulator.receipts.delivered-after", "100ms")
            .withProperty("simulator.receipts.read-after", "250ms");

    private LinkedFixtures fixtures;
    private final String business = LinkedFixtures.newNumber();
    private final String customer = LinkedFixtures.newNumber();

    @BeforeEach
    void fixtures() {
        fixtures = new LinkedFixtures(SIMULATOR.simulator());
    }

    @AfterEach
    void clearFaults() {
        fixtures.bean(FaultInjector.class).set(business, FaultInjector.Faults.NONE);
    }

    @Test
    void sendIsAckedThenSentDeliveredAndReadReceiptsFollowInOrder() {
        try (TestDevice device = fixtures.online(business)) {
            device.send(text("key-1", customer, "hola"));
            JsonNode ack = device.expect("ack");
            assertThat(ack.path("clientRef").asString()).isEqualTo("key-1");
            String waMessageId = ack.path("waMessageId").asString();
            assertThat(waMessageId).startsWith("wamid.");
            assertThat(ack.path("timestamp").isString()).isTrue();
            assertThat(ack.has("error")).isFalse();
            assertThat(ack.has("deliveryId")).as("an ack answers a send and is not acknowledged").isFalse();
            for (String status : List.of("sent", "delivered", "read")) {
                JsonNode receipt = device.expect("receipt");
                assertThat(receipt.path("status").asString()).isEqualTo(status);
                assertThat(receipt.path("waMessageId").asString()).isEqualTo(waMessageId);
                assertThat(receipt.path("deliveryId").asString()).isEqualTo(waMessageId + ":" + status);
                assertThat(receipt.path("clientRef").asString()).isEqualTo("key-1");
                assertThat(receipt.has("error")).isFalse();
            }
            GroundTruth.ClientRefSends sends = fixtures.bean(GroundTruth.class).sends(business, "key-1");
            assertThat(sends.count()).isEqualTo(1);
            assertThat(sends.waMessageIds()).containsExactly(waMessageId);
        }
    }

    @Test
    void sendToANumberNotOnWhatsAppEndsInAFailedReceipt131026() {
        String stranger = LinkedFixtures.newNumber();
        fixtures.bean(PhoneBook.class).create(stranger, "Nadie", false);
        try (TestDevice device = fixtures.online(business)) {
            device.send(text("key-2", stranger, "hola"));
            device.expect("ack");
            assertThat(device.expect("receipt").path("status").asString()).isEqualTo("sent");
            JsonNode failed = device.expect("receipt");
            assertThat(failed.path("status").asString()).isEqualTo("failed");
            assertThat(failed.path("error").path("code").asInt()).isEqualTo(131026);
            assertThat(failed.path("error").path("title").asString()).isNotBlank();
            device.expectSilence(Duration.ofMillis(400));
        }
    }

    static List<Map<String, Object>> messages() {
        return List.of(
                Map.of("type", "image", "mediaId", "m-1", "caption", "foto"),
                Map.of("type", "document", "mediaId", "m-2", "filename", "factura.pdf"),
                Map.of("type", "audio", "mediaId", "m-3"),
                Map.of("type", "video", "mediaId", "m-4", "caption", "video"),
                Map.of("type", "location", "latitude", -34.6, "longitude", -58.4, "name", "Local",
                        "address", "Corrientes 1234"),
                Map.of("type", "reaction", "waMessageId", "wamid.x", "emoji", "❤️"));
    }

    @ParameterizedTest
    @MethodSource("messages")
    void everyMessageTypeIsAcceptedAndRecorded(Map<String, Object> message) {
        String clientRef = "key-" + message.get("type");
        Map<String, Object> sent = new HashMap<>(message);
        if (message.containsKey("mediaId")) {
            sent.put("mediaId", fixtures.bean(MediaStore.class)
                    .put(new byte[] {1, 2, 3}, "application/octet-stream", null).id());
        }
        try (TestDevice device = fixtures.online(business)) {
            device.send(Map.of("type", "send", "clientRef", clientRef, "to", customer, "message", sent));
            JsonNode ack = device.expect("ack");
            assertThat(ack.has("error")).as("ack %s", ack).isFalse();
            assertThat(fixtures.bean(GroundTruth.class).sends(business, clientRef).waMessageIds())
                    .containsExactly(ack.path("waMessageId").asString());
        }
    }

    @Test
    void ackIsLostWhenTheFaultInjectorDropsEveryAck() {
        fixtures.bean(FaultInjector.class).set(business, new FaultInjector.Faults(Duration.ZERO, 1.0));
        try (TestDevice device = fixtures.online(business)) {
            device.send(text("key-lost", customer, "hola"));
            device.expectSilence(Duration.ofMillis(500));
            assertThat(fixtures.bean(GroundTruth.class).sends(business, "key-lost").count()).isEqualTo(1);
        }
    }

    @Test
    void ackIsDelayedByTheFaultLatencyAndStillPrecedesItsReceipts() {
        fixtures.bean(FaultInjector.class).set(business, new FaultInjector.Faults(Duration.ofMillis(300), 0));
        try (TestDevice device = fixtures.online(business)) {
            long sent = System.nanoTime();
            device.send(text("key-slow", customer, "hola"));
            JsonNode ack = device.expect("ack");
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(ack.path("clientRef").asString()).isEqualTo("key-slow");
            assertThat(device.expect("receipt").path("status").asString()).isEqualTo("sent");
        }
    }

    @Test
    void sendWithoutClientRefIsAnsweredWithError400() {
        try (TestDevice device = fixtures.online(business)) {
            device.send(Map.of("type", "send", "to", customer, "message", Map.of("type", "text", "text", "x")));
            assertThat(device.expect("error").path("code").asInt()).isEqualTo(400);
        }
    }

    @Test
    void invalidSendsAreAckedWithError400() {
        try (TestDevice device = fixtures.online(business)) {
            device.send(Map.of("type", "send", "clientRef", "k1", "to", customer,
                    "message", Map.of("type", "sticker", "mediaId", "m")));
            device.send(Map.of("type", "send", "clientRef", "k2", "to", "+" + customer,
                    "message", Map.of("type", "text", "text", "x")));
            device.send(Map.of("type", "send", "clientRef", "k3", "to", customer,
                    "message", Map.of("type", "image")));
            for (String clientRef : List.of("k1", "k2", "k3")) {
                JsonNode ack = device.expect("ack");
                assertThat(ack.path("clientRef").asString()).isEqualTo(clientRef);
                assertThat(ack.path("error").path("code").asInt()).isEqualTo(400);
                assertThat(ack.has("waMessageId")).isFalse();
            }
            assertThat(fixtures.bean(GroundTruth.class).sends(business, "k1").count()).isZero();
        }
    }

    @Test
    void sendBeforeTheDeviceIsOpenIsAckedWithError428() {
        try (TestDevice device = fixtures.pairingDevice()) {
            device.expect("qr");
            device.send(text("key-early", customer, "hola"));
            JsonNode ack = device.expect("ack");
            assertThat(ack.path("error").path("code").asInt()).isEqualTo(428);
        }
    }

    @Test
    void receiptsOfADeviceThatWentAwayArriveAfterItReconnects() {
        JsonNode credentials = fixtures.pair(business);
        try (TestDevice device = fixtures.reconnect(credentials)) {
            device.expect("open");
            device.send(text("key-away", customer, "hola"));
            device.expect("ack");
            device.cut();
        }
        try {
            Thread.sleep(400);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (TestDevice device = fixtures.reconnect(credentials)) {
            assertThat(device.expect("open").path("pending").asInt()).isGreaterThanOrEqualTo(2);
            List<String> statuses = new ArrayList<>();
            while (statuses.size() < 2 || !statuses.getLast().equals("read")) {
                JsonNode receipt = device.expect("receipt");
                assertThat(receipt.path("clientRef").asString()).isEqualTo("key-away");
                statuses.add(receipt.path("status").asString());
            }
            assertThat(statuses).containsSubsequence("delivered", "read");
        }
    }

    private static Map<String, Object> text(String clientRef, String to, String text) {
        return Map.of("type", "send", "clientRef", clientRef, "to", to,
                "message", Map.of("type", "text", "text", text));
    }
}
