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

/** A pairing round whose QR refs nobody scans: two short refs, shown after a short handshake delay. */
class LinkedQrExpiryTest {

    @RegisterExtension
    static WhatsAppSimulatorExtension whatsapp = new WhatsAppSimulatorExtension()
            .withProperty("simulator.linked.qr-first-delay", "300ms")
            .withProperty("simulator.linked.qr-first-ttl", "400ms")
            .withProperty("simulator.linked.qr-next-ttl", "300ms")
            .withProperty("simulator.linked.qr-refs", 2);

    private LinkedDeviceClient client;
    private final RecordingListener listener = new RecordingListener();

    @BeforeEach
    void setUp() {
        client = LinkedFixtures.client(whatsapp.simulator(), Duration.ofSeconds(5));
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    @Test
    void unscannedQrRefsEndTheRoundAndTheSessionWaitsUntilRestarted() {
        LinkedDeviceSession session = client.open(UUID.randomUUID(), null, listener);

        await().atMost(WAIT).until(() -> !listener.ended.isEmpty());
        assertThat(listener.qrs).extracting(RecordingListener.Qr::attempt).containsExactly(1, 2);
        assertThat(listener.lastEnded().reason()).isEqualTo(DisconnectReason.QR_REFS_ENDED);
        assertThat(listener.lastEnded().decision()).isEqualTo(new ReconnectDecision.WaitForNewQr());
        // no new socket on its own: a pairing round is not an outage
        await().during(Duration.ofMillis(800)).atMost(WAIT).until(() -> listener.connecting.size() == 1);
        assertThat(session.isOpen()).isFalse();

        StepVerifier.create(session.restart()).expectComplete().verify(WAIT);

        await().atMost(WAIT).until(() -> listener.qrs.size() == 3);
        assertThat(listener.qrs.getLast().attempt()).isEqualTo(1);
        assertThat(listener.connecting).containsExactly(0, 0);
    }

    @Test
    void pairingCodeAskedForBeforeTheFirstQrIsRefusedWithAClearMessage() {
        LinkedDeviceSession session = client.open(UUID.randomUUID(), null, listener);

        StepVerifier.create(session.requestPairingCode(PhoneControl.newNumber()))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("428")
                        .hasMessageContaining("only while the session shows a QR code"))
                .verify(WAIT);
    }
}
