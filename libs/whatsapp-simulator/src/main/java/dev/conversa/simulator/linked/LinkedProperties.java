package dev.conversa.simulator.linked;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The linked-device endpoint ({@code simulator.linked.*}). Defaults follow WhatsApp/Baileys; tests shorten them.
 *
 * @param helloTimeout          how long a new connection has to send {@code hello} before it is closed with 4428
 * @param qrFirstDelay          time between {@code hello} and the first {@code qr} (WhatsApp's handshake); zero: on
 *                              the next tick
 * @param qrFirstTtl            how long the first QR ref is valid
 * @param qrNextTtl             how long each later QR ref is valid
 * @param qrRefs                how many QR refs a pairing connection is shown before 408 "QR refs attempts ended"
 * @param pairingCodeTtl        how long a pairing code is valid (never beyond the connection's last QR ref)
 * @param pingInterval          how often the simulator pings a connection that answered its last ping
 * @param pingTimeout           how long a ping may stay unanswered before 408 "connection lost"
 * @param offlineQueueCapacity  frames kept per number: queued while no device of it can take them, plus written to a
 *                              connection and not yet acknowledged; beyond it the oldest is dropped
 * @param outboundBuffer        message frames waiting in one connection's send buffer before further messages wait
 *                              in the number's queue instead; other frames may use up to four times as much
 * @param tick                  period of the one ticker that drives QR rotation, pings and timeouts
 * @param closeTimeout          how long a closing connection may take to flush its last frames before it is cut
 */
@ConfigurationProperties("simulator.linked")
public record LinkedProperties(
        @DefaultValue("10s") Duration helloTimeout,
        @DefaultValue("0s") Duration qrFirstDelay,
        @DefaultValue("60s") Duration qrFirstTtl,
        @DefaultValue("20s") Duration qrNextTtl,
        @DefaultValue("6") int qrRefs,
        @DefaultValue("3m") Duration pairingCodeTtl,
        @DefaultValue("20s") Duration pingInterval,
        @DefaultValue("10s") Duration pingTimeout,
        @DefaultValue("10000") int offlineQueueCapacity,
        @DefaultValue("1024") int outboundBuffer,
        @DefaultValue("100ms") Duration tick,
        @DefaultValue("5s") Duration closeTimeout) {

    public LinkedProperties {
        positive("hello-timeout", helloTimeout);
        if (qrFirstDelay.isNegative()) {
            throw new IllegalArgumentException("simulator.linked.qr-first-delay must not be negative");
        }
        positive("qr-first-ttl", qrFirstTtl);
        positive("qr-next-ttl", qrNextTtl);
        positive("pairing-code-ttl", pairingCodeTtl);
        positive("ping-interval", pingInterval);
        positive("ping-timeout", pingTimeout);
        positive("tick", tick);
        positive("close-timeout", closeTimeout);
        if (qrRefs < 1) {
            throw new IllegalArgumentException("simulator.linked.qr-refs must be at least 1");
        }
        if (offlineQueueCapacity < 1) {
            throw new IllegalArgumentException("simulator.linked.offline-queue-capacity must be at least 1");
        }
        if (outboundBuffer < 16) {
            throw new IllegalArgumentException("simulator.linked.outbound-buffer must be at least 16");
        }
    }

    private static void positive(String name, Duration value) {
        if (!value.isPositive()) {
            throw new IllegalArgumentException("simulator.linked." + name + " must be positive");
        }
    }
}
