package dev.conversa.simulator.linked;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import dev.conversa.simulator.ban.BanModel;
import dev.conversa.simulator.phone.PhoneBook;

/**
 * Linking a new device: QR refs shown in turn until one is scanned or they run out, pairing codes typed on the phone,
 * and {@code pair-success} followed by the 515 restart.
 */
@Component
class Pairing {

    private final LinkedDeviceRegistry registry;
    private final LinkedProperties properties;
    private final BanModel bans;
    private final PhoneBook phones;
    private final Clock clock;

    Pairing(LinkedDeviceRegistry registry, LinkedProperties properties, BanModel bans, PhoneBook phones,
            Clock clock) {
        this.registry = registry;
        this.properties = properties;
        this.bans = bans;
        this.phones = phones;
        this.clock = clock;
    }

    /** What the phone's action came to. */
    sealed interface Outcome {

        record Paired(LinkedDevice device) implements Outcome {
        }

        /** No connection waits with that ref or code, or it expired. */
        record Unknown(String detail) implements Outcome {
        }

        /** The code was issued for another number. */
        record OtherNumber(String detail) implements Outcome {
        }

        record Banned(String detail) implements Outcome {
        }
    }

    /** After a {@code hello} without credentials; call holding the connection's lock. */
    void begin(DeviceConnection connection, long now) {
        connection.state(DeviceConnection.State.PAIRING);
        connection.attempt = 0;
        connection.refDeadline = now + properties.qrFirstDelay().toMillis();
    }

    /** Shows the next QR ref when due, or ends the connection after the last; call holding its lock. */
    void tick(DeviceConnection connection, long now) {
        if (connection.pairingCode != null && now >= connection.pairingCodeDeadline) {
            registry.forgetCode(connection.pairingCode, connection);
            connection.pairingCode = null;
            connection.pairingPhone = null;
        }
        if (now < connection.refDeadline) {
            return;
        }
        if (connection.attempt == 0) {
            show(connection, now, properties.qrFirstTtl().toMillis());
            return;
        }
        registry.forgetRef(connection.ref, connection);
        if (connection.attempt < properties.qrRefs()) {
            show(connection, connection.refDeadline, properties.qrNextTtl().toMillis());
        }
        else {
            registry.close(connection, Disconnect.QR_REFS_ENDED);
        }
    }

    private void show(DeviceConnection connection, long from, long ttl) {
        String ref = Secrets.qrRef();
        connection.ref = ref;
        connection.attempt++;
        connection.refDeadline = from + ttl;
        registry.registerRef(ref, connection);
        registry.reply(connection, new ServerFrame.Qr(ref, connection.attempt, (ttl + 999) / 1000,
                Instant.ofEpochMilli(connection.refDeadline).toString()));
    }

    /** {@code pairing-code.request}: only once a QR is shown and before the device is paired. */
    void requestCode(DeviceConnection connection, DeviceFrame.PairingCodeRequest request) {
        synchronized (connection) {
            if (connection.state() != DeviceConnection.State.PAIRING || connection.attempt == 0) {
                registry.reply(connection, new ServerFrame.Error(428, "Connection Closed"));
                return;
            }
            String number = request.phoneNumber();
            if (number == null || !number.matches("[1-9][0-9]{6,14}")) {
                registry.reply(connection, new ServerFrame.Error(400,
                        "phoneNumber must be digits with the country code, no +"));
                return;
            }
            registry.forgetCode(connection.pairingCode, connection);
            String code = registry.registerCode(connection);
            long now = clock.millis();
            long lastRefEnds = connection.refDeadline
                    + (properties.qrRefs() - connection.attempt) * properties.qrNextTtl().toMillis();
            connection.pairingCode = code;
            connection.pairingPhone = number;
            connection.pairingCodeDeadline = Math.min(now + properties.pairingCodeTtl().toMillis(), lastRefEnds);
            registry.reply(connection, new ServerFrame.PairingCode(code, number,
                    Instant.ofEpochMilli(connection.pairingCodeDeadline).toString()));
        }
    }

    /** The phone scanned a QR ref. */
    Outcome scan(String ref, String phoneNumber, @Nullable String pushName) {
        DeviceConnection connection = registry.byRef(ref);
        if (connection == null) {
            return new Outcome.Unknown("No connection shows QR ref " + ref);
        }
        synchronized (connection) {
            if (connection.state() != DeviceConnection.State.PAIRING || !ref.equals(connection.ref)
                    || clock.millis() >= connection.refDeadline) {
                return new Outcome.Unknown("QR ref " + ref + " has expired");
            }
            return pair(connection, phoneNumber, pushName);
        }
    }

    /** The user typed a pairing code on the phone of {@code phoneNumber}. */
    Outcome enterCode(String phoneNumber, String typed) {
        String code = typed.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
        DeviceConnection connection = registry.byCode(code);
        if (connection == null) {
            return new Outcome.Unknown("No connection waits for pairing code " + typed);
        }
        synchronized (connection) {
            if (connection.state() != DeviceConnection.State.PAIRING || !code.equals(connection.pairingCode)
                    || clock.millis() >= connection.pairingCodeDeadline) {
                return new Outcome.Unknown("Pairing code " + typed + " has expired");
            }
            if (!phoneNumber.equals(connection.pairingPhone)) {
                return new Outcome.OtherNumber("Pairing code " + typed + " was requested for another number");
            }
            return pair(connection, phoneNumber, null);
        }
    }

    private Outcome pair(DeviceConnection connection, String number, @Nullable String pushName) {
        if (bans.isBanned(number)) {
            return new Outcome.Banned(number + " is banned");
        }
        String name = pushName == null || pushName.isBlank() ? phones.resolve(number).name() : pushName;
        LinkedDevice device = registry.link(number, name);
        connection.state(DeviceConnection.State.PAIRED);
        registry.reply(connection, new ServerFrame.PairSuccess(device.credentials(), number, name));
        registry.close(connection, Disconnect.RESTART_REQUIRED);
        return new Outcome.Paired(device);
    }
}
