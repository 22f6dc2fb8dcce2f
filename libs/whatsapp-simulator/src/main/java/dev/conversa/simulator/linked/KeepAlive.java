package dev.conversa.simulator.linked;

import java.time.Clock;

import org.springframework.stereotype.Component;

/**
 * Keep-alive: a {@code ping} every {@code ping-interval} once the last one was answered; a ping unanswered after
 * {@code ping-timeout} ends the connection with 408 "connection lost".
 */
@Component
class KeepAlive {

    private final LinkedDeviceRegistry registry;
    private final LinkedProperties properties;
    private final Clock clock;

    KeepAlive(LinkedDeviceRegistry registry, LinkedProperties properties, Clock clock) {
        this.registry = registry;
        this.properties = properties;
        this.clock = clock;
    }

    /** Call holding the connection's lock. */
    void start(DeviceConnection connection, long now) {
        connection.pingId = null;
        connection.nextPingAt = now + properties.pingInterval().toMillis();
    }

    /** Call holding the connection's lock. */
    void tick(DeviceConnection connection, long now) {
        if (connection.pingId == null) {
            if (now >= connection.nextPingAt) {
                connection.pingId = "p" + ++connection.pings;
                connection.pingDeadline = now + properties.pingTimeout().toMillis();
                registry.reply(connection, new ServerFrame.Ping(connection.pingId));
            }
        }
        else if (now >= connection.pingDeadline) {
            registry.close(connection, Disconnect.CONNECTION_LOST);
        }
    }

    void pong(DeviceConnection connection, DeviceFrame.Pong pong) {
        synchronized (connection) {
            if (connection.pingId != null && connection.pingId.equals(pong.id())) {
                connection.pingId = null;
                connection.nextPingAt = clock.millis() + properties.pingInterval().toMillis();
            }
        }
    }
}
