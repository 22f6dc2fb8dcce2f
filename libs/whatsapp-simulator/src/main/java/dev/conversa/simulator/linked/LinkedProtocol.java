package dev.conversa.simulator.linked;

import java.time.Clock;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.conversa.simulator.ban.BanModel;

/**
 * Reads a device's frames and acts on them: {@code hello} (pairing or login), and after it every other frame. Runs
 * on the connection's event-loop thread; it never blocks.
 */
@Component
class LinkedProtocol {

    static final int VERSION = 1;
    private static final Logger log = LoggerFactory.getLogger(LinkedProtocol.class);

    private final LinkedDeviceRegistry registry;
    private final FrameCodec codec;
    private final Pairing pairing;
    private final KeepAlive keepAlive;
    private final LinkedSends sends;
    private final BanModel bans;
    private final Clock clock;

    LinkedProtocol(LinkedDeviceRegistry registry, FrameCodec codec, Pairing pairing, KeepAlive keepAlive,
            LinkedSends sends, BanModel bans, Clock clock) {
        this.registry = registry;
        this.codec = codec;
        this.pairing = pairing;
        this.keepAlive = keepAlive;
        this.sends = sends;
        this.bans = bans;
        this.clock = clock;
    }

    void onFrame(DeviceConnection connection, String text) {
        DeviceConnection.State state = connection.state();
        if (state == DeviceConnection.State.CLOSING || state == DeviceConnection.State.CLOSED) {
            return;
        }
        try {
            DeviceFrame frame;
            try {
                frame = codec.read(text);
            }
            catch (FrameCodec.BadFrameException e) {
                if (state == DeviceConnection.State.AWAITING_HELLO) {
                    registry.close(connection, Disconnect.HELLO_EXPECTED);
                }
                else {
                    registry.reply(connection, new ServerFrame.Error(400, e.getMessage()));
                }
                return;
            }
            if (state == DeviceConnection.State.AWAITING_HELLO && !(frame instanceof DeviceFrame.Hello)) {
                registry.close(connection, Disconnect.HELLO_EXPECTED);
                return;
            }
            switch (frame) {
                case DeviceFrame.Hello hello -> hello(connection, hello);
                case DeviceFrame.PairingCodeRequest request -> pairing.requestCode(connection, request);
                case DeviceFrame.Send send -> sends.send(connection, send);
                case DeviceFrame.Read read -> read(connection, read);
                case DeviceFrame.DeliveryAck ack -> deliveryAck(connection, ack);
                case DeviceFrame.Ping ping -> registry.reply(connection, new ServerFrame.Pong(ping.id()));
                case DeviceFrame.Pong pong -> keepAlive.pong(connection, pong);
                case DeviceFrame.Logout logout -> logout(connection);
            }
        }
        catch (RuntimeException e) {
            log.warn("Frame of {} not handled", connection.id(), e);
            registry.reply(connection, new ServerFrame.Error(500, "internal error"));
        }
    }

    private void hello(DeviceConnection connection, DeviceFrame.Hello hello) {
        if (connection.state() != DeviceConnection.State.AWAITING_HELLO) {
            registry.reply(connection, new ServerFrame.Error(400, "hello was already received"));
            return;
        }
        if (hello.protocol() == null || hello.protocol() != VERSION) {
            registry.close(connection, Disconnect.UNSUPPORTED_PROTOCOL);
            return;
        }
        Credentials credentials = hello.credentials();
        if (credentials == null) {
            long now = clock.millis();
            synchronized (connection) {
                if (connection.state() != DeviceConnection.State.AWAITING_HELLO) {
                    return;
                }
                connection.client = hello.client();
                pairing.begin(connection, now);
                keepAlive.start(connection, now);
            }
            return;
        }
        LinkedDevice device = registry.authenticate(credentials);
        if (device == null) {
            registry.close(connection, Disconnect.LOGGED_OUT);
            return;
        }
        if (bans.isBanned(device.number())) {
            registry.close(connection, Disconnect.of(403));
            return;
        }
        open(connection, device, hello.client());
    }

    private void open(DeviceConnection connection, LinkedDevice device, String client) {
        long now = clock.millis();
        synchronized (connection) {
            if (connection.state() != DeviceConnection.State.AWAITING_HELLO) {
                return;
            }
            connection.client = client;
            connection.open(device);
            keepAlive.start(connection, now);
        }
        device.client(client);
        DeviceConnection older = device.replaceLive(connection);
        if (older != null && older != connection) {
            registry.close(older, Disconnect.REPLACED);
        }
        device.account().attach(connection, pending -> codec.write(
                new ServerFrame.Open(device.deviceId(), device.number(), device.pushName(), pending)));
        if (device.revoked()) {
            registry.close(connection, Disconnect.LOGGED_OUT);
        }
    }

    private void read(DeviceConnection connection, DeviceFrame.Read read) {
        LinkedDevice device = connection.device();
        if (device != null && read.waMessageIds() != null) {
            device.read(read.waMessageIds().size());
        }
    }

    /** Forgets the acknowledged frames; ids unknown to this connection (or on a connection not open) are ignored. */
    private void deliveryAck(DeviceConnection connection, DeviceFrame.DeliveryAck ack) {
        List<String> ids = ack.deliveryIds();
        if (ids == null || ids.isEmpty() || ids.size() > DeviceFrame.DeliveryAck.MAX_IDS) {
            registry.reply(connection, new ServerFrame.Error(400,
                    "delivery.ack needs 1 to " + DeviceFrame.DeliveryAck.MAX_IDS + " deliveryIds"));
            return;
        }
        if (connection.state() == DeviceConnection.State.OPEN) {
            registry.acknowledge(connection, ids);
        }
    }

    private void logout(DeviceConnection connection) {
        LinkedDevice device = connection.device();
        if (device != null && connection.state() == DeviceConnection.State.OPEN) {
            registry.revoke(device, Disconnect.LOGGED_OUT);
        }
        registry.close(connection, Disconnect.LOGGED_OUT);
    }
}
