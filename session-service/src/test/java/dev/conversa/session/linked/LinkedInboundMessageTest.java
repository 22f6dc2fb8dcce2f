package dev.conversa.session.linked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.conversa.events.message.ButtonReply;
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.message.MediaAttachment;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.events.message.MessageType;
import dev.conversa.events.message.Reaction;

class LinkedInboundMessageTest {

    private static final Instant SENT = Instant.parse("2026-11-23T15:21:03Z");
    private final FrameCodec codec = new FrameCodec();

    @Test
    void mediaMessageBecomesAReceivedEventWithE164Numbers() {
        LinkedInboundMessage message = read("""
                {"type":"message","deliveryId":"wamid.A","waMessageId":"wamid.A","from":"5491155550000",
                 "to":"5491155551234","pushName":"Ana","messageType":"image",
                 "media":{"id":"media-42","mimeType":"image/jpeg","sha256":"Lq1f","fileSize":20480,"caption":"la factura"},
                 "timestamp":"2026-11-23T15:21:03Z"}""");
        UUID sessionId = UUID.randomUUID();
        Instant receivedAt = SENT.plusSeconds(1);

        MessageReceived event = message.toEvent("tenant-1", sessionId, receivedAt);

        assertThat(event).isEqualTo(new MessageReceived("tenant-1", sessionId, "wamid.A", "+5491155550000", "Ana",
                MessageType.IMAGE, null, new MediaAttachment("media-42", "image/jpeg", "Lq1f", 20480L, null,
                        "la factura", null), null, null, null, null, SENT, receivedAt));
        assertThat(message.to()).isEqualTo("+5491155551234");
    }

    @Test
    void removedReactionAndButtonReplyKeepTheirContext() {
        LinkedInboundMessage reaction = read("""
                {"type":"message","deliveryId":"wamid.R","waMessageId":"wamid.R","from":"5491155550000",
                 "messageType":"reaction","reaction":{"waMessageId":"wamid.original","emoji":""},
                 "timestamp":"2026-11-23T15:21:03Z"}""");
        LinkedInboundMessage button = read("""
                {"type":"message","deliveryId":"wamid.B","waMessageId":"wamid.B","from":"5491155550000",
                 "messageType":"button","buttonReply":{"id":"confirm-1","title":"Confirmar"},
                 "contextWaMessageId":"wamid.question","timestamp":"2026-11-23T15:21:03Z"}""");

        assertThat(reaction.reaction()).isEqualTo(new Reaction("wamid.original", null));
        assertThat(button.messageType()).isEqualTo(MessageType.BUTTON);
        assertThat(button.buttonReply()).isEqualTo(new ButtonReply("confirm-1", "Confirmar"));
        assertThat(button.contextWaMessageId()).isEqualTo("wamid.question");
    }

    @Test
    void messageTypeOfALaterVersionIsUnknown() {
        assertThat(read("""
                {"type":"message","deliveryId":"wamid.S","waMessageId":"wamid.S","from":"5491155550000",
                 "messageType":"poll","timestamp":"2026-11-23T15:21:03Z"}""").messageType())
                .isEqualTo(MessageType.UNKNOWN);
    }

    @Test
    void toStringHidesTheTextAndMasksNumbers() {
        LinkedInboundMessage message = read("""
                {"type":"message","deliveryId":"wamid.T","waMessageId":"wamid.T","from":"5491155550000",
                 "to":"5491155551234","messageType":"text","text":"mi tarjeta es 4111","timestamp":"2026-11-23T15:21:03Z"}""");

        assertThat(message.toString()).doesNotContain("4111").doesNotContain("5491155550000")
                .contains("<18 chars>");
    }

    @Test
    void frameWithoutIdsIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> read("""
                {"type":"message","from":"5491155550000","messageType":"text","timestamp":"2026-11-23T15:21:03Z"}"""));
    }

    @Test
    void failedReceiptCarriesMetasError() {
        LinkedReceipt receipt = LinkedReceipt.of((ServerFrame.Receipt) codec.read("""
                {"type":"receipt","deliveryId":"wamid.G:failed","waMessageId":"wamid.G","clientRef":"key-2",
                 "status":"failed","timestamp":"2026-11-23T15:21:12Z",
                 "error":{"code":131026,"title":"Message undeliverable"}}"""));

        assertThat(receipt).isEqualTo(new LinkedReceipt("wamid.G:failed", "wamid.G", "key-2", DeliveryStatus.FAILED,
                Instant.parse("2026-11-23T15:21:12Z"), 131026, "Message undeliverable"));
    }

    @Test
    void credentialsNeverPrintTheirSecret() {
        assertThat(new LinkedCredentials("dev-1", "kV9o3c8Yw0m2nA7T").toString())
                .contains("dev-1").doesNotContain("kV9o3c8Yw0m2nA7T");
    }

    private LinkedInboundMessage read(String json) {
        return LinkedInboundMessage.of((ServerFrame.Message) codec.read(json));
    }
}
