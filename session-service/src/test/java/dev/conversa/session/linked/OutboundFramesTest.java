package dev.conversa.session.linked;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.conversa.events.command.MediaRef;
import dev.conversa.events.message.Location;
import dev.conversa.events.message.MessageType;
import dev.conversa.session.transport.OutboundSend;
import dev.conversa.session.transport.SendResult;

class OutboundFramesTest {

    private static final String TO = "+5491155550000";

    @Test
    void textGoesToTheRecipientsWaId() {
        OutboundFrames.Prepared prepared = OutboundFrames.prepare(OutboundSend.text("key-1", TO, "hola"));

        assertThat(prepared.rejected()).isNull();
        assertThat(prepared.frame()).isEqualTo(new DeviceFrame.Send("key-1", "5491155550000",
                new DeviceFrame.OutgoingMessage("text", "hola", null, null, null, null, null, null)));
    }

    @Test
    void locationAndReactionCarryTheirFields() {
        OutboundFrames.Prepared location = OutboundFrames.prepare(new OutboundSend("key-2", TO, MessageType.LOCATION,
                null, null, null, new Location(-34.6, -58.4, "Obelisco", "Av. 9 de Julio"), null));
        OutboundFrames.Prepared removal = OutboundFrames.prepare(new OutboundSend("key-3", TO, MessageType.REACTION,
                null, null, null, null, "wamid.X"));

        assertThat(location.frame().message()).isEqualTo(new DeviceFrame.OutgoingMessage("location", null, -34.6,
                -58.4, "Obelisco", "Av. 9 de Julio", null, null));
        assertThat(removal.frame().message()).isEqualTo(new DeviceFrame.OutgoingMessage("reaction", null, null, null,
                null, null, "wamid.X", ""));
    }

    @Test
    void uploadedMediaGoesByItsMediaIdWithCaptionAndFilenameWhereTheTypeHasThem() {
        MediaRef document = new MediaRef(UUID.randomUUID(), "application/pdf", "factura.pdf", "marzo", null);
        MediaRef audio = new MediaRef(UUID.randomUUID(), "audio/ogg", "nota.ogg", "ignored", null);

        OutboundFrames.Prepared pdf = OutboundFrames.prepare(new OutboundSend("key-4", TO, MessageType.DOCUMENT,
                null, document, null, null, null, "m-42"));
        OutboundFrames.Prepared voice = OutboundFrames.prepare(new OutboundSend("key-5", TO, MessageType.AUDIO,
                null, audio, null, null, null, "m-43"));

        assertThat(pdf.frame().message()).isEqualTo(DeviceFrame.OutgoingMessage.media("document", "m-42", "marzo",
                "factura.pdf"));
        assertThat(voice.frame().message()).isEqualTo(DeviceFrame.OutgoingMessage.media("audio", "m-43", null,
                null));
        assertThat(new FrameCodec().write(pdf.frame())).contains("\"mediaId\":\"m-42\"")
                .contains("\"filename\":\"factura.pdf\"").doesNotContain("\"text\"");
    }

    @Test
    void whatALinkedDeviceCannotSendIsRejectedForGood() {
        assertRejected(new OutboundSend("k", TO, MessageType.DOCUMENT, null, null, null, null, null), "uploaded file");
        assertRejected(new OutboundSend("k", TO, MessageType.IMAGE, null,
                new MediaRef(null, "image/png", null, null, "https://h/a.png"), null, null, null), "uploaded file");
        assertRejected(new OutboundSend("k", TO, MessageType.STICKER, null, null, null, null, null, "m-1"),
                "stickers");
        assertRejected(new OutboundSend("k", TO, MessageType.TEMPLATE, null, null, null, null, null), "Cloud API");
        assertRejected(new OutboundSend("k", TO, MessageType.CONTACTS, null, null, null, null, null), "contacts");
        assertRejected(new OutboundSend("k", TO, MessageType.REACTION, "👍", null, null, null, null), "waMessageId");
        assertRejected(OutboundSend.text("k", "5555", "hola"), "E.164");
    }

    @Test
    void ackErrorsAreRetryableOnlyWhenTheSameSendMaySucceedLater() {
        Instant now = Instant.parse("2026-11-23T15:21:10Z");

        assertThat(OutboundFrames.result(new ServerFrame.Ack("k", "wamid.A", null, null), now))
                .isEqualTo(new SendResult.Accepted("wamid.A", now));
        assertThat(result(400)).isEqualTo(new SendResult.Rejected(400, "r", false));
        assertThat(result(403)).isEqualTo(new SendResult.Rejected(403, "r", false));
        assertThat(result(428)).isEqualTo(new SendResult.Rejected(428, "r", true));
        assertThat(result(500)).isEqualTo(new SendResult.Rejected(500, "r", true));
    }

    private static SendResult result(int code) {
        return OutboundFrames.result(new ServerFrame.Ack("k", null, null, new ServerFrame.Problem(code, "r")),
                Instant.now());
    }

    private static void assertRejected(OutboundSend send, String titlePart) {
        SendResult.Rejected rejected = OutboundFrames.prepare(send).rejected();
        assertThat(rejected).isNotNull();
        assertThat(rejected.code()).isEqualTo(400);
        assertThat(rejected.retryable()).isFalse();
        assertThat(rejected.title()).contains(titlePart);
    }
}
