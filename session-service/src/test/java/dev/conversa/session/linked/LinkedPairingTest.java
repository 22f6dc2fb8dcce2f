package dev.conversa.session.linked;

import static dev.conversa.session.linked.LinkedFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.conversa.session.reconnect.DisconnectReason;
import dev.conversa.session.reconnect.ReconnectDecision;
import dev.conversa.simulator.WhatsAppSimulatorExtension;
import reactor.test.StepVerifier;

class LinkedPairingTest {

    @RegisterExtension
    static WhatsAppSimulatorExtension whatsapp = new WhatsAppSimulatorExtension();

    private LinkedDeviceClient client;
    private PhoneControl phone;
    private final RecordingListener listener = new RecordingListener();

    @BeforeEach
    void setUp() {
        client = LinkedFixtures.client(whatsapp.simulator(), Duration.ofSeconds(5));
        phone = new PhoneControl(whatsapp.simulator());
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    @Test
    void scannedQrPairsTheDeviceWhichReconnectsWithItsNewCredentialsAfter515() {
        String number = PhoneControl.newNumber();
        LinkedDeviceSession session = client.open(UUID.randomUUID(), null, listener);

        await().atMost(WAIT).until(() -> !listener.qrs.isEmpty());
        RecordingListener.Qr qr = listener.qrs.getFirst();
        assertThat(qr.attempt()).isEqualTo(1);
        assertThat(qr.ref()).isNotBlank();
        assertThat(session.isOpen()).isFalse();

        String deviceId = phone.scan(qr.ref(), number).path("deviceId").asString();

        await().atMost(WAIT).until(session::isOpen);
        RecordingListener.Paired paired = listener.paired.getFirst();
        assertThat(paired.credentials().deviceId()).isEqualTo(deviceId);
        assertThat(paired.phoneNumber()).isEqualTo(number);
        assertThat(paired.pushName()).isEqualTo("Tienda Sol");
        assertThat(session.credentials()).isEqualTo(paired.credentials());
        assertThat(listener.ended).containsExactly(new RecordingListener.Ended(DisconnectReason.RESTART_REQUIRED,
                "restart required", new ReconnectDecision.ReconnectNow()));
        assertThat(listener.events).startsWith("connecting", "qr", "paired", "ended", "connecting", "opened");
        assertThat(listener.connecting).containsExactly(0, 1);
        RecordingListener.Opened opened = listener.lastOpened();
        assertThat(opened.deviceId()).isEqualTo(deviceId);
        assertThat(opened.phoneNumber()).isEqualTo(number);
        assertThat(phone.device(deviceId).path("online").asBoolean()).isTrue();
        assertThat(phone.device(deviceId).path("client").asString()).isEqualTo("conversa-test/1");
    }

    @Test
    void storedCredentialsLogInWithoutPairing() {
        String number = PhoneControl.newNumber();
        LinkedDeviceSession first = LinkedFixtures.pair(client, phone, listener, number);
        LinkedCredentials credentials = first.credentials();
        StepVerifier.create(first.close()).expectComplete().verify(WAIT);

        RecordingListener again = new RecordingListener();
        LinkedDeviceSession second = client.open(UUID.randomUUID(), credentials, again);

        await().atMost(WAIT).until(second::isOpen);
        assertThat(again.qrs).isEmpty();
        assertThat(again.paired).isEmpty();
        assertThat(again.lastOpened().deviceId()).isEqualTo(credentials.deviceId());
        assertThat(again.lastOpened().phoneNumber()).isEqualTo(number);
    }

    @Test
    void pairingCodeTypedOnThePhonePairsTheDevice() {
        String number = PhoneControl.newNumber();
        LinkedDeviceSession session = client.open(UUID.randomUUID(), null, listener);
        await().atMost(WAIT).until(() -> !listener.qrs.isEmpty());

        StepVerifier.create(session.requestPairingCode(number)).expectComplete().verify(WAIT);

        RecordingListener.PairingCode code = listener.pairingCodes.getFirst();
        assertThat(code.code()).matches("[0-9A-HJKMNP-TV-Z]{8}");
        assertThat(code.phoneNumber()).isEqualTo(number);
        phone.enterPairingCode(number, code.code().substring(0, 4) + "-" + code.code().substring(4));

        await().atMost(WAIT).until(session::isOpen);
        assertThat(listener.paired.getFirst().phoneNumber()).isEqualTo(number);
        assertThat(listener.lastOpened().phoneNumber()).isEqualTo(number);
    }

    @Test
    void pairingCodeCannotBeRequestedByAPairedSession() {
        LinkedDeviceSession session = LinkedFixtures.pair(client, phone, listener, PhoneControl.newNumber());

        StepVerifier.create(session.requestPairingCode(PhoneControl.newNumber()))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("not paired"))
                .verify(WAIT);
    }

    @Test
    void pairingCodeForANumberThatIsNotE164IsRefused() {
        LinkedDeviceSession session = client.open(UUID.randomUUID(), null, listener);

        StepVerifier.create(session.requestPairingCode("011 5555"))
                .expectError(IllegalArgumentException.class)
                .verify(WAIT);
    }

    @Test
    void secondSessionWithTheSameIdIsRefused() {
        UUID sessionId = UUID.randomUUID();
        client.open(sessionId, null, listener);

        org.assertj.core.api.Assertions.assertThatIllegalStateException()
                .isThrownBy(() -> client.open(sessionId, null, new RecordingListener()));
    }
}
