package dev.conversa.simulator.linked;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/** A device the phone linked: its credentials, its number, and its live connection if any. */
final class LinkedDevice {

    private final String deviceId;
    private final byte[] secret;
    private final String number;
    private final String pushName;
    private final Instant linkedAt;
    private final LinkedAccount account;
    private final AtomicReference<@Nullable DeviceConnection> live = new AtomicReference<>();
    private final LongAdder reads = new LongAdder();
    private final LongAdder replacements = new LongAdder();
    private final LongAdder logins = new LongAdder();
    private volatile boolean revoked;
    private volatile @Nullable String client;

    LinkedDevice(String deviceId, String secret, String number, String pushName, Instant linkedAt,
            LinkedAccount account) {
        this.deviceId = deviceId;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.number = number;
        this.pushName = pushName;
        this.linkedAt = linkedAt;
        this.account = account;
    }

    String deviceId() {
        return deviceId;
    }

    String number() {
        return number;
    }

    String pushName() {
        return pushName;
    }

    Instant linkedAt() {
        return linkedAt;
    }

    LinkedAccount account() {
        return account;
    }

    Credentials credentials() {
        return new Credentials(deviceId, new String(secret, StandardCharsets.UTF_8));
    }

    boolean matches(@Nullable String candidate) {
        return candidate != null && MessageDigest.isEqual(secret, candidate.getBytes(StandardCharsets.UTF_8));
    }

    boolean revoked() {
        return revoked;
    }

    /** True the first time. */
    synchronized boolean revoke() {
        if (revoked) {
            return false;
        }
        revoked = true;
        return true;
    }

    @Nullable DeviceConnection live() {
        return live.get();
    }

    /** Makes {@code connection} the live one; answers the one it replaces (counted as a 440 replacement). */
    @Nullable DeviceConnection replaceLive(DeviceConnection connection) {
        logins.increment();
        DeviceConnection older = live.getAndSet(connection);
        if (older != null && older != connection) {
            replacements.increment();
        }
        return older;
    }

    /** How many times a login closed a live connection of this device with 440. */
    long replacements() {
        return replacements.sum();
    }

    /** How many times the device logged in (hello with its credentials answered by open). */
    long logins() {
        return logins.sum();
    }

    void clearLive(DeviceConnection connection) {
        live.compareAndSet(connection, null);
    }

    void read(int count) {
        reads.add(count);
    }

    long reads() {
        return reads.sum();
    }

    @Nullable String client() {
        return client;
    }

    void client(@Nullable String value) {
        this.client = value;
    }
}
