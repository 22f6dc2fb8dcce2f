package dev.conversa.session.outbound;

import java.util.Locale;

/** Where a queued send stands (column {@code outbound_messages.state}). */
public enum OutboundState {
    /** waiting for its session's pace; {@code not_before} says from when. */
    QUEUED,
    /** handed to the transport, no answer yet: an unknown outcome until an ack, a receipt or the reconciliation. */
    SENDING,
    /** WhatsApp took it; receipts follow. */
    ACCEPTED,
    /** will not be sent: refused by WhatsApp, invalid, suppressed as a duplicate, expired. */
    FAILED;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OutboundState fromValue(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
