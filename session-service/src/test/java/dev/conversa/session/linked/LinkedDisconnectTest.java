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
import dev.conversa.session.reconnect.ReconnectDecision.TerminalStatus;
import dev.conversa.simulator.WhatsAppSimulatorExtension;
import reactor.test.StepVerifier;

/** How a session lives through each disconnect reason; the simulator pings every 200 ms. */
class LinkedDisconnectTest {

    @RegisterExtension
    static WhatsAppSimulatorExtension whatsapp = new WhatsAppSimulatorExtension()
            .withProperty("simulator.linked.ping-interval", "200ms")
            .withProperty("simulator.linked.ping-timeout", "1s")
            .withProperty("simulator.ban.enabled", false);

    private LinkedDeviceClient client;
    private PhoneControl phone;
    private final RecordingListener listener = new RecordingListener();
    private LinkedDeviceSession session;
    private String deviceId;

    @BeforeEach
    void setUp() {
        client = LinkedFixtures.client(whatsapp.simulator(), Duration.ofSeconds(2));
        phone = new PhoneControl(whatsapp.simulator());
        session = LinkedFixtures.pair(client, phone, listener, PhoneControl.newNumber());
        deviceId = listener.lastOpened().deviceId();
        // pairing ends its first connection with 515; what follows is about the logged-in one
        listener.ended.clear();
        listener.connecting.clear();
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    @Test
    void loggedOutByThePhoneStopsAndForgetsTheCredentials() {
        phone.disconnect(deviceId, 401);

        await().atMost(WAIT).until(() -> !listener.ended.isEmpty());
        assertThat(listener.lastEnded().reason()).isEqualTo(DisconnectReason.LOGGED_OUT);
        assertThat(listener.lastEnded().decision())
                .isEqualTo(new ReconnectDecision.Stop(TerminalStatus.LOGGED_OUT, true, true));
        assertThat(session.credentials()).isNull();
        assertNoReconnect();
    }

    @Test
    void bannedNumberStopsAndKeepsItsCredentials() {
        phone.disconnect(deviceId, 403);

        await().atMost(WAIT).until(() -> !listener.ended.isEmpty());
        assertThat(listener.lastEnded().reason()).isEqualTo(DisconnectReason.BANNED);
        assertThat(listener.lastEnded().decision())
                .isEqualTo(new ReconnectDecision.Stop(TerminalStatus.BANNED, false, false));
        assertThat(session.credentials()).isNotNull();
        assertNoReconnect();
    }

    @Test
    void lostConnectionReconnectsAfterABackOffAndOpensAgain() {
        phone.disconnect(deviceId, 408);

        await().atMost(WAIT).until(() -> listener.opened.size() == 2 && session.isOpen());
        assertThat(listener.ended).hasSize(1);
        assertThat(listener.lastEnded().reason()).isEqualTo(DisconnectReason.CONNECTION_LOST);
        assertThat(listener.lastEnded().decision()).isInstanceOfSatisfying(ReconnectDecision.ReconnectAfter.class,
                after -> assertThat(after.attempt()).isEqualTo(1));
        assertThat(listener.connecting).containsExactly(1);
        assertThat(listener.lastOpened().deviceId()).isEqualTo(deviceId);
    }

    @Test
    void restartRequiredReconnectsAtOnce() {
        phone.disconnect(deviceId, 515);

        await().atMost(WAIT).until(() -> listener.opened.size() == 2 && session.isOpen());
        assertThat(listener.lastEnded().decision()).isEqualTo(new ReconnectDecision.ReconnectNow());
    }

    @Test
    void badSessionIsRetriedOnceAndARepeatedOneStopsAndWipesTheCredentials() {
        phone.disconnect(deviceId, 500);
        await().atMost(WAIT).until(() -> listener.opened.size() == 2 && session.isOpen());
        assertThat(listener.lastEnded().decision()).isInstanceOf(ReconnectDecision.ReconnectAfter.class);
        listener.connecting.clear();

        phone.disconnect(deviceId, 500);

        await().atMost(WAIT).until(() -> listener.ended.size() == 2);
        assertThat(listener.lastEnded().decision())
                .isEqualTo(new ReconnectDecision.Stop(TerminalStatus.FAILED, true, true));
        assertThat(session.credentials()).isNull();
        assertNoReconnect();
    }

    @Test
    void replacedConnectionStopsWithoutLooping() {
        phone.disconnect(deviceId, 440);

        await().atMost(WAIT).until(() -> !listener.ended.isEmpty());
        assertThat(listener.lastEnded().reason()).isEqualTo(DisconnectReason.CONNECTION_REPLACED);
        assertThat(listener.lastEnded().decision())
                .isEqualTo(new ReconnectDecision.Stop(TerminalStatus.FAILED, false, true));
        assertThat(session.credentials()).isNotNull();
        assertNoReconnect();
    }

    @Test
    void stoppedSessionComesBackOnRestart() {
        phone.disconnect(deviceId, 440);
        await().atMost(WAIT).until(() -> !listener.ended.isEmpty());

        StepVerifier.create(session.restart()).expectComplete().verify(WAIT);

        await().atMost(WAIT).until(() -> listener.opened.size() == 2 && session.isOpen());
        assertThat(listener.connecting).containsExactly(0);
    }

    @Test
    void serverPingsAreAnsweredSoTheConnectionOutlivesManyPingIntervals() {
        await().during(Duration.ofMillis(1500)).atMost(WAIT)
                .until(() -> session.isOpen() && listener.ended.isEmpty());

        StepVerifier.create(session.ping())
                .assertNext(roundTrip -> assertThat(roundTrip).isPositive())
                .verifyComplete();
    }

    @Test
    void closeClosesTheSocketWithoutReconnectingOrLoggingOut() {
        StepVerifier.create(session.close()).expectComplete().verify(WAIT);

        assertThat(session.isOpen()).isFalse();
        await().atMost(WAIT).until(() -> !phone.device(deviceId).path("online").asBoolean());
        assertThat(phone.device(deviceId).path("revoked").asBoolean()).isFalse();
        assertThat(listener.ended).isEmpty();
        assertNoReconnect();
        StepVerifier.create(session.close()).expectComplete().verify(WAIT);
    }

    @Test
    void logoutUnlinksTheDeviceAndStops() {
        StepVerifier.create(session.logout()).expectComplete().verify(WAIT);

        assertThat(listener.lastEnded().reason()).isEqualTo(DisconnectReason.LOGGED_OUT);
        assertThat(listener.lastEnded().decision())
                .isEqualTo(new ReconnectDecision.Stop(TerminalStatus.LOGGED_OUT, true, true));
        assertThat(session.credentials()).isNull();
        assertThat(phone.device(deviceId).path("revoked").asBoolean()).isTrue();
        assertNoReconnect();
    }

    @Test
    void unreachableServerCountsAsAClosedConnectionAndIsRetriedWithBackOff() {
        LinkedProperties nowhere = LinkedProperties.defaults(java.net.URI.create("ws://127.0.0.1:1/linked/v1"));
        RecordingListener offline = new RecordingListener();
        try (LinkedDeviceClient unreachable = new LinkedDeviceClient(nowhere, LinkedFixtures.fastPolicy())) {
            unreachable.open(UUID.randomUUID(), null, offline);

            await().atMost(WAIT).until(() -> offline.ended.size() >= 2);
            assertThat(offline.ended.getFirst().reason()).isEqualTo(DisconnectReason.CONNECTION_CLOSED);
            assertThat(offline.ended).extracting(RecordingListener.Ended::decision)
                    .startsWith(new ReconnectDecision.ReconnectAfter(
                            ((ReconnectDecision.ReconnectAfter) offline.ended.get(0).decision()).delay(), 1));
            assertThat(offline.connecting).startsWith(0, 1);
        }
    }

    /** The session opens no new socket on its own. */
    private void assertNoReconnect() {
        await().during(Duration.ofMillis(500)).atMost(WAIT)
                .until(() -> listener.connecting.isEmpty() && !session.isOpen());
    }
}
