package dev.conversa.session.linked;

import static dev.conversa.session.linked.LinkedFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import dev.conversa.events.command.MediaRef;
import dev.conversa.events.command.TemplateRef;
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.message.Location;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.events.message.MessageType;
import dev.conversa.session.transport.ConnectionNotOpenException;
import dev.conversa.session.transport.MediaFile;
import dev.conversa.session.transport.MediaUploadException;
import dev.conversa.session.transport.OutboundSend;
import dev.conversa.session.transport.SendResult;
import dev.conversa.simulator.WhatsAppSimulatorExtension;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class LinkedMessagingTest {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(1);

    @RegisterExtension
    static WhatsAppSimulatorExtension whatsapp = new WhatsAppSimulatorExtension()
            .withProperty("simulator.receipts.delivered-after", "50ms")
            .withProperty("simulator.receipts.read-after", "100ms")
            .withProperty("simulator.ban.enabled", false);

    private LinkedDeviceClient client;
    private PhoneControl phone;
    private final RecordingListener listener = new RecordingListener();
    private final String number = PhoneControl.newNumber();
    private final String customer = PhoneControl.newNumber();

    @BeforeEach
    void setUp() {
        client = LinkedFixtures.client(whatsapp.simulator(), ACK_TIMEOUT);
        phone = new PhoneControl(whatsapp.simulator());
    }

    @AfterEach
    void tearDown() {
        phone.clearFaults();
        client.close();
    }

    @Test
    void customerMessageReachesTheListenerAndIsAcknowledged() {
        LinkedDeviceSession session = LinkedFixtures.pair(client, phone, listener, number);
        String deviceId = listener.lastOpened().deviceId();

        String waMessageId = phone.write(customer, number, "hola, ¿tienen stock?");

        await().atMost(WAIT).until(() -> listener.messages.size() == 1);
        LinkedInboundMessage message = listener.messages.getFirst();
        assertThat(message.waMessageId()).isEqualTo(waMessageId);
        assertThat(message.deliveryId()).isEqualTo(waMessageId);
        assertThat(message.from()).isEqualTo(customer);
        assertThat(message.to()).isEqualTo(number);
        assertThat(message.messageType()).isEqualTo(MessageType.TEXT);
        assertThat(message.text()).isEqualTo("hola, ¿tienen stock?");
        assertThat(message.toString()).doesNotContain("stock").doesNotContain(customer);
        await().atMost(WAIT).until(() -> phone.device(deviceId).path("unacknowledged").asInt() == 0);

        Instant receivedAt = Instant.now();
        MessageReceived event = message.toEvent("tenant-1", session.sessionId(), receivedAt);
        assertThat(event.from()).isEqualTo(customer);
        assertThat(event.text()).isEqualTo("hola, ¿tienen stock?");
        assertThat(event.receivedAt()).isEqualTo(receivedAt);
        assertThat(event.sessionId()).isEqualTo(session.sessionId());
    }

    @Test
    void messageWhoseCallbackFailedIsRedeliveredOnTheNextConnectionAndAHandledOneIsNot() {
        LinkedDeviceSession session = LinkedFixtures.pair(client, phone, listener, number);
        String deviceId = listener.lastOpened().deviceId();
        listener.failMessage = message -> "falla".equals(message.text())
                && listener.messageCalls.stream().filter(call -> "falla".equals(call.text())).count() == 1;

        phone.write(customer, number, "ok");
        phone.write(customer, number, "falla");

        await().atMost(WAIT).until(() -> listener.messageCalls.size() == 2);
        assertThat(listener.messages).extracting(LinkedInboundMessage::text).containsExactly("ok");
        await().atMost(WAIT).until(() -> phone.device(deviceId).path("unacknowledged").asInt() == 1);

        phone.disconnect(deviceId, 408);

        await().atMost(WAIT).until(() -> listener.opened.size() == 2 && session.isOpen());
        assertThat(listener.lastOpened().pending()).isEqualTo(1);
        await().atMost(WAIT).until(() -> listener.messages.size() == 2);
        assertThat(listener.messages).extracting(LinkedInboundMessage::text).containsExactly("ok", "falla");
        await().atMost(WAIT).until(() -> phone.device(deviceId).path("unacknowledged").asInt() == 0);
        assertThat(phone.device(deviceId).path("redelivered").asInt()).isEqualTo(1);
    }

    @Test
    void acceptedSendReportsItsReceiptsSentDeliveredAndRead() {
        LinkedDeviceSession session = LinkedFixtures.pair(client, phone, listener, number);

        SendResult result = session.send(OutboundSend.text("key-1", customer, "hola")).block(WAIT);

        assertThat(result).isInstanceOf(SendResult.Accepted.class);
        String waMessageId = ((SendResult.Accepted) result).waMessageId();
        await().atMost(WAIT).until(() -> listener.receipts.size() == 3);
        assertThat(listener.receipts).extracting(LinkedReceipt::status)
                .containsExactly(DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ);
        assertThat(listener.receipts).allSatisfy(receipt -> {
            assertThat(receipt.waMessageId()).isEqualTo(waMessageId);
            assertThat(receipt.clientRef()).isEqualTo("key-1");
            assertThat(receipt.errorCode()).isNull();
        });
        assertThat(phone.sendsWithClientRef(number, "key-1")).isEqualTo(1);
        String deviceId = listener.lastOpened().deviceId();
        await().atMost(WAIT).until(() -> phone.device(deviceId).path("unacknowledged").asInt() == 0);
    }

    @Test
    void locationAndReactionAreSent() {
        LinkedDeviceSession session = LinkedFixtures.pair(client, phone, listener, number);
        OutboundSend location = new OutboundSend("loc-1", customer, MessageType.LOCATION, null, null, null,
                new Location(-34.6037, -58.3816, "Obelisco", null), null);
        SendResult.Accepted sent = (SendResult.Accepted) session.send(location).block(WAIT);
        OutboundSend reaction = new OutboundSend("react-1", customer, MessageType.REACTION, "👍", null, null, null,
                sent.waMessageId());

        StepVerifier.create(session.send(reaction))
                .assertNext(result -> assertThat(result).isInstanceOf(SendResult.Accepted.class))
                .verifyComplete();
    }

    @Test
    void sendToAPhoneThatIsNotOnWhatsAppFailsWith131026() {
        LinkedDeviceSession session = LinkedFixtures.pair(client, phone, listener, number);
        String nobody = PhoneControl.newNumber();
        phone.createPhone(nobody, false);

        StepVerifier.create(session.send(OutboundSend.text("key-2", nobody, "hola")))
                .assertNext(result -> assertThat(result).isInstanceOf(SendResult.Accepted.class))
                .verifyComplete();

        await().atMost(WAIT).until(() -> listener.receipts.stream()
                .anyMatch(receipt -> receipt.status() == DeliveryStatus.FAILED));
        LinkedReceipt failed = listener.receipts.getLast();
        assertThat(failed.errorCode()).isEqualTo(131026);
        assertThat(failed.errorTitle()).isEqualTo("Message undeliverable");
        assertThat(failed.clientRef()).isEqualTo("key-2");
    }

    /**
     * The simulator treats a resend after a lost ack as a new message (new waMessageId; its ground truth counts the
     * clientRef twice): the protocol does not deduplicate on clientRef, so a lost ack may mean a duplicate message.
     */
    @Test
    void lostAckTimesOutAndAResendWithTheSameClientRefIsSentAgain() {
        LinkedDeviceSession session = LinkedFixtures.pair(client, phone, listener, number);
        phone.faults(number, 0, 1.0);

        StepVerifier.create(session.send(OutboundSend.text("key-3", customer, "hola")))
                .expectError(TimeoutException.class)
                .verify(WAIT);
        phone.clearFaults();

        StepVerifier.create(session.send(OutboundSend.text("key-3", customer, "hola")))
                .assertNext(result -> assertThat(result).isInstanceOf(SendResult.Accepted.class))
                .verifyComplete();
        assertThat(phone.sendsWithClientRef(number, "key-3")).isEqualTo(2);
    }

    @Test
    void lateAckAnswersTheResendWithoutSendingAgain() {
        LinkedDeviceSession session = LinkedFixtures.pair(client, phone, listener, number);
        phone.faults(number, ACK_TIMEOUT.toMillis() + 300, 0);

        StepVerifier.create(session.send(OutboundSend.text("key-4", customer, "hola")))
                .expectError(TimeoutException.class)
                .verify(WAIT);
        // receipts follow their ack, so a receipt means the late ack has arrived
        await().atMost(WAIT).until(() -> listener.receipts.stream().anyMatch(r -> "key-4".equals(r.clientRef())));
        phone.clearFaults();

        StepVerifier.create(session.send(OutboundSend.text("key-4", customer, "hola")))
                .assertNext(result -> assertThat(result).isEqualTo(new SendResult.Accepted(
                        listener.receipts.getFirst().waMessageId(), ((SendResult.Accepted) result).acceptedAt())))
                .verifyComplete();
        assertThat(phone.sendsWithClientRef(number, "key-4")).isEqualTo(1);
    }

    @Test
    void mediaNotUploadedAndTemplatesAreRejectedWithoutSending() {
        LinkedDeviceSession session = LinkedFixtures.pair(client, phone, listener, number);
        OutboundSend image = new OutboundSend("img-1", customer, MessageType.IMAGE, null,
                new MediaRef(UUID.randomUUID(), "image/jpeg", null, "foto", null), null, null, null);
        OutboundSend template = new OutboundSend("tpl-1", customer, MessageType.TEMPLATE, null, null,
                new TemplateRef("welcome", "es", java.util.List.of()), null, null);

        StepVerifier.create(session.send(image))
                .assertNext(result -> {
                    assertThat(result).isInstanceOf(SendResult.Rejected.class);
                    SendResult.Rejected rejected = (SendResult.Rejected) result;
                    assertThat(rejected.code()).isEqualTo(400);
                    assertThat(rejected.retryable()).isFalse();
                    assertThat(rejected.title()).contains("uploaded file");
                })
                .verifyComplete();
        StepVerifier.create(session.send(template))
                .assertNext(result -> assertThat(((SendResult.Rejected) result).title()).contains("Cloud API"))
                .verifyComplete();
        assertThat(phone.sendsWithClientRef(number, "img-1")).isZero();
        assertThat(phone.sendsWithClientRef(number, "tpl-1")).isZero();
    }

    @Test
    void anUploadedFileIsSentByTheMediaIdTheUploadAnswered() {
        LinkedDeviceSession session = LinkedFixtures.pair(client, phone, listener, number);
        byte[] voiceNote = "OggS-voice-note".repeat(1_000).getBytes(StandardCharsets.US_ASCII);

        String uploaded = session.uploadMedia(new MediaFile(Flux.just(DefaultDataBufferFactory.sharedInstance
                .wrap(voiceNote)), "audio/ogg", "nota.ogg")).block(Duration.ofSeconds(10));
        SendResult sent = session.send(new OutboundSend("voice-1", customer, MessageType.AUDIO, null,
                new MediaRef(UUID.randomUUID(), "audio/ogg", "nota.ogg", null, null), null, null, null)
                .withTransportMediaId(uploaded)).block(Duration.ofSeconds(10));

        assertThat(sent).isInstanceOf(SendResult.Accepted.class);
        assertThat(phone.mediaIdSentWithClientRef(number, "voice-1")).isEqualTo(uploaded);
    }

    @Test
    void anUploadTheServerRefusesFailsWithItsStatusAndIsFinal() {
        LinkedDeviceSession session = LinkedFixtures.pair(client, phone, listener, number);

        StepVerifier.create(session.uploadMedia(new MediaFile(Flux.just(DefaultDataBufferFactory.sharedInstance
                        .wrap(new byte[] {'M', 'Z', 0})), "application/x-msdownload", "setup.exe")))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(MediaUploadException.class);
                    assertThat(((MediaUploadException) error).rejected().code()).isEqualTo(415);
                    assertThat(((MediaUploadException) error).rejected().retryable()).isFalse();
                })
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void sendOnASessionThatIsNotOpenFailsWithoutSending() {
        LinkedDeviceSession session = client.open(UUID.randomUUID(), null, listener);

        StepVerifier.create(session.send(OutboundSend.text("key-5", customer, "hola")))
                .expectError(ConnectionNotOpenException.class)
                .verify(WAIT);
        StepVerifier.create(session.markRead(List.of("wamid.A")))
                .expectError(ConnectionNotOpenException.class)
                .verify(WAIT);
    }

    @Test
    void readCustomerMessagesAreReportedToWhatsApp() {
        LinkedDeviceSession session = LinkedFixtures.pair(client, phone, listener, number);
        String deviceId = listener.lastOpened().deviceId();
        String first = phone.write(customer, number, "hola");
        String second = phone.write(customer, number, "¿siguen abiertos?");
        List<String> many = IntStream.range(0, 150).mapToObj(i -> "wamid.old-" + i).toList();

        StepVerifier.create(session.markRead(List.of(first, second))).verifyComplete();
        StepVerifier.create(session.markRead(many)).verifyComplete();
        StepVerifier.create(session.markRead(List.of())).verifyComplete();

        await().atMost(WAIT).until(() -> phone.device(deviceId).path("readsReported").asLong() == 152);
    }
}
