package dev.conversa.simulator.linked;

import java.time.Clock;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.WebSocketSession;

import dev.conversa.simulator.core.UnknownBusinessNumberException;

/**
 * All linked-device state: connections, devices and their credentials, accounts (per number) with their offline
 * queues and unacknowledged frames, and the QR refs and pairing codes of connections waiting to pair. Every map is concurrent; see
 * {@link DeviceConnection} for the lock order.
 */
@Component
class LinkedDeviceRegistry {

    private static final Logger log = LoggerFactory.getLogger(LinkedDeviceRegistry.class);

    private final LinkedProperties properties;
    private final FrameCodec codec;
    private final Clock clock;
    private final ConcurrentMap<String, DeviceConnection> connections = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, LinkedDevice> devices = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, LinkedAccount> accounts = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, DeviceConnection> refs = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, DeviceConnection> codes = new ConcurrentHashMap<>();

    LinkedDeviceRegistry(LinkedProperties properties, FrameCodec codec, Clock clock) {
        this.properties = properties;
        this.codec = codec;
        this.clock = clock;
    }

    // connections

    DeviceConnection connect(@Nullable WebSocketSession session) {
        DeviceConnection connection = new DeviceConnection(Secrets.connectionId(), clock.instant(), session,
                properties.outboundBuffer());
        synchronized (connection) {
            connection.helloDeadline = clock.millis() + properties.helloTimeout().toMillis();
        }
        connections.put(connection.id(), connection);
        return connection;
    }

    Collection<DeviceConnection> connections() {
        return connections.values();
    }

    /** Connections waiting to pair, oldest first. */
    List<DeviceConnection> pairing() {
        return connections.values().stream()
                .filter(connection -> connection.state() == DeviceConnection.State.PAIRING)
                .sorted(Comparator.comparing(DeviceConnection::connectedAt))
                .toList();
    }

    /**
     * Starts closing: {@code disconnect} frame, then the WebSocket close with {@code 4000 + code}. False if it was
     * already closing.
     */
    boolean close(DeviceConnection connection, Disconnect reason) {
        DeviceConnection.State before;
        synchronized (connection) {
            before = connection.state();
            if (before == DeviceConnection.State.CLOSING || before == DeviceConnection.State.CLOSED) {
                return false;
            }
            connection.state(DeviceConnection.State.CLOSING);
            connection.disconnect = reason;
            connection.closeDeadline = clock.millis() + properties.closeTimeout().toMillis();
        }
        log.debug("Closing {} with {} {}", connection.id(), reason.code(), reason.reason());
        release(connection, before);
        connection.finish(codec.write(new ServerFrame.Disconnect(reason.code(), reason.reason())));
        return true;
    }

    /** The socket is gone, whoever closed it. */
    void terminated(DeviceConnection connection) {
        DeviceConnection.State before;
        synchronized (connection) {
            before = connection.state();
            connection.state(DeviceConnection.State.CLOSED);
        }
        release(connection, before);
        connection.finish(null);
        connections.remove(connection.id());
    }

    /** Writes a response or control frame; a connection whose buffer overflows is closed as lost. */
    void reply(DeviceConnection connection, ServerFrame frame) {
        reply(connection, codec.write(frame));
    }

    void reply(DeviceConnection connection, String frame) {
        if (!connection.offer(frame) && connection.state() != DeviceConnection.State.CLOSING
                && connection.state() != DeviceConnection.State.CLOSED) {
            log.warn("{} does not read its frames; closing it", connection.id());
            close(connection, Disconnect.CONNECTION_LOST);
        }
    }

    private void release(DeviceConnection connection, DeviceConnection.State before) {
        switch (before) {
            case PAIRING, PAIRED -> forgetPairing(connection);
            case OPEN -> {
                LinkedDevice device = connection.device();
                if (device != null) {
                    device.clearLive(connection);
                    device.account().detach(connection);
                }
            }
            default -> {
            }
        }
    }

    // pairing

    void registerRef(String ref, DeviceConnection connection) {
        refs.put(ref, connection);
    }

    void forgetRef(@Nullable String ref, DeviceConnection connection) {
        if (ref != null) {
            refs.remove(ref, connection);
        }
    }

    @Nullable DeviceConnection byRef(String ref) {
        return refs.get(ref);
    }

    /** Reserves a fresh pairing code for the connection. */
    String registerCode(DeviceConnection connection) {
        while (true) {
            String code = Secrets.pairingCode();
            if (codes.putIfAbsent(code, connection) == null) {
                return code;
            }
        }
    }

    void forgetCode(@Nullable String code, DeviceConnection connection) {
        if (code != null) {
            codes.remove(code, connection);
        }
    }

    @Nullable DeviceConnection byCode(String code) {
        return codes.get(code);
    }

    private void forgetPairing(DeviceConnection connection) {
        String ref;
        String code;
        synchronized (connection) {
            ref = connection.ref;
            code = connection.pairingCode;
        }
        forgetRef(ref, connection);
        forgetCode(code, connection);
    }

    // devices and accounts

    LinkedDevice link(String number, String pushName) {
        LinkedAccount account = accounts.computeIfAbsent(number,
                key -> new LinkedAccount(key, properties.offlineQueueCapacity()));
        LinkedDevice device = new LinkedDevice(Secrets.deviceId(), Secrets.secret(), number, pushName,
                clock.instant(), account);
        devices.put(device.deviceId(), device);
        account.deviceLinked();
        log.info("Linked device {} to {}", device.deviceId(), number);
        return device;
    }

    /** The device these credentials log in, or null if unknown, wrong or revoked. */
    @Nullable LinkedDevice authenticate(Credentials credentials) {
        LinkedDevice device = credentials.deviceId() == null ? null : devices.get(credentials.deviceId());
        if (device == null || device.revoked() || !device.matches(credentials.secret())) {
            return null;
        }
        return device;
    }

    @Nullable LinkedDevice device(String deviceId) {
        return devices.get(deviceId);
    }

    Collection<LinkedDevice> devices() {
        return devices.values();
    }

    /** Revokes the credentials and closes the device's live connection with {@code reason}. */
    void revoke(LinkedDevice device, Disconnect reason) {
        if (device.revoke()) {
            device.account().deviceRevoked();
            log.info("Revoked device {} of {}", device.deviceId(), device.number());
        }
        DeviceConnection live = device.live();
        if (live != null) {
            close(live, reason);
        }
    }

    /** Live connections of every device of the number. */
    List<DeviceConnection> live(String number) {
        LinkedAccount account = accounts.get(number);
        return account == null ? List.of() : account.live();
    }

    /** Whether the number has a linked, unrevoked device. */
    boolean serves(String number) {
        LinkedAccount account = accounts.get(number);
        return account != null && account.devices() > 0;
    }

    /** A frame for the number: to its live device, or to its queue. */
    void deliver(String number, String deliveryId, String frame) {
        LinkedAccount account = accounts.get(number);
        if (account == null || account.devices() <= 0) {
            throw new UnknownBusinessNumberException(number);
        }
        account.deliver(deliveryId, frame);
    }

    /** A frame for one device (a receipt): to its live connection, else to its number's queue. */
    void toDevice(LinkedDevice device, String deliveryId, String frame) {
        LinkedAccount account = device.account();
        DeviceConnection live = device.live();
        if (live != null) {
            switch (account.deliverTo(live, deliveryId, frame)) {
                case WRITTEN, GONE -> {
                    return;
                }
                case FULL -> {
                    if (live.state() == DeviceConnection.State.OPEN) {
                        log.warn("{} does not read its frames; closing it", live.id());
                        close(live, Disconnect.CONNECTION_LOST);
                    }
                }
            }
        }
        if (account.devices() > 0) {
            account.deliver(deliveryId, frame);
        }
    }

    /** The device on {@code connection} has durably handed on these frames. */
    void acknowledge(DeviceConnection connection, List<String> deliveryIds) {
        LinkedDevice device = connection.device();
        if (device != null) {
            device.account().acknowledge(connection, deliveryIds);
        }
    }
}
