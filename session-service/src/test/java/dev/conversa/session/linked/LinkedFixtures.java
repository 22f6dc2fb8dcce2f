package dev.conversa.session.linked;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import dev.conversa.session.reconnect.ReconnectPolicy;
import dev.conversa.session.reconnect.ReconnectProperties;
import dev.conversa.simulator.WhatsAppSimulator;

/** Clients, policies and paired sessions against an embedded simulator. */
final class LinkedFixtures {

    static final Duration WAIT = Duration.ofSeconds(10);

    private LinkedFixtures() {
    }

    /** Fast back-off (50 ms base, 200 ms cap) so reconnect tests take milliseconds. */
    static ReconnectPolicy fastPolicy() {
        return new ReconnectPolicy(new ReconnectProperties(Duration.ofMillis(50), 2, Duration.ofMillis(200), 5));
    }

    static LinkedDeviceClient client(WhatsAppSimulator simulator, Duration ackTimeout) {
        LinkedProperties properties = new LinkedProperties(simulator.linkedDeviceUrl(), Duration.ofSeconds(5),
                ackTimeout, Duration.ofSeconds(5), "conversa-test/1", Duration.ofMillis(20), null, null, null, null,
                null, Duration.ofSeconds(1));
        return new LinkedDeviceClient(properties, fastPolicy());
    }

    /** Opens a session without credentials, scans its first QR with {@code number}'s phone and waits for open. */
    static LinkedDeviceSession pair(LinkedDeviceClient client, PhoneControl phone, RecordingListener listener,
            String number) {
        LinkedDeviceSession session = client.open(UUID.randomUUID(), null, listener);
        await().atMost(WAIT).until(() -> !listener.qrs.isEmpty());
        phone.scan(listener.qrs.getFirst().ref(), number);
        await().atMost(WAIT).until(() -> !listener.opened.isEmpty() && session.isOpen());
        return session;
    }
}
