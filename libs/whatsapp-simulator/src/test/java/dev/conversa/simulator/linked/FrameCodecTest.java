package dev.conversa.simulator.linked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FrameCodecTest {

    private final FrameCodec codec = LinkedTestSupport.codec();

    @Test
    void serverFrameStartsWithItsTypeAndLeavesNullFieldsOut() {
        assertThat(codec.write(ServerFrame.Ack.refused("key-1", 403, "banned")))
                .isEqualTo("{\"type\":\"ack\",\"clientRef\":\"key-1\",\"error\":{\"code\":403,\"reason\":\"banned\"}}");
        assertThat(codec.write(new ServerFrame.Qr("2@abc", 1, 60, "2026-01-01T00:00:00Z")))
                .isEqualTo("{\"type\":\"qr\",\"ref\":\"2@abc\",\"attempt\":1,\"ttlSeconds\":60,"
                        + "\"expiresAt\":\"2026-01-01T00:00:00Z\"}");
        assertThat(codec.write(new ServerFrame.Disconnect(515, "restart required")))
                .isEqualTo("{\"type\":\"disconnect\",\"code\":515,\"reason\":\"restart required\"}");
    }

    @Test
    void nestedObjectsOfAMessageFrameLeaveTheirNullFieldsOut() {
        String json = codec.write(new ServerFrame.Message("wamid.1", "wamid.1", "5491100000001", "5491100000002",
                "Ana", "image", null, new ServerFrame.Media("m-1", "image/png", null, null, null, "hi"), null, null,
                null, null, "2026-01-01T00:00:00Z", null));
        assertThat(json).contains("\"media\":{\"id\":\"m-1\",\"mimeType\":\"image/png\",\"caption\":\"hi\"}")
                .doesNotContain("null").doesNotContain("sha256").doesNotContain("location");
    }

    @Test
    void messageAndReceiptFramesCarryTheirDeliveryIdRightAfterTheType() {
        String message = codec.write(new ServerFrame.Message("wamid.1", "wamid.1", "5491100000001", "5491100000002",
                "Ana", "text", "hola", null, null, null, null, null, "2026-01-01T00:00:00Z", null));
        assertThat(message).startsWith("{\"type\":\"message\",\"deliveryId\":\"wamid.1\",\"waMessageId\":\"wamid.1\",");
        assertThat(codec.write(ServerFrame.Receipt.of("wamid.2", "key-1", "delivered", "2026-01-01T00:00:00Z", null)))
                .isEqualTo("{\"type\":\"receipt\",\"deliveryId\":\"wamid.2:delivered\",\"waMessageId\":\"wamid.2\","
                        + "\"clientRef\":\"key-1\",\"status\":\"delivered\",\"timestamp\":\"2026-01-01T00:00:00Z\"}");
    }

    @Test
    void everyDeviceFrameTypeIsRead() {
        assertThat(codec.read("{\"type\":\"hello\",\"protocol\":1,\"client\":\"c\",\"credentials\":null}"))
                .isEqualTo(new DeviceFrame.Hello(1, "c", null));
        assertThat(codec.read("{\"type\":\"hello\",\"protocol\":1,\"credentials\":{\"deviceId\":\"d\","
                + "\"secret\":\"s\"}}"))
                .isEqualTo(new DeviceFrame.Hello(1, null, new Credentials("d", "s")));
        assertThat(codec.read("{\"type\":\"pairing-code.request\",\"phoneNumber\":\"5491155551234\"}"))
                .isEqualTo(new DeviceFrame.PairingCodeRequest("5491155551234"));
        assertThat(codec.read("{\"type\":\"send\",\"clientRef\":\"k\",\"to\":\"5491155550000\","
                + "\"message\":{\"type\":\"location\",\"latitude\":-34.6,\"longitude\":-58.4}}"))
                .isEqualTo(new DeviceFrame.Send("k", "5491155550000", new DeviceFrame.OutgoingMessage("location",
                        null, null, null, null, -34.6, -58.4, null, null, null, null)));
        assertThat(codec.read("{\"waMessageIds\":[\"a\",\"b\"],\"type\":\"read\"}"))
                .isEqualTo(new DeviceFrame.Read(java.util.List.of("a", "b")));
        assertThat(codec.read("{\"type\":\"ping\",\"id\":\"1\"}")).isEqualTo(new DeviceFrame.Ping("1"));
        assertThat(codec.read("{\"type\":\"pong\",\"id\":\"p1\"}")).isEqualTo(new DeviceFrame.Pong("p1"));
        assertThat(codec.read("{\"type\":\"logout\"}")).isEqualTo(new DeviceFrame.Logout());
        assertThat(codec.read("{\"type\":\"delivery.ack\",\"deliveryIds\":[\"wamid.1\",\"wamid.2:read\"]}"))
                .isEqualTo(new DeviceFrame.DeliveryAck(java.util.List.of("wamid.1", "wamid.2:read")));
    }

    @Test
    void unknownFieldsAreIgnoredForForwardCompatibility() {
        assertThat(codec.read("{\"type\":\"ping\",\"id\":\"1\",\"addedInV1_1\":true}"))
                .isEqualTo(new DeviceFrame.Ping("1"));
        assertThat(codec.read("{\"type\":\"send\",\"clientRef\":\"k\",\"to\":\"5491155550000\","
                + "\"message\":{\"type\":\"text\",\"text\":\"x\",\"mentions\":[]}}"))
                .isInstanceOf(DeviceFrame.Send.class);
    }

    @Test
    void unknownTypeMissingTypeAndMalformedJsonAreBadFrames() {
        assertThatThrownBy(() -> codec.read("{\"type\":\"typing\"}"))
                .isInstanceOf(FrameCodec.BadFrameException.class).hasMessage("unknown frame type: typing");
        assertThatThrownBy(() -> codec.read("{\"id\":\"1\"}"))
                .isInstanceOf(FrameCodec.BadFrameException.class).hasMessageContaining("type");
        assertThatThrownBy(() -> codec.read("{\"type\":"))
                .isInstanceOf(FrameCodec.BadFrameException.class).hasMessageStartingWith("malformed frame");
        assertThatThrownBy(() -> codec.read("[1,2]")).isInstanceOf(FrameCodec.BadFrameException.class);
    }
}
