package dev.conversa.events.session;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Lifecycle status of a WhatsApp session; on the wire in lower snake case ({@code "qr_ready"}, {@code "logged_out"}). */
public enum SessionStatus {
    /** Created, not yet connecting. */
    PENDING,
    /** A QR code is waiting to be scanned. */
    QR_READY,
    CONNECTING,
    CONNECTED,
    /** Lost the connection; reconnecting with back-off. */
    DISCONNECTED,
    /** Logged out from the phone (or by us); needs a new QR. */
    LOGGED_OUT,
    /** WhatsApp banned the number. */
    BANNED,
    /** Gave up: a permanent error or too many reconnect attempts. */
    FAILED,
    /** Cleaned up after a long time without use. */
    INACTIVE;

    /** The wire value, e.g. {@code "qr_ready"}. */
    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant of a wire value. */
    @JsonCreator
    public static SessionStatus fromValue(String value) {
        for (SessionStatus status : values()) {
            if (status.value().equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("Unknown session status: " + value);
    }
}
