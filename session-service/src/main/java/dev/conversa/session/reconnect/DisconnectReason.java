package dev.conversa.session.reconnect;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Why a linked device's connection ended: Baileys' {@code DisconnectReason} codes, which the linked-device protocol
 * v1 repeats in its {@code disconnect} frame and as close status {@code 4000 + code}. 408 means two things; only its
 * message tells an expired, unscanned QR ({@code "QR refs attempts ended"}) from a lost connection. Build a reason
 * from the wire with {@link #of(int, String)}.
 */
public enum DisconnectReason {

    /** 401: unlinked from the phone or logged out; the credentials are revoked. */
    LOGGED_OUT(401),
    /** 403: the number is locked or banned. */
    BANNED(403),
    /** 408: keep-alive lost or timed out (Baileys' {@code connectionLost} and {@code timedOut}). */
    CONNECTION_LOST(408),
    /** 408 "QR refs attempts ended": nobody scanned any of the round's QR refs; not an outage. */
    QR_REFS_ENDED(408),
    /** 411: multi-device mismatch ({@code downgrade_webclient}); the device must be paired again. */
    MULTIDEVICE_MISMATCH(411),
    /** 428: the socket closed, or the network dropped without a {@code disconnect} frame. */
    CONNECTION_CLOSED(428),
    /** 440: another client connected with the same credentials. */
    CONNECTION_REPLACED(440),
    /** 500: bad session ({@code stream:error} without a known code). */
    BAD_SESSION(500),
    /** 503: the service is unavailable. */
    UNAVAILABLE_SERVICE(503),
    /** 515: restart required, normal right after pairing. */
    RESTART_REQUIRED(515),
    /** A code this service does not know; {@link #code()} is -1, keep the raw code for diagnostics. */
    UNKNOWN(-1);

    /** The message of a 408 that ends a pairing round rather than a connection. */
    public static final String QR_REFS_ENDED_MESSAGE = "QR refs attempts ended";

    private final int code;

    DisconnectReason(int code) {
        this.code = code;
    }

    /** The status code on the wire, -1 for {@link #UNKNOWN}. */
    public int code() {
        return code;
    }

    /** Whether a new pairing (QR or pairing code) is needed for the number to come back on this device. */
    public boolean permanent() {
        return switch (this) {
            case LOGGED_OUT, BANNED, MULTIDEVICE_MISMATCH, CONNECTION_REPLACED -> true;
            default -> false;
        };
    }

    /**
     * The reason for a {@code disconnect} code and its message. A close status of the linked-device protocol
     * ({@code 4000 + code}) is accepted as well; a device that loses its socket without a frame reports 428.
     */
    public static DisconnectReason of(int code, @Nullable String message) {
        int status = code >= 4000 && code < 5000 ? code - 4000 : code;
        return switch (status) {
            case 401 -> LOGGED_OUT;
            case 403 -> BANNED;
            case 408 -> isQrRefsEnded(message) ? QR_REFS_ENDED : CONNECTION_LOST;
            case 411 -> MULTIDEVICE_MISMATCH;
            case 428 -> CONNECTION_CLOSED;
            case 440 -> CONNECTION_REPLACED;
            case 500 -> BAD_SESSION;
            case 503 -> UNAVAILABLE_SERVICE;
            case 515 -> RESTART_REQUIRED;
            default -> UNKNOWN;
        };
    }

    private static boolean isQrRefsEnded(@Nullable String message) {
        // contains, not equals: a bridge may prefix it (Baileys logs "Connection Failure: …"), a close reason is cut
        return message != null
                && message.toLowerCase(Locale.ROOT).contains(QR_REFS_ENDED_MESSAGE.toLowerCase(Locale.ROOT));
    }
}
