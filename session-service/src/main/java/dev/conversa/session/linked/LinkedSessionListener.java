package dev.conversa.session.linked;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.conversa.session.reconnect.DisconnectReason;
import dev.conversa.session.reconnect.ReconnectDecision;
import reactor.core.publisher.Mono;

/**
 * What a {@link LinkedDeviceSession} tells its owner (the session runtime). Every callback returns a {@link Mono} and
 * the session waits for it before it handles the next frame of that session, so the callbacks of one session never
 * overlap and come in the server's order. Callbacks mostly run on a WebSocket event-loop thread (shared by many
 * sessions): they must not block.
 *
 * <p>A callback that errors is logged and the session goes on, except {@link #message} and {@link #receipt}: their
 * frame is then not acknowledged, and the server delivers it again on the next connection.
 */
public interface LinkedSessionListener {

    /** A socket is being opened; {@code attempt} counts the reconnects since the session was last open (0: first). */
    Mono<Void> connecting(UUID sessionId, int attempt);

    /** A QR ref to show until {@code expiresAt}; {@code attempt} counts the refs of this pairing round from 1. */
    Mono<Void> qr(UUID sessionId, String ref, int attempt, Instant expiresAt);

    /** The pairing code asked for with {@link LinkedDeviceSession#requestPairingCode}, valid until {@code expiresAt}. */
    Mono<Void> pairingCode(UUID sessionId, String code, String phoneNumberE164, Instant expiresAt);

    /**
     * The phone accepted the device. Store the credentials before completing: the session reconnects with them (after
     * the server's 515) only once this completes, and a device whose credentials are lost must be paired again.
     */
    Mono<Void> paired(UUID sessionId, LinkedCredentials credentials, String phoneNumberE164, @Nullable String pushName);

    /** The device is logged in and can send; {@code pending} queued frames follow. */
    Mono<Void> opened(UUID sessionId, String deviceId, String phoneNumberE164, @Nullable String pushName, int pending);

    /**
     * A customer's message. Its {@code delivery.ack} is sent only after this completes, so complete only once the
     * message is durably handed on; an error leaves it unacknowledged for redelivery. Redeliveries of a message this
     * session already handled are acknowledged without calling this again (within its memory of recent ids).
     */
    Mono<Void> message(UUID sessionId, LinkedInboundMessage message);

    /** A status of a message this device sent; acknowledged like {@link #message}. */
    Mono<Void> receipt(UUID sessionId, LinkedReceipt receipt);

    /** An account notice, e.g. {@code kind} "warning" before a ban. */
    Mono<Void> notice(UUID sessionId, String kind, String reason);

    /**
     * A connection ended (not called for sockets the session closes itself: {@link LinkedDeviceSession#close()},
     * {@link LinkedDeviceSession#restart()}). {@code decision} is what the session does next, by itself: reconnect now
     * or after a delay, stop, or wait for {@link LinkedDeviceSession#restart()}. On a {@code Stop} that wipes the auth
     * state (401 logged out, 411, a repeated 500) the session has already forgotten its credentials.
     */
    Mono<Void> ended(UUID sessionId, DisconnectReason reason, @Nullable String reasonText, ReconnectDecision decision);
}
