package dev.conversa.session.linked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class FrameCodecTest {

    private final FrameCodec codec = new FrameCodec();

    @Test
    void readsAMessageFrameAndIgnoresFieldsOfLaterVersions() {
        ServerFrame frame = codec.read("""
                {"type":"message","deliveryId":"wamid.A","waMessageId":"wamid.A","from":"5491155550000",
                 "to":"5491155551234","pushName":"Ana","messageType":"image","isForwarded":true,
                 "media":{"id":"media-42","mimeType":"image/jpeg","sha256":"Lq1f","fileSize":20480,"caption":"la factura",
                          "width":640},
                 "timestamp":"2026-11-23T15:21:03Z","sentAtMicros":1795446067123456}
                """);

        assertThat(frame).isInstanceOfSatisfying(ServerFrame.Message.class, message -> {
            assertThat(message.deliveryId()).isEqualTo("wamid.A");
            assertThat(message.media().id()).isEqualTo("media-42");
            assertThat(message.media().fileSize()).isEqualTo(20480L);
            assertThat(message.timestamp()).isEqualTo(Instant.parse("2026-11-23T15:21:03Z"));
            assertThat(message.sentAtMicros()).isEqualTo(1795446067123456L);
        });
    }

    @Test
    void frameTypeOfALaterVersionIsUnknownNotAnError() {
        assertThat(codec.read("{\"type\":\"typing\",\"from\":\"5491155550000\"}"))
                .isInstanceOf(ServerFrame.Unknown.class);
        assertThat(codec.read("{\"from\":\"5491155550000\"}")).isInstanceOf(ServerFrame.Unknown.class);
    }

    @Test
    void readsEveryControlFrame() {
        assertThat(codec.read("{\"type\":\"ping\",\"id\":\"p7\"}")).isEqualTo(new ServerFrame.Ping("p7"));
        assertThat(codec.read("{\"type\":\"disconnect\",\"code\":515,\"reason\":\"restart required\"}"))
                .isEqualTo(new ServerFrame.Disconnect(515, "restart required"));
        assertThat(codec.read("{\"type\":\"ack\",\"clientRef\":\"key-1\",\"error\":{\"code\":403,\"reason\":\"banned\"}}"))
                .isEqualTo(new ServerFrame.Ack("key-1", null, null, new ServerFrame.Problem(403, "banned")));
        assertThat(codec.read("{\"type\":\"open\",\"deviceId\":\"dev-1\",\"phoneNumber\":\"5491155551234\"}"))
                .isEqualTo(new ServerFrame.Open("dev-1", "5491155551234", null, null));
    }

    @Test
    void unreadableFrameIsRefusedWithoutRepeatingItsContent() {
        assertThatIllegalArgumentException().isThrownBy(() -> codec.read("{\"type\":\"message\",\"text\":\"secreto"))
                .withMessageNotContaining("secreto");
        assertThatIllegalArgumentException().isThrownBy(() -> codec.read("[1,2]"));
    }

    @Test
    void writesDeviceFramesAsTheProtocolShowsThem() {
        assertThat(codec.write(new DeviceFrame.Hello(1, "conversa-session/0.1", null)))
                .isEqualTo("{\"type\":\"hello\",\"protocol\":1,\"client\":\"conversa-session/0.1\"}");
        assertThat(codec.write(new DeviceFrame.Hello(1, "c", new DeviceFrame.Credentials("dev-1", "s3"))))
                .isEqualTo("{\"type\":\"hello\",\"protocol\":1,\"client\":\"c\","
                        + "\"credentials\":{\"deviceId\":\"dev-1\",\"secret\":\"s3\"}}");
        assertThat(codec.write(new DeviceFrame.Send("key-7", "5491155550000", new DeviceFrame.OutgoingMessage(
                "reaction", null, null, null, null, null, "wamid.X", ""))))
                .isEqualTo("{\"type\":\"send\",\"clientRef\":\"key-7\",\"to\":\"5491155550000\","
                        + "\"message\":{\"type\":\"reaction\",\"waMessageId\":\"wamid.X\",\"emoji\":\"\"}}");
        assertThat(codec.write(new DeviceFrame.DeliveryAck(List.of("a", "b:sent"))))
                .isEqualTo("{\"type\":\"delivery.ack\",\"deliveryIds\":[\"a\",\"b:sent\"]}");
        assertThat(codec.write(new DeviceFrame.Pong("p7"))).isEqualTo("{\"type\":\"pong\",\"id\":\"p7\"}");
        assertThat(codec.write(new DeviceFrame.Read(List.of("wamid.A", "wamid.B"))))
                .isEqualTo("{\"type\":\"read\",\"waMessageIds\":[\"wamid.A\",\"wamid.B\"]}");
        assertThat(codec.write(new DeviceFrame.PairingCodeRequest("5491155551234")))
                .isEqualTo("{\"type\":\"pairing-code.request\",\"phoneNumber\":\"5491155551234\"}");
    }
}
