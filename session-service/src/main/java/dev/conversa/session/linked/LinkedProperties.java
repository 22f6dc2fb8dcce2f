package dev.conversa.session.linked;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The linked-device transport ({@code conversa.session.linked.*}). A value left out (or {@code null} when built in
 * code) takes its default; invalid values fail the start.
 *
 * @param url              the server's linked-device endpoint ({@code ws://} or {@code wss://}); default
 *                         {@code ws://localhost:8090/linked/v1}, the local simulator
 * @param connectTimeout   TCP connect plus WebSocket handshake (10s)
 * @param ackTimeout       how long a {@code send} waits for its {@code ack}, and a pairing-code request for its code
 *                         (15s)
 * @param pingTimeout      how long a device {@code ping} waits for its {@code pong} (10s)
 * @param clientName       {@code hello.client} ({@code conversa-session/0.1})
 * @param ackFlushInterval longest time a handled frame waits for its {@code delivery.ack} (50ms); acks are batched
 * @param ackBatchSize     most ids in one {@code delivery.ack} (100; the protocol allows 1 to 1,000)
 * @param maxInFlightSends sends of one connection waiting for their ack; beyond it a send is rejected as retryable
 *                         (1,000)
 * @param outboundBuffer   frames of one connection waiting to be written; beyond it a send is rejected as retryable
 *                         (256)
 * @param dedupeCapacity   {@code deliveryId}s of handled frames each session remembers to skip redeliveries (1,000)
 * @param idleTimeout      a socket with no frame for this long is dead and is closed; the server pings every 20s
 *                         (60s)
 * @param closeTimeout     how long a close may wait for the server's close frame before the socket is cut (2s)
 */
@ConfigurationProperties("conversa.session.linked")
public record LinkedProperties(
        URI url,
        Duration connectTimeout,
        Duration ackTimeout,
        Duration pingTimeout,
        String clientName,
        Duration ackFlushInterval,
        Integer ackBatchSize,
        Integer maxInFlightSends,
        Integer outboundBuffer,
        Integer dedupeCapacity,
        Duration idleTimeout,
        Duration closeTimeout) {

    /**
     * The protocol's media endpoint beside the socket, where files are uploaded and downloaded:
     * {@code ws://host/linked/v1} → {@code http://host/linked/v1/media} ({@code wss} → {@code https}).
     */
    public URI mediaUrl() {
        String scheme = url.getScheme().toLowerCase(Locale.ROOT).equals("wss") ? "https" : "http";
        return UriComponentsBuilder.fromUri(url).scheme(scheme).pathSegment("media").build().toUri();
    }

    private static final String PREFIX = "conversa.session.linked.";

    /** The protocol's limit on the ids of one {@code delivery.ack}. */
    static final int MAX_ACK_BATCH = 1000;

    public LinkedProperties {
        url = url == null ? URI.create("ws://localhost:8090/linked/v1") : url;
        connectTimeout = positive("connect-timeout", connectTimeout, Duration.ofSeconds(10));
        ackTimeout = positive("ack-timeout", ackTimeout, Duration.ofSeconds(15));
        pingTimeout = positive("ping-timeout", pingTimeout, Duration.ofSeconds(10));
        clientName = clientName == null ? "conversa-session/0.1" : clientName;
        ackFlushInterval = positive("ack-flush-interval", ackFlushInterval, Duration.ofMillis(50));
        ackBatchSize = between("ack-batch-size", ackBatchSize, 100, 1, MAX_ACK_BATCH);
        maxInFlightSends = between("max-in-flight-sends", maxInFlightSends, 1000, 1, 100_000);
        outboundBuffer = between("outbound-buffer", outboundBuffer, 256, 16, 65_536);
        dedupeCapacity = between("dedupe-capacity", dedupeCapacity, 1000, 1, 100_000);
        idleTimeout = positive("idle-timeout", idleTimeout, Duration.ofSeconds(60));
        closeTimeout = positive("close-timeout", closeTimeout, Duration.ofSeconds(2));
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException(PREFIX + "url must be a ws:// or wss:// URI, was " + url);
        }
        if (clientName.isBlank()) {
            throw new IllegalArgumentException(PREFIX + "client-name must not be blank");
        }
    }

    /** Every default, talking to {@code url}. */
    public static LinkedProperties defaults(URI url) {
        return new LinkedProperties(url, null, null, null, null, null, null, null, null, null, null, null);
    }

    private static Duration positive(String name, @Nullable Duration value, Duration defaultValue) {
        if (value == null) {
            return defaultValue;
        }
        if (!value.isPositive()) {
            throw new IllegalArgumentException(PREFIX + name + " must be positive, was " + value);
        }
        return value;
    }

    private static int between(String name, @Nullable Integer value, int defaultValue, int min, int max) {
        if (value == null) {
            return defaultValue;
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(PREFIX + name + " must be between " + min + " and " + max + ", was "
                    + value);
        }
        return value;
    }
}
